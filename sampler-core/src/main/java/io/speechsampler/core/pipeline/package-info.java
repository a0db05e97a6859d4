/** Core pipeline of the sampler SPI. */
package io.speechsampler.core.pipeline;
