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

    /** {@code shuffle}: seeded Fisher-Yates per epoch. */
    public static final class Shuffle implements SourceSamplerProvider {
        @Override
        public String name() {
            return "shuffle";
        }

        @Override
        public String description() {
            return "every utterance once per epoch, order uniform over all permutations (Fisher-Yates from seed and epoch)";
        }

        @Override
        public List<ParamSpec> parameters() {
            return List.of();
        }

        @Override
        public SourceSampler create(Params params, BuildContext context) {
            return FisherYatesShuffleSampler.of(context.corpus());
        }
    }
}
