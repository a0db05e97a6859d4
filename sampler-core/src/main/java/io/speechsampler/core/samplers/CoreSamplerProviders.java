package io.speechsampler.core.samplers;

import io.speechsampler.api.config.ParamSpec;
import io.speechsampler.api.config.Params;
import io.speechsampler.api.spi.BuildContext;
import io.speechsampler.api.spi.SourceSampler;
import io.speechsampler.api.spi.SourceSamplerProvider;
import java.util.List;

/** Providers of the parameterless core samplers. */
public final class CoreSamplerProviders {

    private CoreSamplerProviders() {
    }

    /** {@code sequential}: corpus order. */
    public static final class Sequential implements SourceSamplerProvider {
        @Override
        public String name() {
            return "sequential";
        }

        @Override
        public String description() {
            return "every utterance once per epoch in corpus order";
        }

        @Override
        public List<ParamSpec> parameters() {
            return List.of();
        }

        @Override
        public SourceSampler create(Params params, BuildContext context) {
            return SequentialSampler.of(context.corpus());
        }
    }

    /** {@code shuffle}: seeded Fisher-Yates per epoch, optionally with uniform crops ({@code crop_seconds}). */
    public static final class Shuffle implements SourceSamplerProvider {
        @Override
        public String name() {
            return "shuffle";
        }

        @Override
        public String description() {
            return "every utterance once per epoch, order uniform over all permutations (Fisher-Yates from seed and "
                    + "epoch), optionally each a uniform crop of crop_seconds";
        }

        @Override
        public List<ParamSpec> parameters() {
            return List.of(UniformCrops.optionalParam());
        }

        @Override
        public SourceSampler create(Params params, BuildContext context) {
            UniformCrops crops = UniformCrops.fromParams(params, context.corpus());
            return crops == null ? FisherYatesShuffleSampler.of(context.corpus())
                    : FisherYatesShuffleSampler.of(context.corpus(), crops);
        }
    }
}
