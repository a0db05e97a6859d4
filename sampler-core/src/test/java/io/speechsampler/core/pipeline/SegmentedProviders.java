package io.speechsampler.core.pipeline;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.speechsampler.api.config.ParamSpec;
import io.speechsampler.api.config.Params;
import io.speechsampler.api.draw.Draw;
import io.speechsampler.api.draw.ItemDraw;
import io.speechsampler.api.spi.BuildContext;
import io.speechsampler.api.spi.EpochContext;
import io.speechsampler.api.spi.Outcome;
import io.speechsampler.api.spi.OutcomeObserver;
import io.speechsampler.api.spi.SegmentContext;
import io.speechsampler.api.spi.Segmented;
import io.speechsampler.api.spi.SourceSampler;
import io.speechsampler.api.spi.SourceSamplerProvider;
import io.speechsampler.api.spi.Stage;
import io.speechsampler.api.spi.StageProvider;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.apache.commons.rng.UniformRandomProvider;

/** Test components that change their draws inside an epoch (docs/spi2.md, section 3). */
final class SegmentedProviders {

    private SegmentedProviders() {
    }

    /**
     * {@code test-repeat-hardest}: every {@code every} global batches, decides on {@code count}
     * utterances, chosen at random (the segment's stream) among the {@code 2 count} whose last
     * observed loss was highest; until the next boundary, after each upstream draw it inserts, with
     * probability 1/2 (its epoch stream), a repeat of one of them tagged {@code hard}. So the draws
     * after a boundary depend on its decision and the decision on the outcomes before it; the
     * epoch's size is not known in advance. Each decision also records how many batches' outcomes
     * it had seen ({@link #decisions}, not in the state).
     */
    static final class RepeatHardestStage implements Stage, OutcomeObserver, Segmented {
        static final String HARD_TAG = "hard";
        private final int every;
        private final int count;
        /** Last observed loss per key. */
        private final Map<String, Double> lastLoss = new TreeMap<>();
        /** The applied decision: keys repeated in the current segment. */
        private List<String> hard = List.of();
        /** (segment start, global batches whose outcomes were observed so far) of every decision made. */
        final List<long[]> decisions = new ArrayList<>();
        private final Set<Long> observedBatches = new TreeSet<>();

        RepeatHardestStage(int every, int count) {
            this.every = every;
            this.count = count;
        }

        @Override
        public long nextBoundary(long runBatch) {
            return (runBatch / every + 1) * every;
        }

        @Override
        public JsonNode decide(SegmentContext ctx) {
            decisions.add(new long[] {ctx.startBatch(), observedBatches.size()});
            List<String> hardest = lastLoss.entrySet().stream()
                    .sorted(Map.Entry.<String, Double>comparingByValue(Comparator.reverseOrder())
                            .thenComparing(Map.Entry.comparingByKey()))
                    .limit(2L * count).map(Map.Entry::getKey)
                    .collect(java.util.stream.Collectors.toCollection(ArrayList::new));
            UniformRandomProvider rng = ctx.random();
            ArrayNode out = JsonNodeFactory.instance.arrayNode();
            for (int i = 0; i < Math.min(count, hardest.size()); i++) {
                int j = i + rng.nextInt(hardest.size() - i);
                String pick = hardest.set(j, hardest.get(i));
                hardest.set(i, pick);
                out.add(pick);
            }
            return out;
        }

        @Override
        public void apply(JsonNode decision, SegmentContext ctx) {
            List<String> h = new ArrayList<>();
            decision.forEach(n -> h.add(n.asText()));
            hard = List.copyOf(h);
        }

        @Override
        public void observe(List<Outcome> outcomes) {
            for (Outcome o : outcomes) {
                lastLoss.put(o.key(), o.loss());
                observedBatches.add(o.epoch() * 1_000_000L + o.globalBatch());
            }
        }

        @Override
        public Iterator<Draw> apply(Iterator<Draw> upstream, EpochContext context) {
            UniformRandomProvider rng = context.random();
            return new Iterator<>() {
                private Draw repeat;

                @Override
                public boolean hasNext() {
                    return repeat != null || upstream.hasNext();
                }

                @Override
                public Draw next() {
                    if (repeat != null) {
                        Draw d = repeat;
                        repeat = null;
                        return d;
                    }
                    if (!upstream.hasNext()) {
                        throw new NoSuchElementException();
                    }
                    Draw d = upstream.next();
                    // the decision applied when this draw is made, not when the epoch began
                    List<String> h = hard;
                    if (!h.isEmpty() && rng.nextBoolean()) {
                        repeat = ItemDraw.of(h.get(rng.nextInt(h.size()))).withTag(HARD_TAG);
                    }
                    return d;
                }
            };
        }

