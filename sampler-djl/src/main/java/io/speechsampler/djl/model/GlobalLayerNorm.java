package io.speechsampler.djl.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;
import ai.djl.training.initializer.Initializer;
import ai.djl.util.PairList;
import io.speechsampler.djl.ndarray.Scalars;

/**
 * Conv-TasNet's global layer norm over channels and time of an (N, C, K) input:
 * {@code gamma * (x - mean) / sqrt(var + eps) + beta}, mean and variance over axes 1 and 2.
 * Written with {@code sum} because DJL's PyTorch engine cannot take a mean over several axes.
 */
public final class GlobalLayerNorm extends AbstractBlock {

    private static final float EPS = 1e-8f;

    private final Parameter gamma;
    private final Parameter beta;

    private GlobalLayerNorm(int channels) {
        gamma = addParameter(Parameter.builder().setName("gamma").setType(Parameter.Type.GAMMA)
                .optShape(new Shape(1, channels, 1)).optInitializer(Initializer.ONES).build());
        beta = addParameter(Parameter.builder().setName("beta").setType(Parameter.Type.BETA)
                .optShape(new Shape(1, channels, 1)).optInitializer(Initializer.ZEROS).build());
    }

    public static GlobalLayerNorm of(int channels) {
        if (channels < 1) {
            throw new IllegalArgumentException("channels is not at least 1: " + channels);
        }
        return new GlobalLayerNorm(channels);
    }

    @Override
    protected NDList forwardInternal(ParameterStore store, NDList inputs, boolean training,
                                     PairList<String, Object> params) {
        NDArray x = inputs.singletonOrThrow();
        NDArray g = store.getValue(gamma, x.getDevice(), training);
        NDArray b = store.getValue(beta, x.getDevice(), training);
        return new NDList(normalise(x).mul(g).add(b));
    }

    /** (x - mean) / sqrt(var + eps) over axes 1 and 2, per example. */
    static NDArray normalise(NDArray x) {
        Shape s = x.getShape();
        float count = (float) (s.get(1) * s.get(2));
        int[] axes = {1, 2};
        NDArray centred = x.sub(Scalars.div(x.sum(axes, true), count));
        NDArray variance = Scalars.div(centred.square().sum(axes, true), count);
        return centred.div(Scalars.add(variance, EPS).sqrt());
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        return new Shape[] {inputShapes[0]};
    }
}
