package io.speechsampler.audio.mix;

import java.util.Arrays;
import java.util.Objects;

/**
 * A rendered mixture: the mixture and each source as it appears in it (after gain, crop, delay
 * and padding), all of one length. {@code mixture[t]} is the float sum
 * {@code sources[0][t] + sources[1][t] + ... + noise[t]}, in that order.
 *
 * @param mixture the mixture
 * @param sources one row per source of the recipe, in recipe order
 * @param noise   the scaled noise, or null when the recipe has none
 */
public record RenderedMixture(float[] mixture, float[][] sources, float[] noise) {

    public RenderedMixture {
        Objects.requireNonNull(mixture, "mixture");
        Objects.requireNonNull(sources, "sources");
        for (float[] s : sources) {
            if (s.length != mixture.length) {
                throw new IllegalArgumentException("source length is not the mixture's " + mixture.length + ": "
                        + s.length);
            }
        }
        if (noise != null && noise.length != mixture.length) {
            throw new IllegalArgumentException("noise length is not the mixture's " + mixture.length + ": "
                    + noise.length);
        }
    }

    /** Samples in the mixture. */
    public int length() {
        return mixture.length;
    }

    public boolean hasNoise() {
        return noise != null;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof RenderedMixture r && Arrays.equals(r.mixture, mixture)
                && Arrays.deepEquals(r.sources, sources) && Arrays.equals(r.noise, noise);
    }

    @Override
    public int hashCode() {
        return (Arrays.hashCode(mixture) * 31 + Arrays.deepHashCode(sources)) * 31 + Arrays.hashCode(noise);
    }

    @Override
    public String toString() {
        return "RenderedMixture[" + sources.length + " sources, " + mixture.length + " samples"
                + (noise == null ? "" : ", noise") + "]";
    }
}
