package io.speechsampler.audio.mix;

import io.speechsampler.api.config.ParamSpec;
import io.speechsampler.api.config.Params;
import io.speechsampler.api.draw.Draw;
import io.speechsampler.api.spi.BuildContext;
import io.speechsampler.api.spi.EpochContext;
import io.speechsampler.api.spi.SourceSampler;
import io.speechsampler.api.spi.SourceSamplerProvider;
import io.speechsampler.api.spi.Stage;
import java.util.Iterator;
import java.util.List;

/**
 * {@code mixture-of-mixtures}: MixIT's training data from a corpus of mixture recordings (an
 * unlabelled corpus, e.g. {@code sampler corpus mix}'s): each draw sums two different recordings,
 * each cropped to {@code segment_seconds} at a uniform offset (the authors: 4 s), at 0 dB, the sum
 * and both references scaled to a peak of 0.9 when the sum would clip (the authors'
 * {@code data_dynamic.py}); the two recordings are the MixIT task's references. Every recording is
 * the first of one draw per epoch (shuffled), its partner uniform over the others: the
 * {@code dynamic-mixing} sampler with two "speakers" over a corpus whose recordings are each their
 * own speaker, with the draws tagged {@value MixtureRenderer#PEAK_NORMALISE_TAG}. Deterministic,
 * resumable and sharded as dynamic mixing is.
 */
public final class MixtureOfMixturesProvider implements SourceSamplerProvider {

    @Override
    public String name() {
        return "mixture-of-mixtures";
    }

    @Override
    public String description() {
        return "MixIT's data: each recording of a mixture corpus summed with a uniformly random other one, both "
                + "cropped to segment_seconds at uniform offsets, peak-normalised to 0.9 when the sum clips; the two "
                + "recordings are the references";
    }

    @Override
    public List<ParamSpec> parameters() {
        return List.of(ParamSpec.real("segment_seconds", "crop of each recording, seconds (the authors' 4 s); 0: whole "
                + "recordings").defaultsTo(4.0).min(0).max(3600));
    }

    @Override
    public SourceSampler create(Params params, BuildContext context) {
        if (context.corpus().numSpeakers() < 2) {
            throw params.error("segment_seconds", "mixture-of-mixtures needs at least two recordings of different "
                    + "speakers (each recording of a mixture corpus is its own), the corpus has "
                    + context.corpus().numSpeakers());
        }
        DynamicMixingSampler pairs = DynamicMixingSampler.of(context.corpus(), null,
                new DynamicMixingSettings(2, 0, 0, params.getDouble("segment_seconds"), 1.0, 10, 20));
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
}
