package io.speechsampler.djl.train;

import java.nio.file.Path;

/**
 * What a run did.
 *
 * @param epochsDone     epochs completed, resumed ones included
 * @param steps          global steps trained, resumed ones included
 * @param lastLoss       the last step's weighted loss
 * @param bestScore      best validation score (NaN without validation)
 * @param bestCheckpoint the best checkpoint's directory, or null
 */
public record TrainingSummary(int epochsDone, long steps, double lastLoss, double bestScore, Path bestCheckpoint) {
}
