package io.speechsampler.djl.plugins;

import ai.djl.ndarray.types.Shape;
import io.speechsampler.api.config.ParamSpec;
import io.speechsampler.api.config.Params;
import io.speechsampler.djl.model.LogMelFilterbank;
import io.speechsampler.djl.model.XVectorConfig;
import io.speechsampler.djl.model.XVectorTdnn;
import io.speechsampler.djl.spi.ModelContext;
import io.speechsampler.djl.spi.ModelProvider;
import io.speechsampler.djl.spi.Network;
import java.util.List;

/** {@code xvector}: the x-vector TDNN (Snyder et al. 2018) over log-mel features, with class scores. */
public final class XVectorProvider implements ModelProvider {

    @Override
    public String name() {
        return "xvector";
    }

    @Override
    public String description() {
        return "x-vector TDNN speaker encoder: waveform (B, T) -> class scores (B, C) and embedding (B, D); trains "
                + "'classification' by default, or 'contrastive'";
    }

    @Override
    public List<ParamSpec> parameters() {
        return List.of(
                ParamSpec.choice("preset", "network size", "tiny", "full").defaultsTo("tiny"),
                ParamSpec.choice("head", "classifier head the task uses unless 'task.head' is set: softmax (logits) "
                        + "or am / aam (cosine scores)", "softmax", "am", "aam").defaultsTo("am"),
                ParamSpec.real("crop_seconds", "training crop, seconds, of item draws without a crop of their own (a "
                        + "sampler's crop_seconds wins)").min(0.2).max(60).defaultsTo(2.0),
                ParamSpec.integer("mels", "log-mel bands of the front end").min(8).max(128).defaultsTo(24));
    }

    @Override
    public String defaultTask() {
        return "classification";
    }

    @Override
    public boolean cosineScores(Params params) {
        return !params.getString("head").equals("softmax");
    }

    @Override
    public Network create(Params params, ModelContext context) {
        String preset = params.getString("preset");
        int mels = params.getInt("mels");
        XVectorConfig base = XVectorConfig.preset(preset, context.classes());
        XVectorConfig config = new XVectorConfig(mels, base.frameWidth(), base.poolWidth(), base.embeddingDim(),
                context.classes());
        long crop = Math.round(params.getDouble("crop_seconds") * context.sampleRate());
        return new Network(XVectorTdnn.of(config, LogMelFilterbank.standard(context.sampleRate(), mels),
                context.cosine()), Network.Signature.CLASSIFIER, 0, context.classes(),
                new Shape[] {new Shape(1, crop)}, params.toNode(),
                name() + " (" + preset + ", " + context.classes() + " classes)");
    }
}
