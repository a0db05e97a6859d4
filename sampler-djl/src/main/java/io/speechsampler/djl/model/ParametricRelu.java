package io.speechsampler.djl.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;
import ai.djl.training.initializer.ConstantInitializer;
import ai.djl.util.PairList;
import io.speechsampler.djl.ndarray.Scalars;

/**
 * PReLU with one learnable slope initialised to 0.25, written as {@code max(x,0) + a*min(x,0)}
 * because DJL's {@code Prelu} block does not run on the PyTorch engine.
 */
public final class ParametricRelu extends AbstractBlock {

    private final Parameter alpha;

    private ParametricRelu() {
        alpha = addParameter(Parameter.builder().setName("alpha").setType(Parameter.Type.OTHER)
                .optShape(new Shape(1)).optInitializer(new ConstantInitializer(0.25f)).build());
    }

    public static ParametricRelu of() {
        return new ParametricRelu();
    }

    @Override
    protected NDList forwardInternal(ParameterStore store, NDList inputs, boolean training,
                                     PairList<String, Object> params) {
        NDArray x = inputs.singletonOrThrow();
        NDArray a = store.getValue(alpha, x.getDevice(), training);
        return new NDList(Scalars.maximum(x, 0f).add(Scalars.minimum(x, 0f).mul(a)));
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        return new Shape[] {inputShapes[0]};
    }
}
