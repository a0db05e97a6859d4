package io.speechsampler.djl.train;

/** Called after every training step and every validation, on the loop's thread. */
public interface StepListener {

    void onStep(StepReport report);

    /** Validation score (mean SI-SNRi in dB, or mean probability of the true class) after an epoch. */
    default void onValidation(int epoch, double score, boolean best) {
    }

    /**
     * After epoch {@code epoch} (from 0) ended: its last step trained and the pipeline's components
     * saw its end, before its validation. Not called for an epoch a step budget cut short.
     */
    default void onEpochEnd(int epoch) {
    }

    /** A listener that tells {@code first}, then {@code second}. */
    static StepListener both(StepListener first, StepListener second) {
        java.util.Objects.requireNonNull(first, "first");
        java.util.Objects.requireNonNull(second, "second");
        return new StepListener() {
            @Override
            public void onStep(StepReport report) {
                first.onStep(report);
                second.onStep(report);
            }

            @Override
            public void onValidation(int epoch, double score, boolean best) {
                first.onValidation(epoch, score, best);
                second.onValidation(epoch, score, best);
            }

            @Override
            public void onEpochEnd(int epoch) {
                first.onEpochEnd(epoch);
                second.onEpochEnd(epoch);
            }
        };
    }
}
