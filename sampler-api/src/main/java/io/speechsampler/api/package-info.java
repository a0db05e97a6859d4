/**
 * The sampler SPI: draws and batches ({@code draw}), the four extension points and their
 * service interfaces ({@code spi}), config and parameter validation ({@code config}), provider
 * discovery ({@code registry}), corpora ({@code corpus}) and seeded random streams
 * ({@code random}). Plain Java, no DJL.
 */
package io.speechsampler.api;
