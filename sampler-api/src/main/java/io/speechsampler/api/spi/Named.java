package io.speechsampler.api.spi;

import io.speechsampler.api.config.ParamSpec;
import java.util.List;

/**
 * What every plugin found with {@link java.util.ServiceLoader} says of itself: the name a config
 * picks it by, one line on what it does, and its parameters. The sampler's {@link Provider}s and
 * the trainer's model and task providers (sampler-djl) share it, and with it one discovery
 * ({@link io.speechsampler.api.registry.Catalog}) and one listing ({@code sampler providers}).
 */
public interface Named {

    /** The name the config uses, e.g. {@code shuffle}: lower case, words joined by '-'. */
    String name();

    /** One line: what it does. */
    String description();

    /** Every key it accepts; the framework validates types, ranges and unknown keys. */
    List<ParamSpec> parameters();
}
