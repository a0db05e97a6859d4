package io.speechsampler.audio.pitch;

/**
 * A YIN pitch track: one entry per frame, frame {@code i} starting at sample
 * {@code i * hopSamples}.
 *
 * @param sampleRate sample rate of the analysed signal, in Hz
 * @param hopSamples samples between frame starts
 * @param f0Hz the f0 estimate of each frame, {@code NaN} for unvoiced frames
 * @param aperiodicity the value of {@code d'} at each frame's chosen dip (the global minimum
 *     where no dip is below the absolute threshold), whether or not the frame is voiced: near 0
 *     for periodic frames, near 1 for noise
 */
public record PitchTrack(int sampleRate, int hopSamples, double[] f0Hz, double[] aperiodicity) {

    public PitchTrack {
        if (f0Hz.length != aperiodicity.length) {
            throw new IllegalArgumentException("f0Hz and aperiodicity must have the same length: f0Hz has "
                    + f0Hz.length + ", aperiodicity has " + aperiodicity.length);
        }
        f0Hz = f0Hz.clone();
        aperiodicity = aperiodicity.clone();
    }

    @Override
    public double[] f0Hz() {
        return f0Hz.clone();
    }

    @Override
    public double[] aperiodicity() {
        return aperiodicity.clone();
    }

    /** Number of frames. */
    public int frames() {
        return f0Hz.length;
    }

    /** Median f0 over voiced frames and the voiced fraction. */
    public PitchStats stats() {
        return PitchStats.of(f0Hz);
    }
}
