/** Core batchers of the sampler SPI. */
package io.speechsampler.core.batchers;
