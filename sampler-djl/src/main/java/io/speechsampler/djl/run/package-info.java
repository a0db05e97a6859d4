/**
 * Running the loop from a config: the {@code model} section ({@link io.speechsampler.djl.run.ModelSpec}),
 * rendering from a corpus ({@link io.speechsampler.djl.run.CorpusBatchRenderer}) and loading trained
 * checkpoints ({@link io.speechsampler.djl.run.TrainedModel}).
 */
package io.speechsampler.djl.run;
