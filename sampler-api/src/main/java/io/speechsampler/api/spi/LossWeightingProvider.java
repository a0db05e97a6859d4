package io.speechsampler.api.spi;

/** Service interface for loss weightings (config key weighting): list implementations in {@code META-INF/services/io.speechsampler.api.spi.LossWeightingProvider}. */
public interface LossWeightingProvider extends Provider<LossWeighting> {
}
