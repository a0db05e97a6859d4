/**
 * Running the loop from a config: the model and task plugins ({@link io.speechsampler.djl.spi.Trainables}),
 * rendering from a corpus ({@link io.speechsampler.djl.run.CorpusBatchRenderer}) and loading trained
 * checkpoints ({@link io.speechsampler.djl.run.TrainedModel}).
 */
package io.speechsampler.djl.run;
