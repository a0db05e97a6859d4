package io.speechsampler.audio.synth;

/**
 * One synthesized utterance.
 *
 * @param samples    audio in [-1, 1], normalised to an RMS of about -26 dBFS
 * @param f0MedianHz median f0 over the utterance's voiced 10 ms frames, from the synthesizer's
 *                   own per-period f0 (jitter included): the reference a pitch tracker is checked
 *                   against
 * @param voicedFrames number of voiced 10 ms frames the median is over
 */
public record SynthesizedUtterance(float[] samples, double f0MedianHz, int voicedFrames) {
}
