package io.speechsampler.api.spi;

/** Service interface for stages (config key stages): list implementations in {@code META-INF/services/io.speechsampler.api.spi.StageProvider}. */
public interface StageProvider extends Provider<Stage> {
}
