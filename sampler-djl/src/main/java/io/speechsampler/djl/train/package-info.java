/**
 * One training loop for separation, target speaker extraction, MixIT, speaker classification and
 * contrastive speaker embeddings over a sampler pipeline: per-sample losses, weights from the pipeline's loss weighting, class
 * masks, outcomes back to the pipeline, validation, atomic checkpoints and resume.
 */
package io.speechsampler.djl.train;
