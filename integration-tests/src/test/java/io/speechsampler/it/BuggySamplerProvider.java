package io.speechsampler.it;

import io.speechsampler.api.config.ParamSpec;
import io.speechsampler.api.config.Params;
import io.speechsampler.api.spi.BuildContext;
import io.speechsampler.api.spi.SourceSampler;
import io.speechsampler.api.spi.SourceSamplerProvider;
import java.util.List;

/**
 * A sampler provider with a bug, for tests only (listed in this module's test resources): its
 * {@code create} throws what a programming error throws, so that a test can check that the CLI
 * reports a bug as one (exit 1 with a stack trace) and not as bad input.
 */
public final class BuggySamplerProvider implements SourceSamplerProvider {

    @Override
    public String name() {
        return "bug-for-tests";
    }

    @Override
    public String description() {
        return "throws from create (integration tests only)";
    }

    @Override
    public List<ParamSpec> parameters() {
        return List.of(ParamSpec.choice("throws", "what create throws", "state", "argument", "npe"));
    }

    @Override
    public SourceSampler create(Params params, BuildContext context) {
        switch (params.getString("throws")) {
            case "state" -> throw new IllegalStateException("an invariant the code should have kept");
            case "argument" -> throw new IllegalArgumentException("an argument the code should not have passed");
            default -> throw new NullPointerException();
        }
    }
}
