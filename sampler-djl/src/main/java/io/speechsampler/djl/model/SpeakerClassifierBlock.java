package io.speechsampler.djl.model;

import ai.djl.MalformedModelException;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Block;
import ai.djl.nn.ParameterList;
import ai.djl.nn.core.Linear;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.Arrays;

/**
 * An extraction network with a linear speaker classifier on its speaker embedding (its output 1):
 * the auxiliary speaker-classification loss of SpEx+ (Ge et al., "SpEx+: A complete time domain
 * speaker extraction network", Interspeech 2020), which trains the enrolment network to tell the
 * training speakers apart. Its outputs are the network's, then the classifier's logits
 * {@code (batch, classes)}. The classifier is training scaffolding: it lives here, not in the model,
 * so that the model plugin and a model trained without the loss stay as they are.
 *
 * <p>The network's parameters keep their names ({@link #getParameters()}: the network's, then the
 * classifier's prefixed {@value #PREFIX}), and {@code model.params} holds the network's parameter
 * stream unchanged followed by the classifier's.
 */
public final class SpeakerClassifierBlock extends AbstractBlock {

    /** Prefix of the classifier's parameter names. */
    public static final String PREFIX = "speaker_classifier_";

    private final Block network;
    private final Block classifier;

    private SpeakerClassifierBlock(Block network, int classes) {
        this.network = addChildBlock("network", network);
        this.classifier = addChildBlock("speaker_classifier", Linear.builder().setUnits(classes).build());
    }

    /**
     * {@code network} (an extractor whose output 1 is the speaker embedding) with a classifier into
     * {@code classes} speakers.
     */
    public static SpeakerClassifierBlock wrap(Block network, int classes) {
        if (classes < 1) {
            throw new IllegalArgumentException("a speaker classifier needs at least 1 class, got " + classes);
        }
        return new SpeakerClassifierBlock(network, classes);
    }

    /** The wrapped network. */
    public Block network() {
        return network;
    }

    @Override
    protected NDList forwardInternal(ParameterStore store, NDList inputs, boolean training,
                                     PairList<String, Object> params) {
        NDList out = network.forward(store, inputs, training, params);
        if (out.size() < 2) {
            throw new IllegalStateException("the wrapped network gives no speaker embedding (output 1), got "
                    + out.size() + " output(s)");
        }
        NDArray logits = classifier.forward(store, new NDList(out.get(1)), training).singletonOrThrow();
        NDList all = new NDList(out);
        all.add(logits);
        return all;
    }

    @Override
    protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
        network.initialize(manager, dataType, inputShapes);
        classifier.initialize(manager, dataType, network.getOutputShapes(inputShapes)[1]);
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        Shape[] inner = network.getOutputShapes(inputShapes);
        Shape[] out = Arrays.copyOf(inner, inner.length + 1);
        out[inner.length] = classifier.getOutputShapes(new Shape[] {inner[1]})[0];
        return out;
    }

    /** The network's parameters under their own names, then the classifier's, prefixed {@value #PREFIX}. */
    @Override
    public ParameterList getParameters() {
        ParameterList all = new ParameterList();
        network.getParameters().forEach(p -> all.add(p.getKey(), p.getValue()));
        classifier.getParameters().forEach(p -> all.add(PREFIX + p.getKey(), p.getValue()));
        return all;
    }

    @Override
    public void saveParameters(DataOutputStream os) throws IOException {
        network.saveParameters(os);
        classifier.saveParameters(os);
    }

    @Override
    public void loadParameters(NDManager manager, DataInputStream is) throws IOException, MalformedModelException {
        network.loadParameters(manager, is);
        classifier.loadParameters(manager, is);
    }
}
