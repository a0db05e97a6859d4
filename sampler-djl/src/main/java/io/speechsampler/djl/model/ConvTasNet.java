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
import ai.djl.nn.core.Linear;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import java.util.ArrayList;
import java.util.List;

/**
 * Conv-TasNet (Luo and Mesgarani, "Conv-TasNet: Surpassing ideal time-frequency magnitude
 * masking for speech separation", 2019): a learned encoder (Conv1d, kernel L, stride L/2, ReLU),
 * a TCN separator of R repeats of X dilated depthwise-separable blocks that estimates S masks,
 * and a decoder written as a linear N to L projection followed by overlap-add (DJL's
 * {@code Conv1dTranspose} does not run on PyTorch).
 *
 * <p>Input {@code [mixture (batch, T)]}, or {@code [mixture, enrolment (batch, Te)]} for the
 * extraction variant; output {@code [estimates (batch, S, T)]}, and for the extraction variant also
 * the speaker embedding {@code (batch, B)} (for an auxiliary speaker-classification loss, SpEx+:
 * Ge et al. 2020). The extraction variant
 * (SpeakerBeam, Zmolikova et al. 2019; time-domain SpeakerBeam, Delcroix et al. 2020) computes a
 * speaker embedding with an auxiliary network on the enrolment: the shared encoder, its own
 * global layer norm and 1x1 bottleneck to B channels, {@value #SPEAKER_BLOCKS} TCN blocks by
 * default (dilations 1 and 4: about 11 ms of context at 8 kHz, a pitch period or two; block i has
 * dilation 4^i), a mean over time and a linear layer to B channels. The output of the first TCN
 * block of the separator is multiplied by it, channel by channel ({@link Conditioning#MULTIPLY}),
 * or multiplied and shifted by a second linear map of the pooled enrolment ({@link Conditioning#FILM}).
 *
 * <p>The layer norm sets the embedding's scale. Before it (issue 12, section 0) the embedding was
 * the linear map of the mean encoder output of the raw enrolment; for a -26 dBFS enrolment and
 * freshly initialised weights that is, by the initial scales (estimated, not measured), of the
 * order of 0.01, so the multiplication shrank the separator's residual stream a hundredfold.
 */
public final class ConvTasNet extends AbstractBlock {

    private final ConvTasNetConfig config;
    private final boolean extraction;
    private final Block encoder;
    private final Block inputNorm;
    private final Block bottleneck;
    private final List<Block> blocks = new ArrayList<>();
    private final Block outputPrelu;
    private final Block maskConv;
    private final Block decoder;
    private final Block speakerProjection;
    private final Block speakerBias;
    private final Block speakerNorm;
    private final Block speakerBottleneck;
    private final List<Block> speakerBlocks = new ArrayList<>();

    /** The auxiliary (enrolment) network's TCN blocks by default; block i has dilation 4^i. */
    public static final int SPEAKER_BLOCKS = 2;

    /** How the speaker embedding conditions the separator's stream after its first TCN block. */
    public enum Conditioning {
        /** SpeakerBeam: {@code y * e}, channel by channel */
        MULTIPLY,
        /** FiLM (Perez et al. 2018): {@code y * e + b}, with a second linear map {@code b} of the pooled enrolment */
        FILM
    }

    private final Conditioning conditioning;

    private ConvTasNet(ConvTasNetConfig config, boolean extraction, Conditioning conditioning, int speakerBlockCount) {
        this.config = config;
        this.extraction = extraction;
        this.conditioning = conditioning;
        int l = config.l();
        encoder = addChildBlock("encoder", ai.djl.nn.convolutional.Conv1d.builder().setFilters(config.n())
                .setKernelShape(new Shape(l)).optStride(new Shape(config.stride())).optBias(false).build());
        inputNorm = addChildBlock("input_norm", GlobalLayerNorm.of(config.n()));
        bottleneck = addChildBlock("bottleneck", TemporalBlock.conv(config.b(), 1, 1, 0, 1));
        int count = config.r() * config.x();
        for (int i = 0; i < count; i++) {
            int dilation = 1 << (i % config.x());
            blocks.add(addChildBlock("tcn" + i, new TemporalBlock(config.b(), config.h(), config.p(), dilation,
                    i < count - 1)));
        }
        outputPrelu = addChildBlock("output_prelu", ParametricRelu.of());
        maskConv = addChildBlock("mask", TemporalBlock.conv(config.sources() * config.n(), 1, 1, 0, 1));
        decoder = addChildBlock("decoder", Linear.builder().setUnits(l).optBias(false).build());
        if (extraction) {
            speakerNorm = addChildBlock("speaker_norm", GlobalLayerNorm.of(config.n()));
            speakerBottleneck = addChildBlock("speaker_bottleneck", TemporalBlock.conv(config.b(), 1, 1, 0, 1));
            for (int i = 0; i < speakerBlockCount; i++) {
                speakerBlocks.add(addChildBlock("speaker_tcn" + i, new TemporalBlock(config.b(), config.h(),
                        config.p(), 1 << (2 * i), true)));
            }
            speakerProjection = addChildBlock("speaker", Linear.builder().setUnits(config.b()).build());
            speakerBias = conditioning == Conditioning.FILM
                    ? addChildBlock("speaker_bias", Linear.builder().setUnits(config.b()).build()) : null;
        } else {
            speakerNorm = null;
            speakerBottleneck = null;
            speakerProjection = null;
            speakerBias = null;
        }
    }