        @Override
        public JsonNode saveState() {
            ObjectNode o = JsonNodeFactory.instance.objectNode();
            ObjectNode losses = o.putObject("last_loss");
            lastLoss.forEach(losses::put);
            ArrayNode h = o.putArray("hard");
            hard.forEach(h::add);
            return o;
        }

        @Override
        public void restoreState(JsonNode state) {
            if (state == null || !state.path("last_loss").isObject() || !state.path("hard").isArray()) {
                throw new IllegalStateException("test-repeat-hardest: expected {last_loss, hard}, got " + state);
            }
            lastLoss.clear();
            state.get("last_loss").fields().forEachRemaining(e -> lastLoss.put(e.getKey(), e.getValue().asDouble()));
            List<String> h = new ArrayList<>();
            state.get("hard").forEach(n -> h.add(n.asText()));
            hard = List.copyOf(h);
        }
    }

    /**
     * {@code test-segment-marker}: {@code draws} draws an epoch (the corpus's utterances in order,
     * cycled), each tagged {@code segment-S} where S is the run-global start batch of the segment
     * applied when the draw was made; boundaries every {@code every} global batches. Without
     * outcomes: a draw made before its segment's decision shows the previous segment's tag.
     */
    static final class SegmentMarkerSampler implements SourceSampler, Segmented {
        private final List<String> ids;
        private final int draws;
        private final int every;
        private long applied = -1;
        /** Every decision made (not replayed), by start batch. */
        final List<Long> decided = new ArrayList<>();

        SegmentMarkerSampler(List<String> ids, int draws, int every) {
            this.ids = ids;
            this.draws = draws;
            this.every = every;
        }

        @Override
        public long epochSize() {
            return draws;
        }

        @Override
        public Iterator<Draw> epoch(EpochContext context) {
            return new Iterator<>() {
                private int i;

                @Override
                public boolean hasNext() {
                    return i < draws;
                }

                @Override
                public Draw next() {
                    if (!hasNext()) {
                        throw new NoSuchElementException();
                    }
                    return ItemDraw.of(ids.get(i++ % ids.size())).withTag("segment-" + applied);
                }
            };
        }

        @Override
        public long nextBoundary(long runBatch) {
            return (runBatch / every + 1) * every;
        }

        @Override
        public JsonNode decide(SegmentContext ctx) {
            decided.add(ctx.startBatch());
            return JsonNodeFactory.instance.numberNode(ctx.startBatch());
        }

        @Override
        public void apply(JsonNode decision, SegmentContext ctx) {
            applied = decision.asLong();
        }

        @Override
        public JsonNode saveState() {
            return JsonNodeFactory.instance.numberNode(applied);
        }

        @Override
        public void restoreState(JsonNode state) {
            if (state == null || !state.isIntegralNumber()) {
                throw new IllegalStateException("test-segment-marker: expected a number, got " + state);
            }
            applied = state.asLong();
        }
    }

    public static final class SegmentMarkerProvider implements SourceSamplerProvider {
        @Override
        public String name() {
            return "test-segment-marker";
        }

        @Override
        public String description() {
            return "tags each draw with its segment (tests)";
        }

        @Override
        public List<ParamSpec> parameters() {
            return List.of(ParamSpec.integer("draws", "draws an epoch").defaultsTo(20),
                    ParamSpec.integer("every", "global batches per segment").defaultsTo(3));
        }

        @Override
        public SourceSampler create(Params params, BuildContext context) {
            List<String> ids = context.corpus().utterances().stream().map(u -> u.id()).toList();
            return new SegmentMarkerSampler(ids, params.getInt("draws"), params.getInt("every"));
        }
    }

    public static final class RepeatHardestProvider implements StageProvider {
        @Override
        public String name() {
            return "test-repeat-hardest";
        }

        @Override
        public String description() {
            return "every K global batches repeats utterances of high last loss (tests)";
        }

        @Override
        public List<ParamSpec> parameters() {
            return List.of(ParamSpec.integer("every", "global batches per segment").defaultsTo(2),
                    ParamSpec.integer("count", "utterances repeated per segment").defaultsTo(2));
        }

        @Override
        public Stage create(Params params, BuildContext context) {
            return new RepeatHardestStage(params.getInt("every"), params.getInt("count"));
        }
    }
}
