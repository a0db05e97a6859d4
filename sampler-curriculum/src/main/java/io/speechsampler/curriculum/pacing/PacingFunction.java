package io.speechsampler.curriculum.pacing;

/**
 * A pacing function of a curriculum: the competence c(x) in [0, 1] at training progress
 * x = t / T in [0, 1], where t is the run-global batch and T the run's planned batches
 * ({@link io.speechsampler.api.spi.RunPlan#progress}), so T is never configured twice. Pure: no
 * randomness, no state.
 */
public interface PacingFunction {

    /** The competence at progress {@code x}, for x in [0, 1]; non-decreasing in x, in [0, 1]. */
    double competence(double x);

    /** The config name, e.g. {@code root-p}. */
    String name();
}
