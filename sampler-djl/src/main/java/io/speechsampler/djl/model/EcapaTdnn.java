package io.speechsampler.djl.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Activation;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.nn.core.Linear;
import ai.djl.nn.norm.BatchNorm;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import io.speechsampler.djl.ndarray.Scalars;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * ECAPA-TDNN (Desplanques et al., Interspeech 2020), as the loss-gated learning authors train it
 * (TaoRuijie's ECAPA-TDNN): a 5-frame convolution of C channels, three SE-Res2Net blocks (kernel 3,
 * dilations 2, 3, 4, Res2Net scale 8, squeeze-excitation bottleneck 128) whose inputs add the
 * earlier blocks' outputs, a 1x1 convolution of their concatenation to {@code poolChannels}, channel-
 * and context-dependent attentive statistics pooling (the frame features beside their global mean and
 * standard deviation, a 1x1 bottleneck with tanh, softmax over time), batch norm, the embedding layer
 * and its batch norm. Input {@code [waveforms (batch, T)]} (log-mel features computed on the device);
 * output {@code [scores (batch, classes), embedding (batch, E)]} as {@link XVectorTdnn}'s: cosines
 * for the margin heads, logits for softmax; with a second input of live class rows (a class mask,
 * as {@link XVectorTdnn} takes it) the scores of those classes only.
 */
public final class EcapaTdnn extends AbstractBlock {

    /**
     * Sizes.
     *
     * @param mels          log-mel bands (80 in the paper)
     * @param channels      C, the SE-Res2Net blocks' channels (512 or 1024 in the paper)
     * @param scale         Res2Net scale: the blocks split C into this many groups (8)
     * @param seChannels    squeeze-excitation bottleneck (128)
     * @param poolChannels  channels of the layer before pooling (1536)
     * @param attention     attention bottleneck (128 in the paper, 256 in the authors' code)
     * @param embeddingDim  embedding size (192)
     * @param classes       output classes
     */
    public record Config(int mels, int channels, int scale, int seChannels, int poolChannels, int attention,
                         int embeddingDim, int classes) {

        public Config {
            if (mels < 1 || channels < 1 || scale < 2 || seChannels < 1 || poolChannels < 1 || attention < 1
                    || embeddingDim < 1 || classes < 1) {
                throw new IllegalArgumentException("ECAPA-TDNN sizes must be at least 1 (scale at least 2): " + this);
            }
            if (channels % scale != 0) {
                throw new IllegalArgumentException("ECAPA-TDNN channels " + channels + " are not a multiple of the "
                        + "Res2Net scale " + scale);
            }
        }

        /** The authors' C = 512 model on 80 bands. */
        public static Config full(int classes) {
            return new Config(80, 512, 8, 128, 1536, 256, 192, classes);
        }

        /** C = 64 on 24 bands, for tests and CPUs (about the tiny x-vector's cost). */
        public static Config tiny(int classes) {
            return new Config(24, 64, 4, 32, 192, 64, 64, classes);
        }

        /** {@code full} or {@code tiny}. */
        public static Config preset(String name, int classes) {
            return switch (name.toLowerCase(Locale.ROOT)) {
                case "full" -> full(classes);
                case "tiny" -> tiny(classes);
                default -> throw new IllegalArgumentException("ECAPA-TDNN preset is not one of [full, tiny]: '" + name
                        + "'");
            };
        }

        /** The same sizes with {@code mels} bands. */
        public Config withMels(int bands) {
            return new Config(bands, channels, scale, seChannels, poolChannels, attention, embeddingDim, classes);
        }
    }

    private static final int[] DILATIONS = {2, 3, 4};

    private final Config config;
    private final LogMelFilterbank features;
    private final Block conv1;
    private final Block norm1;
    private final List<SeRes2Block> blocks = new ArrayList<>();
    private final Block layer4;
    private final Block attention1;
    private final Block attentionNorm;
    private final Block attention2;
    private final Block poolNorm;
    private final Block embeddingLayer;
    private final Block embeddingNorm;
    private final Block output;
    private final Parameter classWeights;

