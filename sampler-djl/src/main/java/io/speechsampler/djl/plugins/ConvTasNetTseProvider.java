package io.speechsampler.djl.plugins;

import ai.djl.ndarray.types.Shape;
import io.speechsampler.api.config.ParamSpec;
import io.speechsampler.api.config.Params;
import io.speechsampler.djl.model.ConvTasNet;
import io.speechsampler.djl.model.ConvTasNetConfig;
import io.speechsampler.djl.spi.ModelContext;
import io.speechsampler.djl.spi.ModelProvider;
import io.speechsampler.djl.spi.Network;
import java.util.List;

/** {@code conv-tasnet-tse}: Conv-TasNet conditioned on an enrolment utterance, one output. */
public final class ConvTasNetTseProvider implements ModelProvider {

    @Override
    public String name() {
        return "conv-tasnet-tse";
    }

    @Override
    public String description() {
        return "Conv-TasNet target speaker extractor: mixture (B, T) and enrolment (B, E) -> estimate (B, 1, T) "
                + "and speaker embedding (B, D); trains 'extraction'";
    }

    @Override
    public List<ParamSpec> parameters() {
        return List.of(
                ParamSpec.choice("preset", "network size", "tiny", "light", "full").defaultsTo("tiny"),
                ParamSpec.real("enrolment_seconds", "enrolment length, seconds").min(0.2).max(60).defaultsTo(2.0),
                ParamSpec.integer("enrolment_blocks", "TCN blocks of the enrolment network, dilations 1, 4, 16, ...")
                        .min(1).max(8).defaultsTo(ConvTasNet.SPEAKER_BLOCKS),
                ParamSpec.choice("conditioning", "how the speaker embedding adapts the separator after its first TCN "
                        + "block: multiply (SpeakerBeam: y * e) or film (y * e + b)", "multiply", "film")
                        .defaultsTo("multiply"));
    }

    @Override
    public String defaultTask() {
        return "extraction";
    }

    @Override
    public Network create(Params params, ModelContext context) {
        String preset = params.getString("preset");
        long enrol = Math.round(params.getDouble("enrolment_seconds") * context.sampleRate());
        // classes: the training speakers, for the task's auxiliary speaker classifier (when it adds one)
        ConvTasNet.Conditioning conditioning = ConvTasNet.Conditioning.valueOf(params.getString("conditioning")
                .toUpperCase(java.util.Locale.ROOT));
        return new Network(ConvTasNet.extraction(ConvTasNetConfig.preset(preset, 1), conditioning,
                params.getInt("enrolment_blocks")), Network.Signature.EXTRACTOR, 1,
                context.classes(), new Shape[] {new Shape(1, context.sampleRate()), new Shape(1, enrol)}, params.toNode(),
                name() + " (" + preset + ")");
    }
}
