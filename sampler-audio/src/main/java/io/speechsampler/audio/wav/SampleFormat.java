package io.speechsampler.audio.wav;

/** The sample encodings this package reads and writes. */
public enum SampleFormat {

    /** Signed little-endian 16-bit PCM (WAVE format 1). */
    PCM_16(16, false),
    /** Signed little-endian 24-bit PCM (WAVE format 1). */
    PCM_24(24, false),
    /** IEEE 754 little-endian 32-bit float (WAVE format 3). */
    FLOAT_32(32, true);

    private final int bits;
    private final boolean floatingPoint;

    SampleFormat(int bits, boolean floatingPoint) {
        this.bits = bits;
        this.floatingPoint = floatingPoint;
    }

    /** Bits per sample. */
    public int bits() {
        return bits;
    }

    /** Bytes per sample (one channel). */
    public int bytes() {
        return bits / 8;
    }

    /** True for IEEE float samples. */
    public boolean floatingPoint() {
        return floatingPoint;
    }

    /** The format of a header's samples, as {@link io.speechsampler.api.corpus.WavHeader} describes them. */
    static SampleFormat of(int bitsPerSample, boolean isFloat) {
        if (isFloat && bitsPerSample == 32) {
            return FLOAT_32;
        }
        if (!isFloat && bitsPerSample == 16) {
            return PCM_16;
        }
        if (!isFloat && bitsPerSample == 24) {
            return PCM_24;
        }
        throw new IllegalArgumentException("sample format is not PCM 16/24-bit or float 32-bit: " + bitsPerSample
                + " bits, float " + isFloat);
    }
}
