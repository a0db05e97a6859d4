package io.speechsampler.djl.train;

/** Called after every training step and every validation, on the loop's thread. */
public interface StepListener {

    void onStep(StepReport report);

    /** Validation score (mean SI-SNRi in dB, or mean probability of the true class) after an epoch. */
    default void onValidation(int epoch, double score, boolean best) {
    }
}
