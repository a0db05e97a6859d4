package io.speechsampler.djl.train;

import ai.djl.ndarray.NDArray;

/**
 * A task's per-sample results for one batch.
 *
 * @param loss   (batch) losses, differentiable
 * @param metric one metric per sample (SI-SNRi in dB, or probability of the true class); NaN
 *               where the task has none
 */
public record PerSample(NDArray loss, double[] metric) {
}
