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

/** {@code conv-tasnet}: Conv-TasNet (Luo and Mesgarani 2019) separating a mixture into S outputs. */
public final class ConvTasNetProvider implements ModelProvider {

    /** Most outputs: MixIT's M is at most 8. */
    static final int MAX_SOURCES = 8;

    @Override
    public String name() {
        return "conv-tasnet";
    }

    @Override
    public String description() {
        return "Conv-TasNet separator: mixture (B, T) -> S estimates (B, S, T); trains 'separation' (PIT) by "
                + "default, or 'mixit'";
    }

    @Override
    public List<ParamSpec> parameters() {
        return List.of(
                ParamSpec.choice("preset", "network size", "tiny", "light", "full").defaultsTo("tiny"),
                ParamSpec.integer("sources", "outputs S: speakers for separation, M for MixIT").min(1)
                        .max(MAX_SOURCES).defaultsTo(2));
    }

    @Override
    public String defaultTask() {
        return "separation";
    }

    @Override
    public Network create(Params params, ModelContext context) {
        String preset = params.getString("preset");
        int sources = params.getInt("sources");
        return new Network(ConvTasNet.separation(ConvTasNetConfig.preset(preset, sources)),
                Network.Signature.SEPARATOR, sources, 0, new Shape[] {new Shape(1, context.sampleRate())},
                params.toNode(), name() + " (" + preset + ", " + sources + " outputs)");
    }
}
