/**
 * Utterance features used to rank speaker pairs by expected separation difficulty: YIN pitch
 * tracking and median f0 ({@link io.speechsampler.audio.pitch.Yin},
 * {@link io.speechsampler.audio.pitch.PitchTrack}, {@link io.speechsampler.audio.pitch.PitchStats})
 * and energy ratios ({@link io.speechsampler.audio.pitch.Energy}). Plain Java on
 * {@code float[]} signals; no randomness and no DJL.
 */
package io.speechsampler.audio.pitch;
