package io.speechsampler.core.samplers;

import io.speechsampler.api.config.ParamSpec;
import io.speechsampler.api.config.Params;
import io.speechsampler.api.corpus.Corpus;
import io.speechsampler.api.draw.Crop;
import io.speechsampler.api.draw.Draw;
import io.speechsampler.api.draw.TwoViewDraw;
import io.speechsampler.api.spi.BuildContext;
import io.speechsampler.api.spi.EpochContext;
import io.speechsampler.api.spi.SourceSampler;
import io.speechsampler.api.spi.SourceSamplerProvider;
import java.util.Iterator;
import java.util.List;
import java.util.Objects;
import org.apache.commons.rng.UniformRandomProvider;

/**
 * Two views of every utterance once per epoch, for contrastive training (loss-gated learning's
 * stage 1: Tao et al. 2022, after Chung et al. 2020): the utterances in a Fisher-Yates order on the
 * epoch's stream {@code random()} (as {@code shuffle}), each with two independent {@link UniformCrops}
 * on {@code random("crops")} (two bounded longs per draw, view 1 first). The epoch is a function
 * of (seed, epoch) alone; the sampler keeps no state.
 */
public final class TwoViewShuffleSampler implements SourceSampler {

    private final String[] ids;
    private final UniformCrops crops;

    private TwoViewShuffleSampler(String[] ids, UniformCrops crops) {
        this.ids = ids;
        this.crops = crops;
    }

    public static SourceSampler of(Corpus corpus, UniformCrops crops) {
        return new TwoViewShuffleSampler(SequentialSampler.ids(corpus), Objects.requireNonNull(crops,
                "crops"));
    }

    @Override
    public Iterator<Draw> epoch(EpochContext context) {
        UniformRandomProvider cropRng = context.random("crops");
        return FisherYatesShuffleSampler.shuffled(ids.length, context, u -> {
            Crop first = crops.next(u, cropRng);
            return TwoViewDraw.of(ids[u], first, crops.next(u, cropRng));
        }, false);
    }

    @Override
    public long epochSize() {
        return ids.length;
    }

    /** {@code two-view}: {@code crop_seconds} (default 1.8, the authors' crop). */
    public static final class Provider implements SourceSamplerProvider {

        /** Loss-gated learning's crop length in seconds (the authors' code). */
        public static final double DEFAULT_CROP_SECONDS = 1.8;

        @Override
        public String name() {
            return "two-view";
        }

        @Override
        public String description() {
            return "every utterance once per epoch in shuffled order, as two independent uniform crops (the two views "
                    + "of contrastive training)";
        }

        @Override
        public List<ParamSpec> parameters() {
            return List.of(ParamSpec.real(UniformCrops.PARAM, "length of each view in seconds, > 0; offsets uniform in [0, "
                    + "utterance length - crop]; at most the corpus's shortest utterance").min(0).max(3600)
                    .defaultsTo(DEFAULT_CROP_SECONDS));
        }

        /** Both views lie inside their utterance: the crop is at most the shortest utterance. */
        @Override
        public void check(Params params, BuildContext context) {
            UniformCrops.checkWithinShortest(params, context.corpus(), name());
        }

        @Override
        public SourceSampler create(Params params, BuildContext context) {
            return of(context.corpus(), UniformCrops.fromParams(params, context.corpus()));
        }
    }
}
