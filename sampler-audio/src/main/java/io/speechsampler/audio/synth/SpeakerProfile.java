package io.speechsampler.audio.synth;

import java.util.Objects;
import org.apache.commons.rng.UniformRandomProvider;

/**
 * The voice of one synthetic speaker.
 *
 * @param id                 speaker id
 * @param sex                sets the f0 range and biases the tract factor
 * @param f0MedianHz         median of the speaker's f0 contours, in Hz
 * @param f0SpreadSemitones  standard deviation of per-syllable pitch accents, in semitones
 * @param tractFactor        scale of every formant frequency (1 = the Peterson-Barney male averages;
 *                           above 1 is a shorter vocal tract)
 * @param speakingRate       syllables per second relative to the average (segment lengths are divided by it)
 * @param openQuotient       fraction of each glottal period that the glottis is open (KLGLOTT88 OQ)
 * @param breathiness        aspiration noise relative to the glottal flow
 */
public record SpeakerProfile(String id, Sex sex, double f0MedianHz, double f0SpreadSemitones, double tractFactor,
                             double speakingRate, double openQuotient, double breathiness) {

    public SpeakerProfile {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(sex, "sex");
        check("f0MedianHz", f0MedianHz, 50, 400);
        check("f0SpreadSemitones", f0SpreadSemitones, 0, 12);
        check("tractFactor", tractFactor, 0.7, 1.3);
        check("speakingRate", speakingRate, 0.5, 2);
        check("openQuotient", openQuotient, 0.3, 0.9);
        check("breathiness", breathiness, 0, 1);
    }

    private static void check(String name, double v, double lo, double hi) {
        if (!(v >= lo && v <= hi)) {
            throw new IllegalArgumentException(name + " is not in [" + lo + ", " + hi + "]: " + v);
        }
    }

    /**
     * Draws a speaker of the given sex, each trait independent and uniform: f0 median in the
     * sex's range, f0 spread in [1, 3] semitones, tract factor in the sex's range, speaking rate
     * in [0.8, 1.25], open quotient in [0.45, 0.7], breathiness in [0, 0.05] (modal voice:
     * aspiration noise well below the periodic part, so that a steady vowel's YIN aperiodicity
     * stays under 0.1). Uses six
     * {@code nextDouble()} calls in that order.
     */
    public static SpeakerProfile draw(String id, Sex sex, UniformRandomProvider rng) {
        double f0 = uniform(rng, sex.f0Low(), sex.f0High());
        double spread = uniform(rng, 1.0, 3.0);
        double tract = uniform(rng, sex.tractLow(), sex.tractHigh());
        double rate = uniform(rng, 0.8, 1.25);
        double oq = uniform(rng, 0.45, 0.7);
        double breath = uniform(rng, 0.0, 0.05);
        return new SpeakerProfile(id, sex, f0, spread, tract, rate, oq, breath);
    }

    private static double uniform(UniformRandomProvider rng, double lo, double hi) {
        return lo + (hi - lo) * rng.nextDouble();
    }
}
