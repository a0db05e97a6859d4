package io.speechsampler.djl.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import io.speechsampler.djl.ndarray.Scalars;
import io.speechsampler.djl.ndarray.Staging;
import java.util.BitSet;

/**
 * Turns the x-vector's class scores into logits: plain softmax logits, additive margin
 * (CosFace / AM-softmax, Wang et al. 2018: {@code s * (cos - m)} on the true class) or additive
 * angular margin (ArcFace, Deng et al. 2019: {@code s * cos(theta + m)} on the true class, with
 * ArcFace's fallback {@code cos - m sin m} past {@code theta = pi - m}). Masked classes get a
 * logit of -1e9, so their softmax probability is exactly 0 and only live classes share the mass.
 */
public final class ClassifierHead {

    /** Which head. */
    public enum Kind { SOFTMAX, ADDITIVE_MARGIN, ADDITIVE_ANGULAR }

    static final float MASKED_LOGIT = -1e9f;

    private final Kind kind;
    private final float scale;
    private final float margin;

    private ClassifierHead(Kind kind, float scale, float margin) {
        this.kind = kind;
        this.scale = scale;
        this.margin = margin;
    }

    public static ClassifierHead softmax() {
        return new ClassifierHead(Kind.SOFTMAX, 1, 0);
    }

    /** CosFace with the given scale and margin (DropClass's config: s=30, m=0.4). */
    public static ClassifierHead additiveMargin(double s, double m) {
        check(s, m);
        return new ClassifierHead(Kind.ADDITIVE_MARGIN, (float) s, (float) m);
    }

    /** ArcFace with the given scale and angular margin (s=30, m=0.5 in the paper). */
    public static ClassifierHead additiveAngular(double s, double m) {
        check(s, m);
        if (m >= Math.PI / 2) {
            throw new IllegalArgumentException("angular margin is not below pi/2: " + m);
        }
        return new ClassifierHead(Kind.ADDITIVE_ANGULAR, (float) s, (float) m);
    }

    /** {@code softmax}, {@code am} (s=30, m=0.4) or {@code aam} (s=30, m=0.5). */
    public static ClassifierHead named(String name) {
        return switch (name) {
            case "softmax" -> softmax();
            case "am" -> additiveMargin(30, 0.4);
            case "aam" -> additiveAngular(30, 0.5);
            default -> throw new IllegalArgumentException("head is not one of [softmax, am, aam]: '" + name + "'");
        };
    }

    private static void check(double s, double m) {
        if (!(s > 0) || !(m >= 0)) {
            throw new IllegalArgumentException("margin head needs scale > 0 and margin >= 0: s " + s + ", m " + m);
        }
    }

    public Kind kind() {
        return kind;
    }

    /** True when the model must output cosine scores (normalised embedding and weights). */
    public boolean usesCosine() {
        return kind != Kind.SOFTMAX;
    }

    /**
     * Logits for training (margins applied to the true class).
     *
     * @param scores (batch, C): logits for softmax, cosines for the margin heads
     * @param oneHot (batch, C) one-hot true classes, float
     * @param live   live classes, or null for all
     */
    public NDArray trainingLogits(NDArray scores, NDArray oneHot, BitSet live) {
        NDArray logits = switch (kind) {
            case SOFTMAX -> scores;
            case ADDITIVE_MARGIN -> Scalars.mul(scores.sub(Scalars.mul(oneHot, margin)), scale);
            case ADDITIVE_ANGULAR -> {
                NDArray sin = Scalars.clip(Scalars.add(scores.square().neg(), 1f), 1e-7f, 1f).sqrt();
                NDArray phi = Scalars.mul(scores, (float) Math.cos(margin))
                        .sub(Scalars.mul(sin, (float) Math.sin(margin)));
                float threshold = (float) Math.cos(Math.PI - margin);
                NDArray fallback = Scalars.sub(scores, (float) (Math.sin(Math.PI - margin) * margin));
                phi = NDArrays.where(Scalars.gt(scores, threshold), phi, fallback);
                yield Scalars.mul(scores.add(oneHot.mul(phi.sub(scores))), scale);
            }
        };
        return masked(logits, live);
    }

    /** Logits without margins (inference, probabilities of the true class as a metric). */
    public NDArray inferenceLogits(NDArray scores, BitSet live) {
        return masked(kind == Kind.SOFTMAX ? scores : Scalars.mul(scores, scale), live);
    }

    /**
     * The live classes below {@code classes} as int64 indices in increasing order (the rows a
     * sliced class layer computes: {@link XVectorTdnn}'s second input), in {@code manager}; null
     * when there is no mask or every class is live (nothing to slice).
     */
    public static NDArray liveRows(NDManager manager, BitSet live, int classes) {
        if (live == null) {
            return null;
        }
        long[] rows = live.get(0, classes).stream().asLongStream().toArray();
        return rows.length == classes ? null : manager.create(rows);
    }

    private static NDArray masked(NDArray logits, BitSet live) {
        if (live == null) {
            return logits;
        }
        int c = (int) logits.getShape().get(1);
        float[] penalty = new float[c];
        for (int i = 0; i < c; i++) {
            penalty[i] = live.get(i) ? 0f : MASKED_LOGIT;
        }
        return logits.add(Staging.of(logits.getManager(), penalty, new Shape(c)));
    }
}
