package io.speechsampler.djl.spi;

import io.speechsampler.api.config.Params;
import io.speechsampler.api.spi.Named;

/**
 * A network picked by name in the config's {@code model} section. List implementations in
 * {@code META-INF/services/io.speechsampler.djl.spi.ModelProvider}.
 */
public interface ModelProvider extends Named {

    /** The task trained when the config has no {@code task} section, e.g. {@code separation}. */
    String defaultTask();

    /** Whether the network's class scores are cosines for these (bound) parameters. */
    default boolean cosineScores(Params params) {
        return false;
    }

    /** A fresh, uninitialised network for validated {@code params}. */
    Network create(Params params, ModelContext context);
}
