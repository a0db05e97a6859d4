/**
 * Per-sample losses as NDArrays of shape (batch): negative SI-SNR with permutation-invariant
 * training, MixIT, margin cross-entropy, the angular prototypical loss; the weighted reduction the loop uses with a
 * {@link io.speechsampler.api.spi.LossWeighting}; global L2-norm gradient clipping.
 */
package io.speechsampler.djl.loss;
