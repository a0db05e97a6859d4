package io.speechsampler.api.random;

import java.nio.charset.StandardCharsets;
import org.apache.commons.rng.UniformRandomProvider;
import org.apache.commons.rng.simple.RandomSource;

/**
 * Seeded random streams split per use, so that a run replays from (config, seed, step): each
 * (seed, purpose, epoch) names its own independent stream, whatever else drew before it.
 * Streams are {@link RandomSource#XO_RO_SHI_RO_128_PP} seeded with SplitMix64 outputs of a
 * mix of the three keys.
 */
public final class RandomStreams {

    private static final RandomSource ALGORITHM = RandomSource.XO_RO_SHI_RO_128_PP;

    private RandomStreams() {
    }

    /** A fresh provider for one purpose (component key) in one epoch. */
    public static UniformRandomProvider of(long seed, String purpose, long epoch) {
        long h = mix(seed ^ 0x9E3779B97F4A7C15L);
        for (byte b : purpose.getBytes(StandardCharsets.UTF_8)) {
            h = mix(h ^ (b & 0xFF));
        }
        h = mix(h ^ epoch);
        long[] state = {mix(h + 0x9E3779B97F4A7C15L), mix(h + 2 * 0x9E3779B97F4A7C15L)};
        if (state[0] == 0 && state[1] == 0) {
            state[1] = 1;
        }
        return ALGORITHM.create(state);
    }

    /** A derived 64-bit seed, for libraries that take a long (DJL, torch). */
    public static long derive(long seed, String purpose, long index) {
        return of(seed, purpose, index).nextLong();
    }

    /** SplitMix64's finaliser (Steele, Lea and Flood 2014). */
    static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }
}