    /** Separation into {@code config.sources()} outputs. */
    public static ConvTasNet separation(ConvTasNetConfig config) {
        return new ConvTasNet(config, false, Conditioning.MULTIPLY, 0);
    }

    /** Target speaker extraction: one output, conditioned on an enrolment utterance. */
    public static ConvTasNet extraction(ConvTasNetConfig config) {
        return extraction(config, Conditioning.MULTIPLY, SPEAKER_BLOCKS);
    }

    /**
     * Target speaker extraction with this conditioning and {@code speakerBlocks} TCN blocks in the
     * enrolment network (dilations 1, 4, 16, ...).
     */
    public static ConvTasNet extraction(ConvTasNetConfig config, Conditioning conditioning, int speakerBlocks) {
        if (config.sources() != 1) {
            throw new IllegalArgumentException("an extraction network has 1 output, config has sources = "
                    + config.sources());
        }
        if (speakerBlocks < 1 || speakerBlocks > 8) {
            throw new IllegalArgumentException("speaker blocks is not in [1, 8]: " + speakerBlocks);
        }
        return new ConvTasNet(config, true, java.util.Objects.requireNonNull(conditioning, "conditioning"),
                speakerBlocks);
    }

    public ConvTasNetConfig config() {
        return config;
    }

    public boolean isExtraction() {
        return extraction;
    }

    /** How the embedding conditions the separator (an extraction network's setting). */
    public Conditioning conditioning() {
        return conditioning;
    }

    /** Mixture length padded so that whole frames of L with hop L/2 cover it. */
    private long paddedLength(long t) {
        int l = config.l();
        int hop = config.stride();
        long padded = Math.max(l, t);
        long rem = (padded - l) % hop;
        return rem == 0 ? padded : padded + hop - rem;
    }

    @Override
    protected NDList forwardInternal(ParameterStore store, NDList inputs, boolean training,
                                     PairList<String, Object> params) {
        NDArray mixture = inputs.get(0);
        long batch = mixture.getShape().get(0);
        long t = mixture.getShape().get(1);
        NDArray padded = padRight(mixture, paddedLength(t));
        NDArray w = Activation.relu(one(encoder, store, padded.expandDims(1), training)); // (batch, N, K)
        NDArray y = one(bottleneck, store, one(inputNorm, store, w, training), training);
        NDArray pooled = extraction ? pooledEnrolment(store, inputs.get(1), training) : null;
        NDArray embedding = pooled == null ? null : one(speakerProjection, store, pooled, training);
        NDArray bias = speakerBias == null ? null : one(speakerBias, store, pooled, training);
        NDArray skipSum = null;
        for (int i = 0; i < blocks.size(); i++) {
            NDList out = blocks.get(i).forward(store, new NDList(y), training);
            y = out.get(0);
            if (i == 0 && embedding != null) {
                y = y.mul(embedding.expandDims(2));
                if (bias != null) {
                    y = y.add(bias.expandDims(2));
                }
            }
            skipSum = skipSum == null ? out.get(1) : skipSum.add(out.get(1));
        }
        NDArray masks = one(maskConv, store, one(outputPrelu, store, skipSum, training), training);
        masks = config.sigmoid() ? Activation.sigmoid(masks) : Activation.relu(masks);
        long k = w.getShape().get(2);
        int s = config.sources();
        masks = masks.reshape(batch, s, config.n(), k);
        NDArray masked = w.expandDims(1).mul(masks).transpose(0, 1, 3, 2); // (batch, S, K, N)
        NDArray frames = one(decoder, store, masked, training); // (batch, S, K, L)
        NDArray estimates = overlapAdd(frames, config.stride()).get(new NDIndex("..., :{}", t));
        return embedding == null ? new NDList(estimates) : new NDList(estimates, embedding);
    }

