package io.speechsampler.core.pipeline;

import io.speechsampler.api.config.ParamSpec;
import io.speechsampler.api.config.Params;
import io.speechsampler.api.draw.Draw;
import io.speechsampler.api.spi.BuildContext;
import io.speechsampler.api.spi.EpochContext;
import io.speechsampler.api.spi.LossWeighting;
import io.speechsampler.api.spi.LossWeightingProvider;
import io.speechsampler.api.spi.Mergeable;
import io.speechsampler.api.spi.Outcome;
import io.speechsampler.api.spi.OutcomeObserver;
import io.speechsampler.api.spi.OutcomeObserverProvider;
import io.speechsampler.api.spi.Stage;
import io.speechsampler.api.spi.StageProvider;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;

/** Test components that record what the pipeline hands them; each instance keeps its own record. */
final class RecordingProviders {

    private RecordingProviders() {
    }

    /** {@code test-recording-observer}: keeps every outcome it is given. */
    static final class Observer implements OutcomeObserver {
        final List<Outcome> seen = new ArrayList<>();

        @Override
        public void observe(List<Outcome> outcomes) {
            seen.addAll(outcomes);
        }
    }

    /** {@code test-recording-weighting}: weight 2 for every draw it is shown; keeps the draws. */
    static final class Weighting implements LossWeighting {
        final List<Draw> shown = new ArrayList<>();

        @Override
        public double[] weights(List<Draw> draws, double[] losses, double[] metrics) {
            shown.addAll(draws);
            double[] w = new double[draws.size()];
            Arrays.fill(w, 2.0);
            return w;
        }
    }

    /** {@code test-context-recorder}: passes draws through and keeps each epoch's context. */
    static final class ContextStage implements Stage {
        final List<EpochContext> contexts = new ArrayList<>();

        @Override
        public boolean oneForOne() {
            return true;
        }

        @Override
        public Iterator<Draw> apply(Iterator<Draw> upstream, EpochContext context) {
            contexts.add(context);
            return upstream;
        }
    }

    /**
     * {@code test-shared}: a stage that passes draws through, weighs every draw {@code weight},
     * and observes (counting outcomes; the count is its state and its mergeable summary: counts
     * of the ranks add). With {@code partner} it asks for that shared component as an observer.
     */
    static final class Shared implements Stage, LossWeighting, OutcomeObserver, Mergeable<Long> {
        final double weight;
        final OutcomeObserver partner;
        long seen;
        long sinceMerge;
        int applied;

        Shared(double weight, OutcomeObserver partner) {
            this.weight = weight;
            this.partner = partner;
        }

        @Override
        public Iterator<Draw> apply(Iterator<Draw> upstream, EpochContext context) {
            applied++;
            return upstream;
        }

        @Override
        public double[] weights(List<Draw> draws, double[] losses, double[] metrics) {
            double[] w = new double[draws.size()];
            Arrays.fill(w, weight);
            return w;
        }

        @Override
        public void observe(List<Outcome> outcomes) {
            seen += outcomes.size();
            sinceMerge += outcomes.size();
        }

        @Override
        public Long summary() {
            return sinceMerge;
        }

        @Override
        public void merge(List<Long> fromEveryRank) {
            seen += fromEveryRank.stream().mapToLong(Long::longValue).sum() - sinceMerge;
            sinceMerge = 0;
        }

        @Override
        public JsonNode saveState() {
            return JsonNodeFactory.instance.objectNode().put("type", "test-shared").put("seen", seen)
                    .put("since_merge", sinceMerge);
        }

        @Override
        public void restoreState(JsonNode state) {
            if (!"test-shared".equals(state.path("type").asText())) {
                throw new IllegalStateException("not a test-shared state: " + state);
            }
            seen = state.get("seen").asLong();
            sinceMerge = state.get("since_merge").asLong();
        }
    }

    public static final class SharedProvider implements StageProvider {
        @Override
        public String name() {
            return "test-shared";
        }

        @Override
        public String description() {
            return "stage + weighting + observer in one (tests)";
        }

        @Override
        public List<ParamSpec> parameters() {
            return List.of(ParamSpec.real("weight", "weight of every draw").defaultsTo(1.0),
                    ParamSpec.string("partner", "a shared component to observe with").defaultsTo(null));
        }

        @Override
        public Stage create(Params params, BuildContext context) {
            String partner = params.optString("partner");
            return new Shared(params.getDouble("weight"),
                    partner == null ? null : context.component(partner, OutcomeObserver.class));
        }
    }

    public static final class ObserverProvider implements OutcomeObserverProvider {
        @Override
        public String name() {
            return "test-recording-observer";
        }

        @Override
        public String description() {
            return "records outcomes (tests)";
        }

        @Override
        public List<ParamSpec> parameters() {
            return List.of();
        }

        @Override
        public OutcomeObserver create(Params params, BuildContext context) {
            return new Observer();
        }
    }

    public static final class WeightingProvider implements LossWeightingProvider {
        @Override
        public String name() {
            return "test-recording-weighting";
        }

        @Override
        public String description() {
            return "weight 2, records draws (tests)";
        }

        @Override
        public List<ParamSpec> parameters() {
            return List.of();
        }

        @Override
        public LossWeighting create(Params params, BuildContext context) {
            return new Weighting();
        }
    }

    public static final class ContextStageProvider implements StageProvider {
        @Override
        public String name() {
            return "test-context-recorder";
        }

        @Override
        public String description() {
            return "records epoch contexts (tests)";
        }

        @Override
        public List<ParamSpec> parameters() {
            return List.of();
        }

        @Override
        public Stage create(Params params, BuildContext context) {
            return new ContextStage();
        }
    }
}
