/**
 * The run as a library: {@link io.speechsampler.run.TrainingRun} trains a config into a run folder
 * (config, checkpoints, metrics, batch trace, reports), resumes it exactly, and
 * {@link io.speechsampler.run.Evaluation} evaluates a trained model; the command line is a thin
 * layer of picocli commands over these.
 */
package io.speechsampler.run;
