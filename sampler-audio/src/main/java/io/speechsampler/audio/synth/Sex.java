package io.speechsampler.audio.synth;

import java.util.Locale;

/** A synthetic speaker's sex, which sets the f0 range and biases the vocal-tract factor. */
public enum Sex {

    /** f0 medians in [85, 155] Hz, tract factors in [0.85, 1.03]. */
    MALE(85, 155, 0.85, 1.03),
    /** f0 medians in [165, 255] Hz, tract factors in [0.97, 1.15]. */
    FEMALE(165, 255, 0.97, 1.15);

    private final double f0Low;
    private final double f0High;
    private final double tractLow;
    private final double tractHigh;

    Sex(double f0Low, double f0High, double tractLow, double tractHigh) {
        this.f0Low = f0Low;
        this.f0High = f0High;
        this.tractLow = tractLow;
        this.tractHigh = tractHigh;
    }

    /** Lowest f0 median a speaker of this sex gets, in Hz. */
    public double f0Low() {
        return f0Low;
    }

    /** Highest f0 median a speaker of this sex gets, in Hz. */
    public double f0High() {
        return f0High;
    }

    /** Lowest vocal-tract factor (formant scale) a speaker of this sex gets. */
    public double tractLow() {
        return tractLow;
    }

    /** Highest vocal-tract factor a speaker of this sex gets. */
    public double tractHigh() {
        return tractHigh;
    }

    /** The manifest tag and TSV value: {@code male} or {@code female}. */
    public String tag() {
        return name().toLowerCase(Locale.ROOT);
    }
}
