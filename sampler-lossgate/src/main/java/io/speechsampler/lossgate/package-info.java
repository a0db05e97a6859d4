/**
 * Loss-gated learning (Tao et al., "Self-supervised speaker recognition with loss-gated
 * learning", ICASSP 2022): the {@code loss-gate} loss weighting, which lets only the samples whose
 * loss is at most a gate train.
 */
package io.speechsampler.lossgate;
