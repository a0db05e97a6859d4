package io.speechsampler.audio.mix;

/**
 * The settings of {@link DynamicMixingSampler}; the config keys of {@code dynamic-mixing} in
 * brackets.
 *
 * @param speakers       sources per mixture, each from a different speaker, at least 2 ({@code speakers})
 * @param gainLowDb      low end of the uniform gain range in dB ({@code gain_db[0]})
 * @param gainHighDb     high end, at least {@code gainLowDb} ({@code gain_db[1]})
 * @param segmentSeconds mixture length in seconds, in [0, 3600]; 0 mixes whole utterances
 *                       ({@code segment_seconds})
 * @param overlap        fraction of the segment (of the first source, for whole utterances) that
 *                       the other sources overlap, in [0, 1]; above 0 when {@code segmentSeconds}
 *                       is above 0, since the other sources would start after the segment's end
 *                       ({@code overlap})
 * @param snrLowDb       low end of the uniform noise SNR range in dB ({@code snr_db[0]})
 * @param snrHighDb      high end, at least {@code snrLowDb} ({@code snr_db[1]})
 */
public record DynamicMixingSettings(int speakers, double gainLowDb, double gainHighDb, double segmentSeconds,
                                    double overlap, double snrLowDb, double snrHighDb) {

    public DynamicMixingSettings {
        if (speakers < 2) {
            throw new IllegalArgumentException("speakers is not at least 2: " + speakers);
        }
        range("gain", gainLowDb, gainHighDb);
        range("snr", snrLowDb, snrHighDb);
        if (!(segmentSeconds >= 0 && segmentSeconds <= 3600)) {
            throw new IllegalArgumentException("segmentSeconds is not in [0, 3600]: " + segmentSeconds);
        }
        if (!(overlap >= 0 && overlap <= 1)) {
            throw new IllegalArgumentException("overlap is not in [0, 1]: " + overlap);
        }
        if (overlap == 0 && segmentSeconds > 0) {
            throw new IllegalArgumentException("overlap is not above 0 with a segment length (the other sources "
                    + "would start at the segment's end and be silent): " + overlap);
        }
    }

    private static void range(String name, double lo, double hi) {
        if (!Double.isFinite(lo) || !Double.isFinite(hi) || lo > hi) {
            throw new IllegalArgumentException(name + " range is not finite [low, high] with low <= high: [" + lo
                    + ", " + hi + "]");
        }
    }

    /** The defaults: 2 speakers, gains in [-5, 5] dB, 4 s segments, full overlap, SNR in [10, 20] dB. */
    public static DynamicMixingSettings defaults() {
        return new DynamicMixingSettings(2, -5, 5, 4.0, 1.0, 10, 20);
    }

    public DynamicMixingSettings withSpeakers(int k) {
        return new DynamicMixingSettings(k, gainLowDb, gainHighDb, segmentSeconds, overlap, snrLowDb, snrHighDb);
    }

    public DynamicMixingSettings withGainDb(double low, double high) {
        return new DynamicMixingSettings(speakers, low, high, segmentSeconds, overlap, snrLowDb, snrHighDb);
    }

    public DynamicMixingSettings withSegment(double seconds, double overlapRatio) {
        return new DynamicMixingSettings(speakers, gainLowDb, gainHighDb, seconds, overlapRatio, snrLowDb, snrHighDb);
    }

    public DynamicMixingSettings withSnrDb(double low, double high) {
        return new DynamicMixingSettings(speakers, gainLowDb, gainHighDb, segmentSeconds, overlap, low, high);
    }
}
