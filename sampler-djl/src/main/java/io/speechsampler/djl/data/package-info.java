/**
 * DJL's dataset API over a sampler {@link io.speechsampler.core.pipeline.Pipeline}: a
 * {@code Sampler} that hands out the pipeline's batches as indices and a
 * {@code RandomAccessDataset} that turns the indices back into draws and encodes them.
 */
package io.speechsampler.djl.data;
