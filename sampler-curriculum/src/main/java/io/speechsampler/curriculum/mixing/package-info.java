/**
 * The multi-factor curriculum of target speaker extraction (paper 000): a mixture sampler whose
 * SNR, speaker-count, overlap and domain distributions move from easy to hard with training
 * progress, segment by segment.
 */
package io.speechsampler.curriculum.mixing;
