/** Core samplers of the sampler SPI. */
package io.speechsampler.core.samplers;
