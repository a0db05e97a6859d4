package io.speechsampler.api.spi;

/** Service interface for class masks (config key mask): list implementations in {@code META-INF/services/io.speechsampler.api.spi.ClassMaskProvider}. */
public interface ClassMaskProvider extends Provider<ClassMask> {
}
