package io.speechsampler.djl.train;

import java.nio.file.Path;

/**
 * Where a restored run continues: what a run's logs keep on resume (the steps before
 * {@code steps}, the validations of the epochs before {@code epoch}).
 *
 * @param checkpoint the checkpoint folder restored
 * @param steps      steps trained before it: the next step is {@code steps}
 * @param epoch      the epoch it continues; every epoch before it is done and validated
 */
public record ResumePoint(Path checkpoint, long steps, int epoch) {
}
