package io.speechsampler.api.spi;

import io.speechsampler.api.corpus.Corpus;
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
 *
 * <p><b>Key indexes</b> (optional): the corpus index of each draw's key, as
 * {@link Corpus#indexOf}({@link Draw#key()}) gives it, resolved once per outcome by whoever made the
 * batch ({@link #withKeyIndexes}), so that observers with per-sample arrays (a datamap, InfoBatch)
 * need no lookup by id of their own. An observer uses them only for the corpus they were resolved
 * in ({@link #hasKeyIndexesOf}, by identity); otherwise it looks the keys up itself.
 */
public final class OutcomeBatch extends AbstractList<Outcome> implements RandomAccess {

    private final List<Draw> draws;
    private final int epoch;
    private final long step;
    private final int globalBatch;
    private final double[] losses;
    private final double[] metrics;
    /** The corpus {@link #keyIndexes} index, or null when the batch has none. */
    private final Corpus keyCorpus;
    private final int[] keyIndexes;

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
        this.keyCorpus = null;
        this.keyIndexes = null;
    }

    private OutcomeBatch(OutcomeBatch b, Corpus keyCorpus, int[] keyIndexes) {
        this.draws = b.draws;
        this.epoch = b.epoch;
        this.step = b.step;
        this.globalBatch = b.globalBatch;
        this.losses = b.losses;
        this.metrics = b.metrics;
        this.keyCorpus = keyCorpus;
        this.keyIndexes = keyIndexes;
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

    /**
     * These outcomes with the corpus index of each draw's key ({@link Corpus#indexOf} of
     * {@link Draw#key()}; -1 for a key not in {@code corpus}), looked up once here.
     */
    public OutcomeBatch withKeyIndexes(Corpus corpus) {
        Objects.requireNonNull(corpus, "corpus");
        int[] indexes = new int[draws.size()];
        for (int i = 0; i < indexes.length; i++) {
            indexes[i] = corpus.indexOf(draws.get(i).key()).orElse(-1);
        }
        return new OutcomeBatch(this, corpus, indexes);
    }

    /** True when the batch carries key indexes resolved in this very corpus (identity, not equality). */
    public boolean hasKeyIndexesOf(Corpus corpus) {
        return keyCorpus != null && keyCorpus == corpus;
    }

    /**
     * The corpus index of outcome {@code i}'s key, -1 when it is not in the corpus.
     *
     * @throws IllegalStateException when the batch carries no key indexes ({@link #hasKeyIndexesOf})
     */
    public int keyIndex(int i) {
        if (keyIndexes == null) {
            throw new IllegalStateException("this outcome batch carries no key indexes (see withKeyIndexes)");
        }
        return keyIndexes[i];
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
