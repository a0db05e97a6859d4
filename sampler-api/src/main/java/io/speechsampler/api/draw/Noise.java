package io.speechsampler.api.draw;

import java.util.Objects;

/**
 * Noise added to a mixture at a signal-to-noise ratio relative to the sum of the sources.
 *
 * @param id     noise utterance id (in the noise corpus)
 * @param snrDb  SNR of the speech mixture over the noise, in dB
 * @param offset first sample read from the noise utterance
 */
public record Noise(String id, double snrDb, long offset) {

    public Noise {
        Objects.requireNonNull(id, "id");
        if (!Double.isFinite(snrDb)) {
            throw new IllegalArgumentException("snr_db is not finite: " + snrDb);
        }
        if (offset < 0) {
            throw new IllegalArgumentException("offset is negative: " + offset);
        }
    }
}
