package io.speechsampler.audio.mix;

import io.speechsampler.api.config.ParamSpec;
import io.speechsampler.api.config.Params;
import io.speechsampler.api.corpus.Corpus;
import io.speechsampler.api.corpus.CorpusException;
import io.speechsampler.api.corpus.CorpusReader;
import io.speechsampler.api.spi.BuildContext;
import io.speechsampler.api.spi.SourceSampler;
import io.speechsampler.api.spi.SourceSamplerProvider;
import java.nio.file.Path;
import java.util.List;

/**
 * The {@code dynamic-mixing} source sampler: see {@link DynamicMixingSampler} for the
 * distribution. Parameters: {@code speakers} (int, default 2, at least 2), {@code gain_db}
 * ([low, high], default [-5, 5]), {@code segment_seconds} (default 4.0, 0 = whole utterances),
 * {@code overlap} (default 1.0, in [0, 1]), {@code noise_corpus} (optional path to a corpus dir
 * or manifest, relative to the config), {@code snr_db} ([low, high], default [10, 20]).
 */
public final class DynamicMixingProvider implements SourceSamplerProvider {

    /** The name the config uses. */
    public static final String NAME = "dynamic-mixing";

    private static final List<ParamSpec> PARAMETERS = List.of(
            ParamSpec.integer("speakers", "sources per mixture, each from a different speaker")
                    .defaultsTo(2).min(2),
            ParamSpec.reals("gain_db", "[low, high]: each source's gain in dB is uniform in this range")
                    .defaultsTo(List.of(-5.0, 5.0)),
            ParamSpec.real("segment_seconds", "mixture length in seconds, sources cropped at a uniform offset; "
                    + "0 mixes whole utterances").defaultsTo(4.0).min(0).max(3600),
            ParamSpec.real("overlap", "fraction of the segment the other sources overlap the first one: 1 starts "
                    + "all together, lower values delay the others").defaultsTo(1.0).min(0).max(1),
            ParamSpec.string("noise_corpus", "corpus dir or manifest of noise added to each mixture; unset for no "
                    + "noise").defaultsTo(null),
            ParamSpec.reals("snr_db", "[low, high]: the speech-to-noise ratio in dB is uniform in this range")
                    .defaultsTo(List.of(10.0, 20.0)));

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public String description() {
        return "every utterance is the first source of one mixture per epoch (shuffled), with speakers-1 partners "
                + "uniform over the utterances of other speakers; gains uniform in gain_db, crops uniform, optional "
                + "noise at snr_db uniform";
    }

    @Override
    public List<ParamSpec> parameters() {
        return PARAMETERS;
    }

    @Override
    public SourceSampler create(Params params, BuildContext context) {
        int speakers = params.getInt("speakers");
        double[] gain = pair(params, "gain_db");
        double[] snr = pair(params, "snr_db");
        double segment = params.getDouble("segment_seconds");
        double overlap = params.getDouble("overlap");
        Corpus corpus = context.corpus();
        if (corpus.numSpeakers() < speakers) {
            throw params.error("speakers", "'" + params.pathOf("speakers") + "' is more than the "
                    + corpus.numSpeakers() + " speakers of corpus " + corpus.source() + ": " + speakers);
        }
        if (overlap == 0 && segment > 0) {
            throw params.error("overlap", "'" + params.pathOf("overlap") + "' is not above 0 while '"
                    + params.pathOf("segment_seconds") + "' is " + segment
                    + " (the other sources would start at the segment's end and be silent): 0");
        }
        Corpus noise = null;
        String noisePath = params.optString("noise_corpus");
        if (noisePath != null) {
            Path path = context.resolve(noisePath);
            try {
                noise = CorpusReader.read(path);
            } catch (CorpusException e) {
                throw params.error("noise_corpus", "'" + params.pathOf("noise_corpus") + "' cannot be read: "
                        + e.getMessage());
            }
            if (corpus.size() > 0 && noise.sampleRate() != corpus.sampleRate()) {
                throw params.error("noise_corpus", "'" + params.pathOf("noise_corpus") + "' is at "
                        + noise.sampleRate() + " Hz; expected the corpus's " + corpus.sampleRate() + " Hz: " + path);
            }
        }
        DynamicMixingSettings settings = new DynamicMixingSettings(speakers, gain[0], gain[1], segment, overlap,
                snr[0], snr[1]);
        return DynamicMixingSampler.of(corpus, noise, settings);
    }

    private static double[] pair(Params params, String name) {
        List<Double> v = params.getDoubles(name);
        if (v.size() != 2 || v.get(0) > v.get(1)) {
            throw params.error(name, "'" + params.pathOf(name) + "' must be [low, high] with low <= high: " + v);
        }
        return new double[] {v.get(0), v.get(1)};
    }
}
