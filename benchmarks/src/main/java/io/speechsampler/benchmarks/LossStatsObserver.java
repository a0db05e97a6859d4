package io.speechsampler.benchmarks;

import io.speechsampler.api.config.ParamSpec;
import io.speechsampler.api.config.Params;
import io.speechsampler.api.spi.BuildContext;
import io.speechsampler.api.spi.Outcome;
import io.speechsampler.api.spi.OutcomeObserver;
import io.speechsampler.api.spi.OutcomeObserverProvider;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A stand-in for a real feedback consumer (a datamap or hard-example miner) so that the training
 * loop benchmark pays for outcome feedback: per outcome id, a streamed mean and variance of the
 * loss (Welford 1962). Used only by {@link TrainingLoopBenchmark}.
 */
public final class LossStatsObserver implements OutcomeObserver {

    /** count, mean, sum of squared deviations. */
    private final Map<String, double[]> stats = new HashMap<>();

    @Override
    public void observe(List<Outcome> outcomes) {
        for (Outcome o : outcomes) {
            double[] s = stats.computeIfAbsent(o.key(), k -> new double[3]);
            s[0]++;
            double delta = o.loss() - s[1];
            s[1] += delta / s[0];
            s[2] += delta * (o.loss() - s[1]);
        }
    }

    /** {@code bench-loss-stats}: no parameters. */
    public static final class Provider implements OutcomeObserverProvider {
        @Override
        public String name() {
            return "bench-loss-stats";
        }

        @Override
        public String description() {
            return "benchmark only: streamed per-id loss mean and variance";
        }

        @Override
        public List<ParamSpec> parameters() {
            return List.of();
        }

        @Override
        public OutcomeObserver create(Params params, BuildContext context) {
            return new LossStatsObserver();
        }
    }
}
