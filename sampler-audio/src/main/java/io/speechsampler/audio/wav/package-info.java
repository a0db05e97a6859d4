/**
 * Mono WAV input and output for corpus audio: {@link io.speechsampler.audio.wav.WavReader} reads
 * PCM 16-bit, PCM 24-bit and IEEE float 32-bit files (whole or a frame range) into floats in
 * [-1, 1], {@link io.speechsampler.audio.wav.WavWriter} writes floats atomically as PCM 16/24-bit
 * or float 32-bit, and {@link io.speechsampler.audio.wav.AudioCache} keeps recently used
 * utterances in memory under a bound on total samples. Every failure is a
 * {@link io.speechsampler.api.corpus.CorpusException} naming the file and what was expected.
 */
package io.speechsampler.audio.wav;
