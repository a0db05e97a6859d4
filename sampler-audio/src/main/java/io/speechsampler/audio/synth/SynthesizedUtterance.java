package io.speechsampler.audio.synth;

/**
 * One synthesized utterance.
 *
 * @param samples    audio in [-1, 1], normalised to an RMS of about -26 dBFS
 * @param f0MedianHz median f0 over the utterance's voiced frames (40 ms windows at a 10 ms hop
 *                   centred in a voiced segment), from the synthesizer's own per-period f0
 *                   (jitter included), as {@code SourceFilterSynthesizer} defines them: the
 *                   reference a pitch tracker is checked against
 * @param voicedFrames number of voiced frames the median is over
 */
public record SynthesizedUtterance(float[] samples, double f0MedianHz, int voicedFrames) {
}
