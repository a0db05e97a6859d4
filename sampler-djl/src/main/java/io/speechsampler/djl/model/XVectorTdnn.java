package io.speechsampler.djl.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Activation;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.nn.ParameterList;
import ai.djl.nn.core.Linear;
import ai.djl.nn.norm.BatchNorm;
import ai.djl.training.ParameterStore;
import ai.djl.training.initializer.XavierInitializer;
import ai.djl.util.PairList;
import io.speechsampler.djl.ndarray.Scalars;
import java.util.ArrayList;
import java.util.List;

/**
 * The x-vector TDNN of METHODS.md: frame layers with contexts {-2..2}, {-2,0,2}, {-3,0,3}, {0},
 * {0} (dilated Conv1d, ReLU, batch norm), mean and standard-deviation pooling over time, segment
 * layer 6 (the embedding, taken before its ReLU), segment layer 7 and a class layer. Input
 * {@code [waveforms (batch, T)]}: log-mel features are computed on the device by a
 * {@link LogMelFilterbank}. Output {@code [scores (batch, C), embedding (batch, E)]}, where scores
 * are logits for the softmax head and cosines between the normalised segment-7 output and the
 * normalised class weights for the margin heads (turn them into logits with {@link ClassifierHead}).
 * A second input {@code [waveforms, live rows (L)]} (int64 class indices, increasing, as
 * {@link ClassifierHead#liveRows} gives them under a class mask) computes the scores of those
 * classes only, {@code (batch, L)}: the live columns of the full scores, at L / C of the class
 * layer's cost. Parameters, checkpoints and the one-input forward are the same either way.
 */
public final class XVectorTdnn extends AbstractBlock {

    private static final int[][] FRAME_LAYERS = {{5, 1}, {3, 2}, {3, 3}, {1, 1}, {1, 1}};

    private final XVectorConfig config;
    private final LogMelFilterbank features;
    private final boolean cosine;
    private final List<Block> frameConvs = new ArrayList<>();
    private final List<Block> frameNorms = new ArrayList<>();
    private final Block segment6;
    private final Block norm6;
    private final Block segment7;
    private final Block norm7;
    private final Block output;
    private final Parameter classWeights;

    private XVectorTdnn(XVectorConfig config, LogMelFilterbank features, boolean cosine) {
        this.config = config;
        this.features = features;
        this.cosine = cosine;
        for (int i = 0; i < FRAME_LAYERS.length; i++) {
            int width = i == FRAME_LAYERS.length - 1 ? config.poolWidth() : config.frameWidth();
            frameConvs.add(addChildBlock("frame" + (i + 1), TemporalBlock.conv(width, FRAME_LAYERS[i][0],
                    FRAME_LAYERS[i][1], 0, 1)));
            frameNorms.add(addChildBlock("frame" + (i + 1) + "_norm", BatchNorm.builder().build()));
        }
        segment6 = addChildBlock("segment6", Linear.builder().setUnits(config.embeddingDim()).build());
        norm6 = addChildBlock("segment6_norm", BatchNorm.builder().build());
        segment7 = addChildBlock("segment7", Linear.builder().setUnits(config.embeddingDim()).build());
        norm7 = addChildBlock("segment7_norm", BatchNorm.builder().build());
        if (cosine) {
            output = null;
            classWeights = addParameter(classWeights(config.classes(), config.embeddingDim()));
        } else {
            output = addChildBlock("output", Linear.builder().setUnits(config.classes()).build());
            classWeights = null;
        }
    }

    /**
     * @param config   sizes
     * @param features the filterbank; its mel count must equal {@code config.mels()}
     * @param head     the head the scores are for (cosines for the margin heads)
     */
    public static XVectorTdnn of(XVectorConfig config, LogMelFilterbank features, ClassifierHead head) {
        return of(config, features, head.usesCosine());
    }

    /**
     * @param config   sizes
     * @param features the filterbank; its mel count must equal {@code config.mels()}
     * @param cosine   true: cosine scores for the margin heads; false: logits for softmax
     */
    public static XVectorTdnn of(XVectorConfig config, LogMelFilterbank features, boolean cosine) {
        if (features.mels() != config.mels()) {
            throw new IllegalArgumentException("filterbank mels " + features.mels() + " differ from config mels "
                    + config.mels());
        }
        return new XVectorTdnn(config, features, cosine);
    }

    public XVectorConfig config() {
        return config;
    }

    /** Frames of receptive field the frame layers consume: inputs need more feature frames than this. */
    public static int contextFrames() {
        int c = 0;
        for (int[] l : FRAME_LAYERS) {
            c += (l[0] - 1) * l[1];
        }
        return c;
    }

