package io.speechsampler.djl.plugins;

import ai.djl.ndarray.types.Shape;
import io.speechsampler.api.config.ParamSpec;
import io.speechsampler.api.config.Params;
import io.speechsampler.djl.model.EcapaTdnn;
import io.speechsampler.djl.model.LogMelFilterbank;
import io.speechsampler.djl.spi.ModelContext;
import io.speechsampler.djl.spi.ModelProvider;
import io.speechsampler.djl.spi.Network;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code ecapa-tdnn}: ECAPA-TDNN (Desplanques et al. 2020) over log-mel features, with class scores,
 * as loss-gated learning's authors train it; the same outputs, heads, tasks and crops as
 * {@code xvector}, so a config switches encoder by its model name alone.
 */
public final class EcapaTdnnProvider implements ModelProvider {

    private final XVectorProvider xvector = new XVectorProvider();

    @Override
    public String name() {
        return "ecapa-tdnn";
    }

    @Override
    public String description() {
        return "ECAPA-TDNN speaker encoder (SE-Res2Net blocks, attentive statistics pooling): waveform (B, T) -> "
                + "class scores (B, C) and embedding (B, D); trains 'classification' by default, or 'contrastive'";
    }

    @Override
    public List<ParamSpec> parameters() {
        List<ParamSpec> specs = new ArrayList<>();
        for (ParamSpec s : xvector.parameters()) {
            specs.add(switch (s.name()) {
                case "preset" -> ParamSpec.choice("preset", "network size: tiny (C = 64, 24 bands) or full (the "
                        + "authors' C = 512, 80 bands, 192-d embeddings)", "tiny", "full").defaultsTo("tiny");
                case "mels" -> ParamSpec.integer("mels", "log-mel bands of the front end; unset: the preset's (24 "
                        + "tiny, 80 full)").min(8).max(128).defaultsTo(null);
                default -> s;
            });
        }
        return specs;
    }

    @Override
    public String defaultTask() {
        return xvector.defaultTask();
    }

    @Override
    public boolean cosineScores(Params params) {
        return xvector.cosineScores(params);
    }

    @Override
    public Network create(Params params, ModelContext context) {
        String preset = params.getString("preset");
        EcapaTdnn.Config config = EcapaTdnn.Config.preset(preset, context.classes());
        if (params.has("mels")) {
            config = config.withMels(params.getInt("mels"));
        }
        long crop = Math.round(params.getDouble("crop_seconds") * context.sampleRate());
        return new Network(EcapaTdnn.of(config, LogMelFilterbank.standard(context.sampleRate(), config.mels()),
                context.cosine()), Network.Signature.CLASSIFIER, 0, context.classes(),
                new Shape[] {new Shape(1, crop)}, params.toNode(),
                name() + " (" + preset + ", " + context.classes() + " classes)");
    }
}
