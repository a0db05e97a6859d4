package io.speechsampler.api.spi;

/**
 * What a component knows of the run's length, so that pacing functions read T from the run
 * instead of a second setting. Counts are of global batches (before sharding, the same on every
 * rank and at every world size); with one rank a global batch is an optimizer step.
 *
 * @param plannedEpochs   epochs the run (or phase) plans to train, or -1 when unknown
 * @param epochStartBatch global batches the run took before this epoch
 * @param batchesPerEpoch global batches per epoch when known in advance (a sampler of known size
 *                        and a fixed-size batcher, or the trainer's step limit), else -1
 */
public record RunPlan(int plannedEpochs, long epochStartBatch, long batchesPerEpoch) {

    /** Nothing known: a component used outside a pipeline. */
    public static final RunPlan UNKNOWN = new RunPlan(-1, 0, -1);

    public RunPlan {
        if (plannedEpochs < -1 || plannedEpochs == 0) {
            throw new IllegalArgumentException("planned epochs is not -1 (unknown) or at least 1: " + plannedEpochs);
        }
        if (epochStartBatch < 0) {
            throw new IllegalArgumentException("epoch start batch is negative: " + epochStartBatch);
        }
        if (batchesPerEpoch < -1) {
            throw new IllegalArgumentException("batches per epoch is not -1 (unknown) or at least 0: " + batchesPerEpoch);
        }
    }

    /** Planned global batches of the whole run, or -1 when epochs or epoch size are unknown. */
    public long plannedBatches() {
        return plannedEpochs < 0 || batchesPerEpoch < 0 ? -1 : plannedEpochs * batchesPerEpoch;
    }

    /**
     * Training progress in [0, 1] at global batch {@code globalBatch} of the run: the share of the
     * planned batches done when they are known, else the share of planned epochs done at
     * {@code epoch}'s start; 0 when the run's length is unknown.
     */
    public double progress(int epoch, long globalBatch) {
        long total = plannedBatches();
        if (total > 0) {
            return Math.min(1.0, (double) globalBatch / total);
        }
        if (plannedEpochs > 0) {
            return Math.min(1.0, (double) epoch / plannedEpochs);
        }
        return 0;
    }
}
