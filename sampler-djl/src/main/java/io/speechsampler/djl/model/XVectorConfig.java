package io.speechsampler.djl.model;

import java.util.Locale;

/**
 * x-vector TDNN sizes (Snyder et al., "X-vectors: robust DNN embeddings for speaker
 * recognition", 2018): five frame layers of {@code frameWidth} channels (the fifth of
 * {@code poolWidth}), statistics pooling, segment layers 6 and 7 of {@code embeddingDim}.
 *
 * @param mels         log-mel bands of the input features
 * @param frameWidth   channels of frame layers 1-4 (512 in the paper)
 * @param poolWidth    channels of frame layer 5 (1500 in the paper)
 * @param embeddingDim width of segment layers 6 (the embedding) and 7 (512 in the paper)
 * @param classes      output classes (training speakers)
 */
public record XVectorConfig(int mels, int frameWidth, int poolWidth, int embeddingDim, int classes) {

    public XVectorConfig {
        if (mels < 1 || frameWidth < 1 || poolWidth < 1 || embeddingDim < 1 || classes < 1) {
            throw new IllegalArgumentException("x-vector sizes must all be at least 1: mels " + mels + ", frame width "
                    + frameWidth + ", pool width " + poolWidth + ", embedding " + embeddingDim + ", classes " + classes);
        }
    }

    /** The paper's widths on 30 log-mel bands. */
    public static XVectorConfig full(int classes) {
        return new XVectorConfig(30, 512, 1500, 512, classes);
    }

    /** Widths 64 / 128 / 64 on 24 bands, for tests and CPUs. */
    public static XVectorConfig tiny(int classes) {
        return new XVectorConfig(24, 64, 128, 64, classes);
    }

    /** {@code full} or {@code tiny}. */
    public static XVectorConfig preset(String name, int classes) {
        return switch (name.toLowerCase(Locale.ROOT)) {
            case "full" -> full(classes);
            case "tiny" -> tiny(classes);
            default -> throw new IllegalArgumentException("x-vector preset is not one of [full, tiny]: '" + name + "'");
        };
    }
}
