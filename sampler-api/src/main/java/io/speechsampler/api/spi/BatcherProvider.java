package io.speechsampler.api.spi;

/** Service interface for batchers (config key batch): list implementations in {@code META-INF/services/io.speechsampler.api.spi.BatcherProvider}. */
public interface BatcherProvider extends Provider<Batcher> {
}