    /**
     * The auxiliary network on the enrolment before its linear layer(s): encoder, layer norm,
     * bottleneck, TCN blocks, mean over time: (batch, B).
     */
    private NDArray pooledEnrolment(ParameterStore store, NDArray enrolment, boolean training) {
        NDArray padded = padRight(enrolment, paddedLength(enrolment.getShape().get(1)));
        NDArray e = Activation.relu(one(encoder, store, padded.expandDims(1), training));
        e = one(speakerBottleneck, store, one(speakerNorm, store, e, training), training);
        for (Block blk : speakerBlocks) {
            e = blk.forward(store, new NDList(e), training).get(0);
        }
        return e.mean(new int[] {2});
    }

    private static NDArray one(Block block, ParameterStore store, NDArray x, boolean training) {
        return block.forward(store, new NDList(x), training).singletonOrThrow();
    }

    private static NDArray padRight(NDArray x, long length) {
        long t = x.getShape().get(1);
        if (t == length) {
            return x;
        }
        return x.concat(x.getManager().zeros(new Shape(x.getShape().get(0), length - t), x.getDataType()), 1);
    }

    /**
     * Overlap-add of frames (..., K, 2*hop) with hop {@code hop}: output segment j is the first
     * half of frame j plus the second half of frame j-1; length (K+1)*hop.
     */
    static NDArray overlapAdd(NDArray frames, int hop) {
        Shape s = frames.getShape();
        int d = s.dimension();
        long k = s.get(d - 2);
        NDArray first = frames.get(new NDIndex("..., :{}", hop));
        NDArray second = frames.get(new NDIndex("..., {}:", hop));
        long[] zs = s.getShape();
        zs[d - 2] = 1;
        zs[d - 1] = hop;
        NDArray zeros = frames.getManager().zeros(new Shape(zs), frames.getDataType());
        NDArray sum = first.concat(zeros, d - 2).add(zeros.concat(second, d - 2));
        long[] out = new long[d - 1];
        System.arraycopy(s.getShape(), 0, out, 0, d - 2);
        out[d - 2] = (k + 1) * hop;
        return sum.reshape(new Shape(out));
    }

    @Override
    protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
        long batch = inputShapes[0].get(0);
        long t = paddedLength(inputShapes[0].get(1));
        Shape encIn = new Shape(batch, 1, t);
        encoder.initialize(manager, dataType, encIn);
        Shape w = encoder.getOutputShapes(new Shape[] {encIn})[0];
        inputNorm.initialize(manager, dataType, w);
        bottleneck.initialize(manager, dataType, w);
        Shape y = bottleneck.getOutputShapes(new Shape[] {w})[0];
        for (Block blk : blocks) {
            blk.initialize(manager, dataType, y);
        }
        outputPrelu.initialize(manager, dataType, y);
        maskConv.initialize(manager, dataType, y);
        decoder.initialize(manager, dataType, new Shape(batch, config.sources(), w.get(2), config.n()));
        if (speakerProjection != null) {
            Shape enrol = new Shape(batch, 1, paddedLength(inputShapes[1].get(1)));
            Shape e = encoder.getOutputShapes(new Shape[] {enrol})[0];
            speakerNorm.initialize(manager, dataType, e);
            speakerBottleneck.initialize(manager, dataType, e);
            Shape eb = speakerBottleneck.getOutputShapes(new Shape[] {e})[0];
            for (Block blk : speakerBlocks) {
                blk.initialize(manager, dataType, eb);
            }
            speakerProjection.initialize(manager, dataType, new Shape(batch, config.b()));
            if (speakerBias != null) {
                speakerBias.initialize(manager, dataType, new Shape(batch, config.b()));
            }
        }
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        Shape estimates = new Shape(inputShapes[0].get(0), config.sources(), inputShapes[0].get(1));
        return extraction ? new Shape[] {estimates, new Shape(inputShapes[0].get(0), config.b())}
                : new Shape[] {estimates};
    }
}