    private EcapaTdnn(Config config, LogMelFilterbank features, boolean cosine) {
        this.config = config;
        this.features = features;
        int c = config.channels();
        conv1 = addChildBlock("conv1", TemporalBlock.conv(c, 5, 1, 2, 1));
        norm1 = addChildBlock("conv1_norm", BatchNorm.builder().build());
        for (int i = 0; i < DILATIONS.length; i++) {
            blocks.add(addChildBlock("layer" + (i + 1), new SeRes2Block(c, config.scale(), DILATIONS[i],
                    config.seChannels())));
        }
        layer4 = addChildBlock("layer4", TemporalBlock.conv(config.poolChannels(), 1, 1, 0, 1));
        attention1 = addChildBlock("attention1", TemporalBlock.conv(config.attention(), 1, 1, 0, 1));
        attentionNorm = addChildBlock("attention_norm", BatchNorm.builder().build());
        attention2 = addChildBlock("attention2", TemporalBlock.conv(config.poolChannels(), 1, 1, 0, 1));
        poolNorm = addChildBlock("pool_norm", BatchNorm.builder().build());
        embeddingLayer = addChildBlock("embedding", Linear.builder().setUnits(config.embeddingDim()).build());
        embeddingNorm = addChildBlock("embedding_norm", BatchNorm.builder().build());
        if (cosine) {
            output = null;
            classWeights = addParameter(XVectorTdnn.classWeights(config.classes(), config.embeddingDim()));
        } else {
            output = addChildBlock("output", Linear.builder().setUnits(config.classes()).build());
            classWeights = null;
        }
    }

    /**
     * @param config   sizes
     * @param features the filterbank; its mel count must equal {@code config.mels()}
     * @param cosine   true: cosine scores for the margin heads; false: logits for softmax
     */
    public static EcapaTdnn of(Config config, LogMelFilterbank features, boolean cosine) {
        if (features.mels() != config.mels()) {
            throw new IllegalArgumentException("filterbank mels " + features.mels() + " differ from config mels "
                    + config.mels());
        }
        return new EcapaTdnn(config, features, cosine);
    }

    public Config config() {
        return config;
    }

    @Override
    protected NDList forwardInternal(ParameterStore store, NDList inputs, boolean training,
                                     PairList<String, Object> params) {
        NDArray x = features.apply(inputs.get(0));
        x = one(norm1, store, Activation.relu(one(conv1, store, x, training)), training);
        NDArray sum = x;
        List<NDArray> outs = new ArrayList<>();
        for (SeRes2Block b : blocks) {
            NDArray y = one(b, store, sum, training);
            outs.add(y);
            sum = sum.add(y);
        }
        NDArray h = Activation.relu(one(layer4, store, concat(outs), training));
        // attentive statistics pooling with global context (ECAPA's channel- and context-dependent form)
        long frames = h.getShape().get(2);
        NDArray mean = h.mean(new int[] {2}, true);
        NDArray std = Scalars.add(h.sub(mean).square().mean(new int[] {2}, true), 1e-4f).sqrt();
        NDArray context = concat(List.of(h, mean.repeat(2, frames), std.repeat(2, frames)));
        NDArray a = one(attentionNorm, store, Activation.relu(one(attention1, store, context, training)), training);
        NDArray w = one(attention2, store, a.tanh(), training).softmax(2);
        NDArray mu = h.mul(w).sum(new int[] {2});
        NDArray sg = Scalars.maximum(h.square().mul(w).sum(new int[] {2}).sub(mu.square()), 1e-4f).sqrt();
        NDArray pooled = one(poolNorm, store, mu.concat(sg, 1), training);
        NDArray embedding = one(embeddingNorm, store, one(embeddingLayer, store, pooled, training), training);
        NDArray rows = inputs.size() > 1 ? inputs.get(1) : null;
        return new NDList(XVectorTdnn.classScores(store, embedding, rows, training, classWeights, output), embedding);
    }

    /** Concatenation along the channel axis, as one engine call. */
    private static NDArray concat(List<NDArray> arrays) {
        return NDArrays.concat(new NDList(arrays), 1);
    }

    private static NDArray one(Block block, ParameterStore store, NDArray x, boolean training) {
        return block.forward(store, new NDList(x), training).singletonOrThrow();
    }

    @Override
    protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
        long batch = inputShapes[0].get(0);
        long frames = features.frames(inputShapes[0].get(1));
        if (frames < 5) {
            throw new IllegalArgumentException("ECAPA-TDNN input of " + inputShapes[0].get(1) + " samples gives "
                    + frames + " frames; it needs at least 5");
        }
        int c = config.channels();
        Shape in = new Shape(batch, config.mels(), frames);
        conv1.initialize(manager, dataType, in);
        Shape s = new Shape(batch, c, frames);
        norm1.initialize(manager, dataType, s);
        for (SeRes2Block b : blocks) {
            b.initialize(manager, dataType, s);
        }
        layer4.initialize(manager, dataType, new Shape(batch, 3L * c, frames));
        attention1.initialize(manager, dataType, new Shape(batch, 3L * config.poolChannels(), frames));
        Shape att = new Shape(batch, config.attention(), frames);
        attentionNorm.initialize(manager, dataType, att);
        attention2.initialize(manager, dataType, att);
        Shape stats = new Shape(batch, 2L * config.poolChannels());
        poolNorm.initialize(manager, dataType, stats);
        embeddingLayer.initialize(manager, dataType, stats);
        Shape e = new Shape(batch, config.embeddingDim());
        embeddingNorm.initialize(manager, dataType, e);
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

