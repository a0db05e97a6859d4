package io.speechsampler.djl.model;

import ai.djl.MalformedModelException;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.nn.ParameterList;
import ai.djl.training.ParameterStore;
import ai.djl.training.initializer.ConstantInitializer;
import ai.djl.util.PairList;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.Arrays;

/**
 * A network with the learnable scale {@code w} and bias {@code b} of a scaled-cosine loss (the
 * angular prototypical loss: {@link io.speechsampler.djl.loss.AngularPrototypicalLoss}), so that
 * the trainer updates, clips, checkpoints and restores them with the network's own parameters.
 * Its outputs are the network's, then {@code w} and {@code b} as arrays of shape (1) of the
 * batch. The parameters live here, not in the model plugin, so that any classifier network trains
 * contrastively without knowing of the loss.
 *
 * <p>The network's parameters keep their names ({@link #getParameters()}: the network's, then
 * {@value #SCALE} and {@value #BIAS}), and {@code model.params} holds the network's parameter
 * stream unchanged followed by {@code w} and {@code b}: a later phase that trains the bare network
 * (loss-gated learning's stage 2) finds its weights where a checkpoint of the bare network has them.
 */
public final class CosineScaleBlock extends AbstractBlock {

    /** Parameter name of the scale {@code w}. */
    public static final String SCALE = "contrastive_w";
    /** Parameter name of the bias {@code b}. */
    public static final String BIAS = "contrastive_b";

    private final Block network;
    private final Parameter scale;
    private final Parameter bias;

    private CosineScaleBlock(Block network, float initialScale, float initialBias) {
        this.network = addChildBlock("network", network);
        this.scale = addParameter(Parameter.builder().setName(SCALE).setType(Parameter.Type.OTHER)
                .optShape(new Shape(1)).optInitializer(new ConstantInitializer(initialScale)).build());
        this.bias = addParameter(Parameter.builder().setName(BIAS).setType(Parameter.Type.OTHER)
                .optShape(new Shape(1)).optInitializer(new ConstantInitializer(initialBias)).build());
    }

    /** {@code network} with a scale starting at {@code initialScale} and a bias at {@code initialBias}. */
    public static CosineScaleBlock wrap(Block network, double initialScale, double initialBias) {
        return new CosineScaleBlock(network, (float) initialScale, (float) initialBias);
    }

    /** The wrapped network. */
    public Block network() {
        return network;
    }

    @Override
    protected NDList forwardInternal(ParameterStore store, NDList inputs, boolean training,
                                     PairList<String, Object> params) {
        NDList out = network.forward(store, inputs, training, params);
        NDArray first = out.get(0);
        NDList all = new NDList(out);
        all.add(local(store.getValue(scale, first.getDevice(), training), first));
        all.add(local(store.getValue(bias, first.getDevice(), training), first));
        return all;
    }

    /**
     * {@code p} as an array of {@code like}'s manager (results join their first operand's manager,
     * so arithmetic on it stays in the batch's) through which the gradient still reaches {@code p}.
     */
    private static NDArray local(NDArray p, NDArray like) {
        return like.getManager().zeros(p.getShape(), p.getDataType()).add(p);
    }

    @Override
    protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
        network.initialize(manager, dataType, inputShapes);
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        Shape[] inner = network.getOutputShapes(inputShapes);
        Shape[] out = Arrays.copyOf(inner, inner.length + 2);
        out[inner.length] = new Shape(1);
        out[inner.length + 1] = new Shape(1);
        return out;
    }

    /** The network's parameters under their own names, then {@value #SCALE} and {@value #BIAS}. */
    @Override
    public ParameterList getParameters() {
        ParameterList all = new ParameterList();
        network.getParameters().forEach(p -> all.add(p.getKey(), p.getValue()));
        all.add(SCALE, scale);
        all.add(BIAS, bias);
        return all;
    }

    @Override
    public void saveParameters(DataOutputStream os) throws IOException {
        network.saveParameters(os);
        scale.save(os);
        bias.save(os);
    }

    @Override
    public void loadParameters(NDManager manager, DataInputStream is) throws IOException, MalformedModelException {
        network.loadParameters(manager, is);
        scale.load(manager, is);
        bias.load(manager, is);
    }
}