    @Override
    protected NDList forwardInternal(ParameterStore store, NDList inputs, boolean training,
                                     PairList<String, Object> params) {
        NDArray x = features.apply(inputs.get(0));
        for (int i = 0; i < frameConvs.size(); i++) {
            x = one(frameNorms.get(i), store, Activation.relu(one(frameConvs.get(i), store, x, training)), training);
        }
        NDArray mean = x.mean(new int[] {2});
        NDArray std = Scalars.add(x.sub(mean.expandDims(2)).square().mean(new int[] {2}), 1e-5f).sqrt();
        NDArray pooled = mean.concat(std, 1);
        NDArray embedding = one(segment6, store, pooled, training);
        NDArray h = one(norm6, store, Activation.relu(embedding), training);
        h = one(norm7, store, Activation.relu(one(segment7, store, h, training)), training);
        NDArray rows = inputs.size() > 1 ? inputs.get(1) : null;
        return new NDList(classScores(store, h, rows, training, classWeights, output), embedding);
    }

    /** The margin heads' class weight matrix (classes, dim), Xavier-initialised, named {@code class_weights}. */
    static Parameter classWeights(int classes, int dim) {
        return Parameter.builder().setName("class_weights").setType(Parameter.Type.WEIGHT)
                .optShape(new Shape(classes, dim)).optInitializer(new XavierInitializer()).build();
    }

    /**
     * A speaker encoder's class scores of {@code h} (batch, d): cosines against the class weight
     * parameter {@code classWeights} (the margin heads), or when it is null the logits of the
     * {@code output} layer (softmax); with {@code rows} (live class indices, increasing, or null for
     * all) against those classes only, (batch, rows). Shared by {@link XVectorTdnn} and
     * {@link EcapaTdnn}, whose class layers are their own parameters (their names stay in checkpoints).
     */
    static NDArray classScores(ParameterStore store, NDArray h, NDArray rows, boolean training, Parameter classWeights,
                               Block output) {
        if (classWeights != null) {
            return cosineScores(h, store.getValue(classWeights, h.getDevice(), training), rows);
        }
        if (rows == null) {
            return one(output, store, h, training);
        }
        // the output layer sliced to the live rows: h W[rows]^T + b[rows], the live columns of
        // the full layer's logits
        ParameterList p = output.getParameters();
        NDIndex pick = new NDIndex("{}", rows);
        NDArray w = store.getValue(p.get("weight"), h.getDevice(), training).get(h.getManager(), pick);
        NDArray b = store.getValue(p.get("bias"), h.getDevice(), training).get(h.getManager(), pick);
        return Linear.linear(h, w, b).singletonOrThrow();
    }

    /**
     * Cosines between the rows of {@code h} (batch, d) and the class rows of {@code weights}
     * (classes, d), both normalised: (batch, classes); or, with {@code rows} (int64 class indices,
     * increasing), against those rows only, (batch, rows), as DropClass's authors slice the output
     * layer: the product and its backward then cost rows / classes of the full one, and the other
     * rows get no gradient (as under a -1e9 logit, where their softmax probability is exactly 0).
     * Every result is in {@code h}'s manager; the gradient reaches {@code weights}.
     *
     * @param h       segment-7 outputs (batch, d)
     * @param weights the class weight parameter (classes, d)
     * @param rows    live class indices, or null for all classes
     */
    public static NDArray cosineScores(NDArray h, NDArray weights, NDArray rows) {
        NDArray local;
        if (rows == null) {
            // Adding to a zeros array of the batch's manager keeps every result in that manager
            // (results join their first operand's manager) while the gradient still reaches w.
            local = h.getManager().zeros(weights.getShape(), weights.getDataType()).add(weights);
        } else {
            local = weights.get(h.getManager(), new NDIndex("{}", rows));
        }
        return normaliseRows(h).matMul(normaliseRows(local).transpose());
    }

    private static NDArray normaliseRows(NDArray x) {
        return x.div(Scalars.add(x.square().sum(new int[] {1}, true), 1e-12f).sqrt());
    }

    private static NDArray one(Block block, ParameterStore store, NDArray x, boolean training) {
        return block.forward(store, new NDList(x), training).singletonOrThrow();
    }

    @Override
    protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
        long batch = inputShapes[0].get(0);
        long frames = features.frames(inputShapes[0].get(1));
        if (frames <= contextFrames()) {
            throw new IllegalArgumentException("x-vector input of " + inputShapes[0].get(1) + " samples gives "
                    + frames + " frames; the TDNN needs more than " + contextFrames());
        }
        Shape s = new Shape(batch, config.mels(), frames);
        for (int i = 0; i < frameConvs.size(); i++) {
            frameConvs.get(i).initialize(manager, dataType, s);
            s = frameConvs.get(i).getOutputShapes(new Shape[] {s})[0];
            frameNorms.get(i).initialize(manager, dataType, s);
        }
        Shape pooled = new Shape(batch, 2 * s.get(1));
        segment6.initialize(manager, dataType, pooled);
        Shape e = new Shape(batch, config.embeddingDim());
        norm6.initialize(manager, dataType, e);
        segment7.initialize(manager, dataType, e);
        norm7.initialize(manager, dataType, e);
        if (output != null) {
            output.initialize(manager, dataType, e);
        }
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        long batch = inputShapes[0].get(0);
        long scores = inputShapes.length > 1 ? inputShapes[1].get(0) : config.classes();
        return new Shape[] {new Shape(batch, scores), new Shape(batch, config.embeddingDim())};
    }
}
