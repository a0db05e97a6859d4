/**
 * Models built from DJL blocks that the PyTorch engine runs: Conv-TasNet (Luo and Mesgarani
 * 2019) for separation and, with SpeakerBeam multiplicative adaptation, for target speaker
 * extraction; the x-vector TDNN (Snyder et al. 2018) on log-mel filterbanks computed on the
 * device, with softmax, additive-margin and additive-angular heads; a wrapper holding a contrastive
 * loss's learnable scale and bias.
 */
package io.speechsampler.djl.model;
