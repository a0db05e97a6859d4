/**
 * A deterministic source-filter speech synthesizer and the built-in synthetic corpus.
 *
 * <p>{@link io.speechsampler.audio.synth.SourceFilterSynthesizer} makes one utterance of one
 * {@link io.speechsampler.audio.synth.SpeakerProfile}: a KLGLOTT88 glottal flow (Klatt and Klatt
 * 1990) at the speaker's f0 contour, through a cascade of four Klatt (1980) formant resonators
 * whose vowel targets (Peterson and Barney 1952) are scaled by the speaker's vocal-tract factor;
 * noise through a high resonance for fricatives; pauses. Speakers are points in a small space of
 * f0 median, f0 spread, tract factor, speaking rate, open quotient and breathiness, so speakers
 * close in that space sound alike and are genuinely harder to separate.
 *
 * <p>{@link io.speechsampler.audio.synth.SyntheticCorpus} writes a whole corpus from a
 * {@link io.speechsampler.audio.synth.SynthSpec}: WAV files, Kaldi data dirs and JSONL manifests
 * for speaker-disjoint train, valid and test splits, byte-identical for one seed.
 */
package io.speechsampler.audio.synth;
