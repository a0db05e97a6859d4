package io.speechsampler.benchmarks;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import io.speechsampler.api.config.ParamSpec;
import io.speechsampler.api.config.Params;
import io.speechsampler.api.spi.BuildContext;
import io.speechsampler.api.spi.Outcome;
import io.speechsampler.api.spi.OutcomeObserver;
import io.speechsampler.api.spi.OutcomeObserverProvider;
import java.util.List;

/**
 * The cheapest observer that reads every outcome it is given (its loss and its epoch), so that
 * {@link FeedbackBenchmark} times the delivery of outcomes, not an observer's own work (a real one
 * also looks up each key: a datamap's cost is measured by {@code DatamapBenchmark}). Its state
 * (count, loss sum, epoch sum) is saved and restored like any observer's.
 */
public final class LossSumObserver implements OutcomeObserver {

    long count;
    double lossSum;
    long epochSum;

    @Override
    public void observe(List<Outcome> outcomes) {
        for (int i = 0, n = outcomes.size(); i < n; i++) {
            Outcome o = outcomes.get(i);
            count++;
            lossSum += o.loss();
            epochSum += o.epoch();
        }
    }

    @Override
    public JsonNode saveState() {
        return JsonNodeFactory.instance.objectNode().put("count", count).put("loss_sum", lossSum)
                .put("epoch_sum", epochSum);
    }

    @Override
    public void restoreState(JsonNode state) {
        count = state.path("count").asLong();
        lossSum = state.path("loss_sum").asDouble();
        epochSum = state.path("epoch_sum").asLong();
    }

    /** {@code bench-loss-sum}: no parameters. */
    public static final class Provider implements OutcomeObserverProvider {
        @Override
        public String name() {
            return "bench-loss-sum";
        }

        @Override
        public String description() {
            return "benchmark only: counts the outcomes and sums their losses";
        }

        @Override
        public List<ParamSpec> parameters() {
            return List.of();
        }

        @Override
        public OutcomeObserver create(Params params, BuildContext context) {
            return new LossSumObserver();
        }
    }
}
