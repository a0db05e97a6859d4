package io.speechsampler.api.config;

import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * When a {@link Phase} ends, as its {@code end} says (one rule): {@code {epochs: N}},
 * {@code {steps: N}} or {@code {patience: {metric: M, min_evaluations: 4, worse_than_best: 3}}}.
 */
public sealed interface EndRule {

    /**
     * No {@code end}: the phase trains the epochs its {@code train.epochs} sets, as a single-phase
     * run does.
     */
    record TrainEpochs() implements EndRule {
    }

    /**
     * After {@code epochs} epochs. The phase's config has {@code train.epochs} set to the same
     * number, so what reads the planned epochs (InfoBatch's annealing, schedules) sees the phase's
     * length.
     */
    record Epochs(int epochs) implements EndRule {
        public Epochs {
            if (epochs < 1) {
                throw new IllegalArgumentException("end.epochs is not at least 1: " + epochs);
            }
        }
    }

    /** After {@code steps} optimizer steps (at most {@code train.epochs} epochs). */
    record Steps(long steps) implements EndRule {
        public Steps {
            if (steps < 1) {
                throw new IllegalArgumentException("end.steps is not at least 1: " + steps);
            }
        }
    }

    /** Whether a larger or a smaller value of a metric is better. */
    enum Mode { MAX, MIN }

    /**
     * Early stopping on a validation metric, loss-gated learning's rule (Tao et al., "Self-supervised
     * speaker recognition with loss-gated learning", ICASSP 2022) with its defaults: the phase ends
     * once it has at least {@code minEvaluations} evaluations and the last {@code worseThanBest} of
     * them are all worse than the best of the phase so far. At most {@code train.epochs} epochs.
     *
     * @param metric         a metric of the validation protocol, e.g. {@code eer}
     * @param minEvaluations evaluations before the rule may end the phase (default 4)
     * @param worseThanBest  how many last evaluations must all be worse than the best (default 3)
     * @param mode           whether larger is better; by default {@link #defaultMode}
     */
    record Patience(String metric, int minEvaluations, int worseThanBest, Mode mode) implements EndRule {

        /** Metrics whose smaller values are better, and those whose larger are. */
        public static final Set<String> MIN_METRICS = Set.of("eer", "eer_percent", "loss");
        public static final Set<String> MAX_METRICS = Set.of("si_snri", "si_snr", "accuracy");

        public Patience {
            Objects.requireNonNull(metric, "metric");
            Objects.requireNonNull(mode, "mode");
            if (minEvaluations < 1 || worseThanBest < 1) {
                throw new IllegalArgumentException("min_evaluations and worse_than_best must be at least 1, got "
                        + minEvaluations + " and " + worseThanBest);
            }
        }

        /** The mode a metric's name implies ({@code eer}, {@code loss}: MIN; {@code si_snri}, {@code accuracy}: MAX), or null. */
        public static Mode defaultMode(String metric) {
            if (MIN_METRICS.contains(metric)) {
                return Mode.MIN;
            }
            return MAX_METRICS.contains(metric) ? Mode.MAX : null;
        }

        /**
         * True when the phase should end after these evaluations of the metric, in order: at least
         * {@code minEvaluations} of them, and each of the last {@code worseThanBest} strictly worse
         * than the best of all.
         */
        public boolean reached(List<Double> evaluations) {
            int n = evaluations.size();
            if (n < minEvaluations || n <= worseThanBest) {
                return false;
            }
            double best = mode == Mode.MIN ? Double.POSITIVE_INFINITY : Double.NEGATIVE_INFINITY;
            for (double v : evaluations) {
                best = better(v, best) ? v : best;
            }
            for (int i = n - worseThanBest; i < n; i++) {
                if (!better(best, evaluations.get(i))) {
                    return false;
                }
            }
            return true;
        }

        private boolean better(double a, double b) {
            return mode == Mode.MIN ? a < b : a > b;
        }
    }
}
