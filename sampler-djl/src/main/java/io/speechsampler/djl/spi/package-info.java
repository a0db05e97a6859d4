/**
 * The trainer's plugins: networks ({@link io.speechsampler.djl.spi.ModelProvider}) and what they
 * train for ({@link io.speechsampler.djl.spi.TaskProvider}), found with {@link java.util.ServiceLoader}
 * and picked by name in a config's {@code model} and {@code task} sections, as the sampler's
 * providers are; {@link io.speechsampler.djl.spi.Trainables} resolves a config into both.
 */
package io.speechsampler.djl.spi;
