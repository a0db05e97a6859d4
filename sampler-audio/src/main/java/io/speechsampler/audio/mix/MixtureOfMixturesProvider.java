package io.speechsampler.audio.mix;

import io.speechsampler.api.config.ParamSpec;
import io.speechsampler.api.config.Params;
import io.speechsampler.api.draw.Draw;
import io.speechsampler.api.draw.MixtureDraw;
import io.speechsampler.api.spi.BuildContext;
import io.speechsampler.api.spi.EpochContext;
import io.speechsampler.api.spi.SourceSampler;
import io.speechsampler.api.spi.SourceSamplerProvider;
import io.speechsampler.api.spi.Stage;
import java.util.Iterator;
import java.util.List;
import org.apache.commons.rng.UniformRandomProvider;

/**
 * {@code mixture-of-mixtures}: MixIT's training data, each draw the sum of two reference mixtures
 * (the MixIT task's references), cropped to {@code segment_seconds} (the authors: 4 s), the sum
 * and both references scaled to a peak of 0.9 when the sum would clip (the authors'
 * {@code data_dynamic.py}; tag {@value MixtureRenderer#PEAK_NORMALISE_TAG}). Two variants:
 * <ul>
 * <li>{@code sources_per_mixture} unset (a corpus of mixture recordings, e.g.
 *     {@code sampler corpus mix}'s): the two reference mixtures are two different recordings at
 *     0 dB, each cropped at a uniform offset. Every recording is the first of one draw per epoch
 *     (shuffled), its partner uniform over the others: the {@code dynamic-mixing} sampler with two
 *     "speakers" over a corpus whose recordings are each their own speaker.</li>
 * <li>{@code sources_per_mixture: [low, high]} (a labelled corpus of single-speaker utterances):
 *     each reference mixture is a dynamic mixture of K sources, K uniform in {low, ..., high} for
 *     each of the two (two {@code nextInt} from {@code context.random("mixture-sizes")}, first
 *     reference first), all K1 + K2 sources of different speakers, gains uniform in
 *     {@code gain_db}, crops uniform: the first K1 + K2 sources of a {@code dynamic-mixing} draw
 *     of 2 high speakers (the sources it leaves out cost draws, not audio). The draw is tagged
 *     {@code mixtures=K1+K2} ({@link MixtureRenderer#referencesTag}), which the renderer sums into
 *     the two references.</li>
 * </ul>
 * Both are deterministic, resumable and sharded as dynamic mixing is: an epoch's draws are a
 * function of (seed, epoch, component key).
 */
public final class MixtureOfMixturesProvider implements SourceSamplerProvider {

    /** The most sources a reference mixture may have. */
    static final int MAX_SOURCES_PER_MIXTURE = 4;

    @Override
    public String name() {
        return "mixture-of-mixtures";
    }

    @Override
    public String description() {
        return "MixIT's data: two reference mixtures summed (two different recordings of a mixture corpus, or with "
                + "sources_per_mixture two dynamic mixtures of a labelled corpus), cropped to segment_seconds at "
                + "uniform offsets, peak-normalised to 0.9 when the sum clips; the two mixtures are the references";
    }

    @Override
    public List<ParamSpec> parameters() {
        return List.of(ParamSpec.real("segment_seconds", "crop of each recording, seconds (the authors' 4 s); 0: whole "
                        + "recordings").defaultsTo(4.0).min(0).max(3600),
                ParamSpec.reals("sources_per_mixture", "[low, high]: each reference mixture is a dynamic mixture of "
                        + "low to high sources (uniform; all of different speakers) of a labelled corpus; unset: each "
                        + "is one recording of a corpus of mixtures").defaultsTo(null),
                ParamSpec.reals("gain_db", "[low, high]: with sources_per_mixture, each source's gain in dB is uniform "
                        + "in this range").defaultsTo(List.of(-5.0, 5.0)));
    }

    @Override
    public SourceSampler create(Params params, BuildContext context) {
        double segment = params.getDouble("segment_seconds");
        if (params.has("sources_per_mixture")) {
            return dynamic(params, context, segment);
        }
        if (context.corpus().numSpeakers() < 2) {
            throw params.error("segment_seconds", "mixture-of-mixtures needs at least two recordings of different "
                    + "speakers (each recording of a mixture corpus is its own), the corpus has "
                    + context.corpus().numSpeakers());
        }
        DynamicMixingSampler pairs = DynamicMixingSampler.of(context.corpus(), null,
                new DynamicMixingSettings(2, 0, 0, segment, 1.0, 10, 20));
        return new SourceSampler() {
            @Override
            public Iterator<Draw> epoch(EpochContext ctx) {
                return Stage.map(pairs.epoch(ctx), d -> d.withTag(MixtureRenderer.PEAK_NORMALISE_TAG));
            }

            @Override
            public long epochSize() {
                return pairs.epochSize();
            }
        };
    }

    private static SourceSampler dynamic(Params params, BuildContext context, double segment) {
        List<Double> sizes = params.getDoubles("sources_per_mixture");
        String key = params.pathOf("sources_per_mixture");
        if (sizes.size() != 2 || sizes.get(0) != Math.rint(sizes.get(0)) || sizes.get(1) != Math.rint(sizes.get(1))
                || sizes.get(0) < 1 || sizes.get(0) > sizes.get(1) || sizes.get(1) > MAX_SOURCES_PER_MIXTURE) {
            throw params.error("sources_per_mixture", "'" + key + "' must be [low, high], integers with 1 <= low <= "
                    + "high <= " + MAX_SOURCES_PER_MIXTURE + ": " + sizes);
        }
        int low = (int) (double) sizes.get(0);
        int high = (int) (double) sizes.get(1);
        List<Double> gain = params.getDoubles("gain_db");
        if (gain.size() != 2 || gain.get(0) > gain.get(1)) {
            throw params.error("gain_db", "'" + params.pathOf("gain_db") + "' must be [low, high] with low <= high: "
                    + gain);
        }
        int speakers = Math.max(2, 2 * high);
        if (context.corpus().numSpeakers() < speakers) {
            throw params.error("sources_per_mixture", "'" + key + "' " + sizes + " needs " + speakers + " speakers "
                    + "(two mixtures of up to " + high + " sources, all of different speakers), the corpus "
                    + context.corpus().source() + " has " + context.corpus().numSpeakers());
        }
        DynamicMixingSampler mixtures = DynamicMixingSampler.of(context.corpus(), null,
                new DynamicMixingSettings(speakers, gain.get(0), gain.get(1), segment, 1.0, 10, 20));
        return new SourceSampler() {
            @Override
            public Iterator<Draw> epoch(EpochContext ctx) {
                UniformRandomProvider rng = ctx.random("mixture-sizes");
                return Stage.map(mixtures.epoch(ctx), d -> {
                    int first = low + rng.nextInt(high - low + 1);
                    int second = low + rng.nextInt(high - low + 1);
                    MixtureDraw m = (MixtureDraw) d;
                    return m.withSources(m.sources().subList(0, first + second))
                            .withTag(MixtureRenderer.referencesTag(first, second))
                            .withTag(MixtureRenderer.PEAK_NORMALISE_TAG);
                });
            }

            @Override
            public long epochSize() {
                return mixtures.epochSize();
            }
        };
    }
}
