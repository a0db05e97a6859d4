/** Core weighting of the sampler SPI. */
package io.speechsampler.core.weighting;
