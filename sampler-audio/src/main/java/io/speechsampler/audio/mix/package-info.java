/**
 * Mixtures: {@link io.speechsampler.audio.mix.MixtureRenderer} turns a
 * {@link io.speechsampler.api.draw.MixtureDraw} recipe into audio (a pure function of the recipe
 * and the corpus audio), and the {@code dynamic-mixing} source sampler
 * ({@link io.speechsampler.audio.mix.DynamicMixingProvider},
 * {@link io.speechsampler.audio.mix.DynamicMixingSampler}) draws fresh recipes every epoch, as
 * dynamic mixing does (Zeghidour and Grangier 2021, Wavesplit), with no two sources of one speaker.
 */
package io.speechsampler.audio.mix;
