package io.speechsampler.api.spi;

/** Service interface for source samplers (config key sampler): list implementations in {@code META-INF/services/io.speechsampler.api.spi.SourceSamplerProvider}. */
public interface SourceSamplerProvider extends Provider<SourceSampler> {
}