    /**
     * An SE-Res2Net block: 1x1 convolution, ReLU, batch norm; Res2Net's hierarchical 3-tap dilated
     * convolutions over {@code scale - 1} of the {@code scale} channel groups (each group's input adds
     * the previous group's output), the last group passed through; 1x1 convolution, ReLU, batch norm;
     * squeeze-excitation (time mean, 1x1 to {@code se} channels, ReLU, 1x1 back, sigmoid) and the
     * residual. Input and output (batch, C, frames).
     */
    static final class SeRes2Block extends AbstractBlock {

        private final int scale;
        private final Block conv1;
        private final Block norm1;
        private final List<Block> convs = new ArrayList<>();
        private final List<Block> norms = new ArrayList<>();
        private final Block conv3;
        private final Block norm3;
        private final Block se1;
        private final Block se2;

        SeRes2Block(int channels, int scale, int dilation, int se) {
            this.scale = scale;
            int width = channels / scale;
            conv1 = addChildBlock("conv1", TemporalBlock.conv(channels, 1, 1, 0, 1));
            norm1 = addChildBlock("norm1", BatchNorm.builder().build());
            for (int i = 0; i < scale - 1; i++) {
                convs.add(addChildBlock("res2_conv" + (i + 1), TemporalBlock.conv(width, 3, dilation, dilation, 1)));
                norms.add(addChildBlock("res2_norm" + (i + 1), BatchNorm.builder().build()));
            }
            conv3 = addChildBlock("conv3", TemporalBlock.conv(channels, 1, 1, 0, 1));
            norm3 = addChildBlock("norm3", BatchNorm.builder().build());
            se1 = addChildBlock("se1", TemporalBlock.conv(se, 1, 1, 0, 1));
            se2 = addChildBlock("se2", TemporalBlock.conv(channels, 1, 1, 0, 1));
        }

        @Override
        protected NDList forwardInternal(ParameterStore store, NDList inputs, boolean training,
                                         PairList<String, Object> params) {
            NDArray x = inputs.singletonOrThrow();
            NDArray out = one(norm1, store, Activation.relu(one(conv1, store, x, training)), training);
            NDList groups = out.split(scale, 1);
            List<NDArray> parts = new ArrayList<>();
            NDArray sp = null;
            for (int i = 0; i < scale - 1; i++) {
                sp = i == 0 ? groups.get(0) : sp.add(groups.get(i));
                sp = one(norms.get(i), store, Activation.relu(one(convs.get(i), store, sp, training)), training);
                parts.add(sp);
            }
            parts.add(groups.get(scale - 1));
            out = one(norm3, store, Activation.relu(one(conv3, store, concat(parts), training)),
                    training);
            NDArray squeeze = out.mean(new int[] {2}, true);
            NDArray excite = Activation.sigmoid(one(se2, store, Activation.relu(one(se1, store, squeeze, training)),
                    training));
            return new NDList(out.mul(excite).add(x));
        }

        @Override
        protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
            Shape s = inputShapes[0];
            long batch = s.get(0);
            long frames = s.get(2);
            conv1.initialize(manager, dataType, s);
            norm1.initialize(manager, dataType, s);
            Shape g = new Shape(batch, s.get(1) / scale, frames);
            for (int i = 0; i < convs.size(); i++) {
                convs.get(i).initialize(manager, dataType, g);
                norms.get(i).initialize(manager, dataType, g);
            }
            conv3.initialize(manager, dataType, s);
            norm3.initialize(manager, dataType, s);
            se1.initialize(manager, dataType, new Shape(batch, s.get(1), 1));
            se2.initialize(manager, dataType, se1.getOutputShapes(new Shape[] {new Shape(batch, s.get(1), 1)})[0]);
        }

        @Override
        public Shape[] getOutputShapes(Shape[] inputShapes) {
            return new Shape[] {inputShapes[0]};
        }
    }
}
