package io.speechsampler.api.spi;

import io.speechsampler.api.draw.Batch;
import io.speechsampler.api.draw.Draw;
import java.util.AbstractList;
import java.util.List;
import java.util.Objects;
import java.util.RandomAccess;

/**
 * One step's outcomes held as columns (the batch's draws, a loss and a metric per draw) and read as
 * an immutable {@code List<Outcome>}: each {@link Outcome} is made when it is read, so a step that
 * reports 32 outcomes allocates two arrays instead of 32 records and two lists, and an observer that
 * reads an outcome and lets it go allocates nothing (the JIT removes the record). The pipeline passes
 * a batch without padding to its observers as it is. Observers that read columns directly use
 * {@link #draw}, {@link #loss} and {@link #metric}.
 */
public final class OutcomeBatch extends AbstractList<Outcome> implements RandomAccess {

    private final List<Draw> draws;
    private final int epoch;
    private final long step;
    private final int globalBatch;
    private final double[] losses;
    private final double[] metrics;

    /**
     * @param draws       the draws trained, in batch order
     * @param losses      per-draw loss (copied)
     * @param metrics     per-draw metric, NaN where none (copied)
     * @throws IllegalArgumentException when the three do not have the same length
     */
    public OutcomeBatch(List<Draw> draws, int epoch, long step, int globalBatch, double[] losses, double[] metrics) {
        this.draws = List.copyOf(draws);
        if (losses.length != this.draws.size() || metrics.length != this.draws.size()) {
            throw new IllegalArgumentException("expected one loss and one metric per draw: " + this.draws.size()
                    + " draws, " + losses.length + " losses, " + metrics.length + " metrics");
        }
        this.epoch = epoch;
        this.step = step;
        this.globalBatch = globalBatch;
        this.losses = losses.clone();
        this.metrics = metrics.clone();
    }

    /** The outcomes of a batch the pipeline gave out. */
    public static OutcomeBatch of(Batch batch, double[] losses, double[] metrics) {
        Objects.requireNonNull(batch, "batch");
        return new OutcomeBatch(batch.draws(), batch.epoch(), batch.step(), batch.globalIndex(), losses, metrics);
    }

    @Override
    public Outcome get(int i) {
        return new Outcome(draws.get(i), epoch, step, globalBatch, losses[i], metrics[i]);
    }

    @Override
    public int size() {
        return draws.size();
    }

    /** The draw of outcome {@code i}. */
    public Draw draw(int i) {
        return draws.get(i);
    }

    /** The loss of outcome {@code i}. */
    public double loss(int i) {
        return losses[i];
    }

    /** The metric of outcome {@code i}. */
    public double metric(int i) {
        return metrics[i];
    }

    /** True when a draw of this batch is padding. */
    public boolean hasPadding() {
        for (int i = 0, n = draws.size(); i < n; i++) {
            if (draws.get(i).isPadding()) {
                return true;
            }
        }
        return false;
    }
}
