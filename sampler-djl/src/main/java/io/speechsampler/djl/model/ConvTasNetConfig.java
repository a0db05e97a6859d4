package io.speechsampler.djl.model;

import java.util.Locale;

/**
 * Conv-TasNet hyper-parameters in the paper's letters (Luo and Mesgarani 2019, table 1).
 *
 * @param n       encoder filters N
 * @param l       filter length L in samples (even; the encoder stride is L/2)
 * @param b       bottleneck and residual channels B (skip channels equal B)
 * @param h       channels H inside a convolutional block
 * @param p       depthwise kernel size P (odd)
 * @param x       blocks per repeat X (dilations 1, 2, ..., 2^(X-1))
 * @param r       repeats R
 * @param sources outputs S (1 for target speaker extraction)
 * @param sigmoid true: sigmoid masks; false: ReLU masks
 */
public record ConvTasNetConfig(int n, int l, int b, int h, int p, int x, int r, int sources, boolean sigmoid) {

    public ConvTasNetConfig {
        positive("N", n);
        positive("B", b);
        positive("H", h);
        positive("X", x);
        positive("R", r);
        positive("sources", sources);
        if (l < 2 || l % 2 != 0) {
            throw new IllegalArgumentException("L is not an even number of at least 2: " + l);
        }
        if (p < 1 || p % 2 != 1) {
            throw new IllegalArgumentException("P is not an odd number of at least 1: " + p);
        }
    }

    private static void positive(String name, int v) {
        if (v < 1) {
            throw new IllegalArgumentException(name + " is not at least 1: " + v);
        }
    }

    /** The paper's best causal-free setting: N=512, L=16, B=128, H=512, P=3, X=8, R=3. */
    public static ConvTasNetConfig full(int sources) {
        return new ConvTasNetConfig(512, 16, 128, 512, 3, 8, 3, sources, true);
    }

    /** The paper's N, L, B, H with R=2, X=6. */
    public static ConvTasNetConfig light(int sources) {
        return new ConvTasNetConfig(512, 16, 128, 512, 3, 6, 2, sources, true);
    }

    /** N=64, L=16, B=32, H=64, P=3, X=4, R=1: learns on two CPU cores in minutes. */
    public static ConvTasNetConfig tiny(int sources) {
        return new ConvTasNetConfig(64, 16, 32, 64, 3, 4, 1, sources, true);
    }

    /** {@code full}, {@code light} or {@code tiny}. */
    public static ConvTasNetConfig preset(String name, int sources) {
        return switch (name.toLowerCase(Locale.ROOT)) {
            case "full" -> full(sources);
            case "light" -> light(sources);
            case "tiny" -> tiny(sources);
            default -> throw new IllegalArgumentException("Conv-TasNet preset is not one of [full, light, tiny]: '"
                    + name + "'");
        };
    }

    /** Encoder stride, L/2. */
    public int stride() {
        return l / 2;
    }
}
