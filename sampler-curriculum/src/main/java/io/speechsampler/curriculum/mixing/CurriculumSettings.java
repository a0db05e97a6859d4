package io.speechsampler.curriculum.mixing;

import java.util.Arrays;
import java.util.Objects;

/**
 * The settings of {@link MultiFactorCurriculumSampler}; the config keys of
 * {@code multi-factor-curriculum} in brackets. Every factor is a {@link FactorSchedule} with its
 * own pacing (the shared {@code pacing} unless the factor's own is set).
 *
 * @param segmentSeconds  mixture length in seconds, above 0 ({@code segment_seconds})
 * @param stepsPerSegment global batches between two progress decisions, at least 1
 *                        ({@code steps_per_segment})
 * @param speakerCounts   the speaker counts a mixture may have, strictly increasing, each at least 2
 *                        ({@code speakers})
 * @param speakerShares   stops of the counts' shares, each summing to 1 ({@code speaker_shares})
 * @param snrDb           stops of [low, high]: each interferer's SNR relative to the target in dB is
 *                        uniform in the range ({@code snr_db})
 * @param overlap         stops of [low, high] in (0, 1]: the overlap ratio aimed at is uniform in the
 *                        range ({@code overlap})
 * @param realShare       stops of the share of mixtures drawn from the second corpus, tagged
 *                        {@code real} ({@code real_share})
 * @param noiseSnrLowDb   low end of the uniform noise SNR range in dB, when there is a noise corpus
 *                        ({@code noise_snr_db[0]})
 * @param noiseSnrHighDb  its high end ({@code noise_snr_db[1]})
 */
public record CurriculumSettings(double segmentSeconds, long stepsPerSegment, int[] speakerCounts,
                                 FactorSchedule speakerShares, FactorSchedule snrDb, FactorSchedule overlap,
                                 FactorSchedule realShare, double noiseSnrLowDb, double noiseSnrHighDb) {

    public CurriculumSettings {
        if (!(segmentSeconds > 0 && segmentSeconds <= 3600)) {
            throw new IllegalArgumentException("segmentSeconds is not in (0, 3600]: " + segmentSeconds);
        }
        if (stepsPerSegment < 1) {
            throw new IllegalArgumentException("stepsPerSegment is not at least 1: " + stepsPerSegment);
        }
        speakerCounts = speakerCounts.clone();
        for (int i = 0; i < speakerCounts.length; i++) {
            if (speakerCounts[i] < 2 || (i > 0 && speakerCounts[i] <= speakerCounts[i - 1])) {
                throw new IllegalArgumentException("speaker counts are not strictly increasing from at least 2: "
                        + Arrays.toString(speakerCounts));
            }
        }
        Objects.requireNonNull(speakerShares, "speakerShares");
        Objects.requireNonNull(snrDb, "snrDb");
        Objects.requireNonNull(overlap, "overlap");
        Objects.requireNonNull(realShare, "realShare");
        if (speakerCounts.length == 0 || speakerShares.stops()[0].length != speakerCounts.length) {
            throw new IllegalArgumentException("speaker shares do not have one share per speaker count "
                    + Arrays.toString(speakerCounts));
        }
        for (double[] stop : speakerShares.stops()) {
            double sum = 0;
            for (double v : stop) {
                if (!(v >= 0 && v <= 1)) {
                    throw new IllegalArgumentException("a speaker share is not in [0, 1]: " + v);
                }
                sum += v;
            }
            if (Math.abs(sum - 1) > SHARE_SUM_TOLERANCE) {
                throw new IllegalArgumentException("speaker shares do not sum to 1: " + Arrays.toString(stop));
            }
        }
        for (double[] r : snrDb.stops()) {
            if (r.length != 2 || !(r[0] <= r[1]) || r[0] < -MAX_ABS_SNR_DB || r[1] > MAX_ABS_SNR_DB) {
                throw new IllegalArgumentException("an SNR range is not [low, high] with -" + MAX_ABS_SNR_DB
                        + " <= low <= high <= " + MAX_ABS_SNR_DB + ": " + Arrays.toString(r));
            }
        }
        for (double[] r : overlap.stops()) {
            if (r.length != 2 || !(r[0] > 0 && r[0] <= r[1] && r[1] <= 1)) {
                throw new IllegalArgumentException("an overlap range is not [low, high] with 0 < low <= high <= 1: "
                        + Arrays.toString(r));
            }
        }
        for (double[] r : realShare.stops()) {
            if (r.length != 1 || !(r[0] >= 0 && r[0] <= 1)) {
                throw new IllegalArgumentException("a real share is not in [0, 1]: " + Arrays.toString(r));
            }
        }
        if (!(noiseSnrLowDb <= noiseSnrHighDb) || noiseSnrLowDb < -MAX_ABS_SNR_DB || noiseSnrHighDb > MAX_ABS_SNR_DB) {
            throw new IllegalArgumentException("the noise SNR range is not [low, high] with low <= high: ["
                    + noiseSnrLowDb + ", " + noiseSnrHighDb + "]");
        }
    }

    /** How far from 1 a stop's speaker shares may sum (rounding in a config's decimals). */
    public static final double SHARE_SUM_TOLERANCE = 1e-6;

    /** The largest |SNR| in dB a range may hold. */
    public static final double MAX_ABS_SNR_DB = 60;

    @Override
    public int[] speakerCounts() {
        return speakerCounts.clone();
    }

    /** The largest speaker count with a share above 0 at some stop. */
    public int mostSpeakers() {
        int most = 0;
        for (double[] stop : speakerShares.stops()) {
            for (int i = 0; i < stop.length; i++) {
                if (stop[i] > 0) {
                    most = Math.max(most, speakerCounts[i]);
                }
            }
        }
        return most;
    }

    /** True when some stop draws from the second corpus. */
    public boolean usesReal() {
        for (double[] r : realShare.stops()) {
            if (r[0] > 0) {
                return true;
            }
        }
        return false;
    }
}
