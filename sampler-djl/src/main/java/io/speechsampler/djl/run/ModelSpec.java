package io.speechsampler.djl.run;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.speechsampler.api.config.ConfigOrigin;
import io.speechsampler.api.config.ParamSpec;
import io.speechsampler.api.config.Params;
import io.speechsampler.api.config.RunConfig;
import io.speechsampler.api.corpus.Corpus;
import io.speechsampler.djl.model.ClassifierHead;
import io.speechsampler.djl.model.ConvTasNet;
import io.speechsampler.djl.model.ConvTasNetConfig;
import io.speechsampler.djl.model.LogMelFilterbank;
import io.speechsampler.djl.model.XVectorConfig;
import io.speechsampler.djl.model.XVectorTdnn;
import io.speechsampler.djl.train.Task;
import ai.djl.nn.Block;
import java.util.List;

/**
 * The {@code model} section of a run config, validated: which network, its preset, and what the
 * renderer must produce for it.
 *
 * <pre>
 * model: {name: conv-tasnet, preset: tiny, sources: 2}        # separation, PIT loss
 * model: {name: conv-tasnet-tse, preset: tiny}                 # target speaker extraction
 * model: {name: xvector, preset: tiny, head: am, crop_seconds: 2.0}
 * </pre>
 *
 * @param name             {@code conv-tasnet}, {@code conv-tasnet-tse} or {@code xvector}
 * @param preset           {@code tiny}, {@code light} or {@code full}
 * @param sources          separation outputs (conv-tasnet)
 * @param head             classifier head: {@code softmax}, {@code am} (CosFace) or {@code aam} (ArcFace)
 * @param cropSeconds      waveform crop for x-vector training
 * @param enrolmentSeconds enrolment length for extraction
 * @param mels             log-mel bands of the x-vector front end
 */
public record ModelSpec(String name, String preset, int sources, String head, double cropSeconds,
                        double enrolmentSeconds, int mels) {

    /** Every key of the {@code model} section. */
    public static final List<ParamSpec> SPECS = List.of(
            ParamSpec.choice("preset", "network size", "tiny", "light", "full").defaultsTo("tiny"),
            ParamSpec.integer("sources", "separation outputs (conv-tasnet)").min(1).max(3).defaultsTo(2),
            ParamSpec.choice("head", "x-vector classifier head", "softmax", "am", "aam").defaultsTo("am"),
            ParamSpec.real("crop_seconds", "x-vector training crop, seconds").min(0.2).max(60).defaultsTo(2.0),
            ParamSpec.real("enrolment_seconds", "enrolment length for extraction, seconds").min(0.2).max(60)
                    .defaultsTo(2.0),
            ParamSpec.integer("mels", "log-mel bands of the x-vector front end").min(8).max(128).defaultsTo(24));

    private static final List<String> NAMES = List.of("conv-tasnet", "conv-tasnet-tse", "xvector");

    /** Reads the {@code model} section of a config. */
    public static ModelSpec fromConfig(RunConfig config) {
        return fromNode(config.model(), config.origin());
    }

    public static ModelSpec fromNode(ObjectNode node, ConfigOrigin origin) {
        if (node.isEmpty()) {
            throw origin.error("", "missing key 'model': which network to train, e.g. {name: conv-tasnet, preset: tiny}");
        }
        String name = node.path("name").asText("");
        if (!NAMES.contains(name)) {
            throw origin.error("model.name", "unknown model '" + name + "' in 'model.name'; available: "
                    + String.join(", ", NAMES));
        }
        Params p = Params.bind(node, SPECS, origin, "model", "model '" + name + "'");
        if (name.equals("xvector") && p.getString("preset").equals("light")) {
            throw p.error("preset", "'model.preset' of model 'xvector' must be one of [tiny, full], got 'light' "
                    + "(light is a Conv-TasNet size)");
        }
        return new ModelSpec(name, p.getString("preset"), p.getInt("sources"), p.getString("head"),
                p.getDouble("crop_seconds"), p.getDouble("enrolment_seconds"), p.getInt("mels"));
    }

    public boolean isSeparation() {
        return name.equals("conv-tasnet");
    }

    public boolean isExtraction() {
        return name.equals("conv-tasnet-tse");
    }

    public boolean isClassification() {
        return name.equals("xvector");
    }

    /** A fresh, uninitialised network; {@code classes} matters for x-vectors only. */
    public Block block(int sampleRate, int classes) {
        return switch (name) {
            case "conv-tasnet" -> ConvTasNet.separation(ConvTasNetConfig.preset(preset, sources));
            case "conv-tasnet-tse" -> ConvTasNet.extraction(ConvTasNetConfig.preset(preset, 1));
            default -> XVectorTdnn.of(xvectorConfig(classes), LogMelFilterbank.standard(sampleRate, mels),
                    ClassifierHead.named(head));
        };
    }

    private XVectorConfig xvectorConfig(int classes) {
        XVectorConfig base = XVectorConfig.preset(preset, classes);
        return new XVectorConfig(mels, base.frameWidth(), base.poolWidth(), base.embeddingDim(), classes);
    }

    /** The training task of this network over {@code corpus} (its speakers are the classes). */
    public Task task(Corpus corpus) {
        return switch (name) {
            case "conv-tasnet" -> Task.separation(sources);
            case "conv-tasnet-tse" -> Task.extraction();
            default -> Task.classification(ClassifierHead.named(head), corpus);
        };
    }
}
