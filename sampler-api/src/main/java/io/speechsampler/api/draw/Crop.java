package io.speechsampler.api.draw;

/**
 * A window of an utterance in samples: {@code [offset, offset + length)} from the utterance's first
 * sample. A window reaching past the utterance's end is rendered zero-padded there, so a crop longer
 * than its utterance is allowed.
 *
 * @param offset first sample, at least 0
 * @param length samples, at least 1
 */
public record Crop(long offset, long length) {

    public Crop {
        if (offset < 0) {
            throw new IllegalArgumentException("crop offset is negative: " + offset);
        }
        if (length < 1) {
            throw new IllegalArgumentException("crop length is not at least 1: " + length);
        }
    }
}
