package io.speechsampler.api.spi;

import io.speechsampler.api.random.RandomStreams;
import org.apache.commons.rng.UniformRandomProvider;

/**
 * What a component knows about the epoch it is asked to produce. Samplers and stages produce
 * the whole epoch identically on every rank (the pipeline shards batches afterwards), so they
 * must depend only on these fields and their own state.
 *
 * @param seed      the run's seed
 * @param epoch     epoch number, from 0
 * @param rank      this process's rank (informational for samplers)
 * @param worldSize number of ranks
 * @param component the component's key in the pipeline, e.g. {@code sampler} or {@code stages[0]}
 * @param plan      the run's planned length and where this epoch starts in it (pacing functions
 *                  read their T here)
 */
public record EpochContext(long seed, int epoch, int rank, int worldSize, String component, RunPlan plan) {

    /** A context with no run plan ({@link RunPlan#UNKNOWN}), for components used on their own. */
    public EpochContext(long seed, int epoch, int rank, int worldSize, String component) {
        this(seed, epoch, rank, worldSize, component, RunPlan.UNKNOWN);
    }

    public EpochContext {
        if (epoch < 0) {
            throw new IllegalArgumentException("epoch is negative: " + epoch);
        }
        if (worldSize < 1) {
            throw new IllegalArgumentException("world size is not at least 1: " + worldSize);
        }
        if (rank < 0 || rank >= worldSize) {
            throw new IllegalArgumentException("rank is not in [0, " + (worldSize - 1) + "]: " + rank);
        }
        java.util.Objects.requireNonNull(plan, "plan");
    }

    /** This component's own random stream for this epoch; every call starts the stream anew. */
    public UniformRandomProvider random() {
        return RandomStreams.of(seed, component, epoch);
    }

    /** A second independent stream of this component, for a named sub-purpose. */
    public UniformRandomProvider random(String purpose) {
        return RandomStreams.of(seed, component + "/" + purpose, epoch);
    }

    public EpochContext forComponent(String key) {
        return new EpochContext(seed, epoch, rank, worldSize, key, plan);
    }
}
