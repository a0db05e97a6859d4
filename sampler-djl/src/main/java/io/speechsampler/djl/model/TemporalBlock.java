package io.speechsampler.djl.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Block;
import ai.djl.nn.convolutional.Conv1d;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;

/**
 * One 1-D convolutional block of the Conv-TasNet TCN: 1x1 conv B to H, PReLU, gLN, depthwise
 * conv with dilation d and "same" padding, PReLU, gLN, then a 1x1 residual conv H to B (absent
 * in the network's last block, whose residual is unused) and a 1x1 skip conv H to B.
 * Input (N, B, K); output {@code [residual (N, B, K), skip (N, B, K)]}.
 */
final class TemporalBlock extends AbstractBlock {

    private final Block in;
    private final Block prelu1;
    private final Block norm1;
    private final Block depthwise;
    private final Block prelu2;
    private final Block norm2;
    private final Block residual;
    private final Block skip;

    TemporalBlock(int b, int h, int p, int dilation, boolean hasResidual) {
        in = addChildBlock("in", conv(h, 1, 1, 0, 1));
        prelu1 = addChildBlock("prelu1", ParametricRelu.of());
        norm1 = addChildBlock("norm1", GlobalLayerNorm.of(h));
        depthwise = addChildBlock("depthwise", conv(h, p, dilation, dilation * (p - 1) / 2, h));
        prelu2 = addChildBlock("prelu2", ParametricRelu.of());
        norm2 = addChildBlock("norm2", GlobalLayerNorm.of(h));
        residual = hasResidual ? addChildBlock("residual", conv(b, 1, 1, 0, 1)) : null;
        skip = addChildBlock("skip", conv(b, 1, 1, 0, 1));
    }

    static Block conv(int filters, int kernel, int dilation, int padding, int groups) {
        return Conv1d.builder().setFilters(filters).setKernelShape(new Shape(kernel))
                .optDilation(new Shape(dilation)).optPadding(new Shape(padding)).optGroups(groups).build();
    }

    @Override
    protected NDList forwardInternal(ParameterStore store, NDList inputs, boolean training,
                                     PairList<String, Object> params) {
        NDArray x = inputs.singletonOrThrow();
        NDArray y = x;
        for (Block blk : new Block[] {in, prelu1, norm1, depthwise, prelu2, norm2}) {
            y = blk.forward(store, new NDList(y), training).singletonOrThrow();
        }
        NDArray res = residual == null ? x : x.add(residual.forward(store, new NDList(y), training).singletonOrThrow());
        NDArray sk = skip.forward(store, new NDList(y), training).singletonOrThrow();
        return new NDList(res, sk);
    }

    @Override
    protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
        Shape s = inputShapes[0];
        in.initialize(manager, dataType, s);
        Shape hs = in.getOutputShapes(new Shape[] {s})[0];
        for (Block blk : new Block[] {prelu1, norm1, depthwise, prelu2, norm2, skip}) {
            blk.initialize(manager, dataType, hs);
        }
        if (residual != null) {
            residual.initialize(manager, dataType, hs);
        }
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        return new Shape[] {inputShapes[0], inputShapes[0]};
    }
}
