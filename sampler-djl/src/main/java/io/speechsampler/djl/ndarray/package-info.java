/**
 * NDArray helpers that the PyTorch engine needs. {@link io.speechsampler.djl.ndarray.Scalars}
 * exists because of a use-after-free in DJL 0.35.1's PyTorch engine (DJL-NOTES.md, "Scalars in
 * a graph"): an op given a Java number ({@code x.mul(10f)}, {@code x.div(n)},
 * {@code x.maximum(0f)}, {@code x.clip(lo, hi)}, ...) wraps the number in a scalar tensor over a
 * Java direct buffer ({@code torch::from_blob}) and closes it as soon as the op returns. Autograd
 * keeps that scalar for backward; a GC between forward and backward frees the buffer, and
 * backward reads garbage: NaN or infinite gradients (skipped updates) or silently wrong finite
 * ones. A scalar the engine allocates itself ({@code NDManager.full}), kept by the batch's manager
 * until the step ends, does not have this problem.
 *
 * <p>Code that builds graphs therefore passes no Java number to an NDArray op;
 * {@code NoJavaNumbersInGraphsTest} enforces it over the main code of sampler-djl and sampler-cli,
 * and {@code GcBetweenForwardAndBackwardTest} checks that a forced GC changes no gradient.
 */
package io.speechsampler.djl.ndarray;
