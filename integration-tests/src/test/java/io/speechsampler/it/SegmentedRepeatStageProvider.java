package io.speechsampler.it;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import io.speechsampler.api.config.ParamSpec;
import io.speechsampler.api.config.Params;
import io.speechsampler.api.draw.Draw;
import io.speechsampler.api.spi.BuildContext;
import io.speechsampler.api.spi.EpochContext;
import io.speechsampler.api.spi.Outcome;
import io.speechsampler.api.spi.OutcomeObserver;
import io.speechsampler.api.spi.SegmentContext;
import io.speechsampler.api.spi.Segmented;
import io.speechsampler.api.spi.Stage;
import io.speechsampler.api.spi.StageProvider;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;

/**
 * A segmented stage for tests only (listed in this module's test resources), {@code
 * it-segment-repeat}: every {@code every} global batches it decides on the number of outcomes
 * observed so far, and until the next boundary repeats each draw whose index in the epoch plus
 * that number is a multiple of 3; so the epoch's size is not known in advance and the draws after
 * a boundary depend on the outcomes before it.
 */
public final class SegmentedRepeatStageProvider implements StageProvider {

    @Override
    public String name() {
        return "it-segment-repeat";
    }

    @Override
    public String description() {
        return "repeats draws by the outcomes seen at each boundary (integration tests only)";
    }

    @Override
    public List<ParamSpec> parameters() {
        return List.of(ParamSpec.integer("every", "global batches per segment").defaultsTo(2));
    }

    @Override
    public Stage create(Params params, BuildContext context) {
        return new RepeatStage(params.getInt("every"));
    }

    private static final class RepeatStage implements Stage, OutcomeObserver, Segmented {
        private final int every;
        private long observed;
        private long applied;

        RepeatStage(int every) {
            this.every = every;
        }

        @Override
        public long nextBoundary(long runBatch) {
            return (runBatch / every + 1) * every;
        }

        @Override
        public JsonNode decide(SegmentContext context) {
            return JsonNodeFactory.instance.numberNode(observed);
        }

        @Override
        public void apply(JsonNode decision, SegmentContext context) {
            applied = decision.asLong();
        }

        @Override
        public void observe(List<Outcome> outcomes) {
            observed += outcomes.size();
        }

        @Override
        public Iterator<Draw> apply(Iterator<Draw> upstream, EpochContext context) {
            return new Iterator<>() {
                private long index;
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
                    if ((index++ + applied) % 3 == 0) {
                        repeat = d.withTag("repeat");
                    }
                    return d;
                }
            };
        }

        @Override
        public JsonNode saveState() {
            return JsonNodeFactory.instance.arrayNode().add(observed).add(applied);
        }

        @Override
        public void restoreState(JsonNode state) {
            if (state == null || !state.isArray() || state.size() != 2) {
                throw new IllegalStateException("it-segment-repeat: expected [observed, applied], got " + state);
            }
            observed = state.get(0).asLong();
            applied = state.get(1).asLong();
        }
    }
}
