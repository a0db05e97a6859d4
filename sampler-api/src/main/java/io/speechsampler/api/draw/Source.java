package io.speechsampler.api.draw;

import java.util.Objects;

/**
 * One source of a mixture.
 *
 * @param id     utterance id
 * @param gainDb gain applied to the source before mixing, in dB
 * @param offset first sample read from the utterance (crop start), at least 0
 * @param delay  sample of the mixture at which the source starts (0 = fully overlapped start)
 */
public record Source(String id, double gainDb, long offset, long delay) {

    public Source {
        Objects.requireNonNull(id, "id");
        if (!Double.isFinite(gainDb)) {
            throw new IllegalArgumentException("gain_db is not finite: " + gainDb);
        }
        if (offset < 0) {
            throw new IllegalArgumentException("offset is negative: " + offset);
        }
        if (delay < 0) {
            throw new IllegalArgumentException("delay is negative: " + delay);
        }
    }

    public static Source of(String id, double gainDb, long offset) {
        return new Source(id, gainDb, offset, 0);
    }
}
