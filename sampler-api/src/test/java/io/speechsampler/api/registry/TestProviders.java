package io.speechsampler.api.registry;

import io.speechsampler.api.config.ParamSpec;
import io.speechsampler.api.config.Params;
import io.speechsampler.api.draw.Draw;
import io.speechsampler.api.spi.Batcher;
import io.speechsampler.api.spi.BatcherProvider;
import io.speechsampler.api.spi.BuildContext;
import io.speechsampler.api.spi.EpochContext;
import io.speechsampler.api.spi.SourceSampler;
import io.speechsampler.api.spi.SourceSamplerProvider;
import java.util.Collections;
import java.util.Iterator;
import java.util.List;

/** Providers registered in this module's test services files. */
public final class TestProviders {

    private TestProviders() {
    }

    /** A sampler that draws nothing. */
    static final class Empty implements SourceSampler {
        @Override
        public Iterator<Draw> epoch(EpochContext context) {
            return Collections.emptyIterator();
        }
    }

    /** {@code test-echo}: two parameters, to check binding. */
    public static final class Echo implements SourceSamplerProvider {
        @Override
        public String name() {
            return "test-echo";
        }

        @Override
        public String description() {
            return "draws nothing";
        }

        @Override
        public List<ParamSpec> parameters() {
            return List.of(ParamSpec.integer("count", "a count").min(1).defaultsTo(1),
                    ParamSpec.string("label", "a label").defaultsTo("x"));
        }

        @Override
        public SourceSampler create(Params params, BuildContext context) {
            return new Empty();
        }
    }

    /** {@code test-fixed}: a batcher with a {@code size} of at least 1. */
    public static final class Fixed implements BatcherProvider {
        @Override
        public String name() {
            return "test-fixed";
        }

        @Override
        public String description() {
            return "never batches";
        }

        @Override
        public List<ParamSpec> parameters() {
            return List.of(ParamSpec.integer("size", "draws per batch").min(1));
        }

        @Override
        public Batcher create(Params params, BuildContext context) {
            return (draws, ctx) -> Collections.emptyIterator();
        }
    }

    /** One of two providers named {@code test-twin}. */
    public static final class TwinA implements SourceSamplerProvider {
        @Override
        public String name() {
            return "test-twin";
        }

        @Override
        public String description() {
            return "first twin";
        }

        @Override
        public List<ParamSpec> parameters() {
            return List.of();
        }

        @Override
        public SourceSampler create(Params params, BuildContext context) {
            return new Empty();
        }
    }

    /** The other provider named {@code test-twin}. */
    public static final class TwinB implements SourceSamplerProvider {
        @Override
        public String name() {
            return "test-twin";
        }

        @Override
        public String description() {
            return "second twin";
        }

        @Override
        public List<ParamSpec> parameters() {
            return List.of();
        }

        @Override
        public SourceSampler create(Params params, BuildContext context) {
            return new Empty();
        }
    }

    /** A provider whose constructor throws, as a misconfigured plugin would. */
    public static final class Broken implements SourceSamplerProvider {
        public Broken() {
            throw new IllegalStateException("broken on purpose");
        }

        @Override
        public String name() {
            return "test-broken";
        }

        @Override
        public String description() {
            return "never built";
        }

        @Override
        public List<ParamSpec> parameters() {
            return List.of();
        }

        @Override
        public SourceSampler create(Params params, BuildContext context) {
            return new Empty();
        }
    }
}
