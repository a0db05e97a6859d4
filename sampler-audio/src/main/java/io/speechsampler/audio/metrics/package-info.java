/**
 * Evaluation metrics for separation and verification, in plain Java on {@code float[]}
 * signals: SI-SNR and SI-SNRi as Asteroid and SpeechBrain compute them ({@link
 * io.speechsampler.audio.metrics.SiSnr}), permutation-invariant pairing ({@link
 * io.speechsampler.audio.metrics.Pit}), hard sample rates and test-set summaries ({@link
 * io.speechsampler.audio.metrics.Hsr}, {@link io.speechsampler.audio.metrics.SeparationSummary})
 * and the equal error rate with cosine scoring ({@link io.speechsampler.audio.metrics.Eer}).
 * No randomness and no DJL.
 */
package io.speechsampler.audio.metrics;
