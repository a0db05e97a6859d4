package io.speechsampler.djl.train;

import io.speechsampler.api.draw.Batch;

/**
 * What one training step did, for progress bars, metrics files and the batch trace.
 *
 * @param epoch        epoch
 * @param step         global step of the batch
 * @param loss         the weighted loss the optimizer minimised (NaN when every weight was 0
 *                     and no update was made)
 * @param meanLoss     unweighted mean of the per-sample losses
 * @param meanMetric   mean per-sample metric (NaN when the task has none)
 * @param gradientNorm global gradient L2 norm before clipping (NaN without an update)
 * @param seconds      wall seconds of the step, rendering wait included
 * @param batch        the batch the step trained on
 */
public record StepReport(int epoch, long step, double loss, double meanLoss, double meanMetric,
                         double gradientNorm, double seconds, Batch batch) {
}
