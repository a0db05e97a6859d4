package io.speechsampler.djl.data;

import ai.djl.training.dataset.RandomAccessDataset;
import ai.djl.training.dataset.Sampler;
import io.speechsampler.api.corpus.Corpus;
import io.speechsampler.api.draw.Batch;
import io.speechsampler.api.draw.Draw;
import io.speechsampler.api.draw.ItemDraw;
import io.speechsampler.core.pipeline.Pipeline;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A DJL {@link Sampler} over a {@link Pipeline}: each call of {@link #sample} is one epoch of the
 * pipeline's batches for this rank. An uncropped item draw becomes the corpus index of its
 * utterance; any other draw (a cropped item, a two-view draw, a mixture) becomes a ticket, a running number from {@link #TICKET_BASE} up, that
 * {@link DrawDataset} resolves through this sampler's table (the entry is removed when resolved).
 *
 * <p>DJL never tells a sampler the epoch, so this sampler counts: the first {@code sample} call
 * runs the pipeline's current epoch; every later call first finishes the previous epoch
 * ({@link Pipeline#finishEpoch()}), so observers see an epoch end only after its last batch has
 * been handed out. The pipeline is not thread-safe: iterate from one thread.
 */
public final class PipelineSampler implements Sampler {

    /** First ticket number; corpus indexes are below it. */
    public static final long TICKET_BASE = 1L << 40;

    private final Pipeline pipeline;
    private final Map<Long, Draw> table = new ConcurrentHashMap<>();
    private long nextTicket = TICKET_BASE;
    private int epochsStarted;
    private Batch lastBatch;

    private PipelineSampler(Pipeline pipeline) {
        this.pipeline = pipeline;
    }

    public static PipelineSampler of(Pipeline pipeline) {
        return new PipelineSampler(pipeline);
    }

    public Pipeline pipeline() {
        return pipeline;
    }

    /** Epochs this sampler has started. */
    public int epochsStarted() {
        return epochsStarted;
    }

    /** The pipeline batch behind the indices handed out last, if any. */
    public Optional<Batch> lastBatch() {
        return Optional.ofNullable(lastBatch);
    }

    @Override
    public Iterator<List<Long>> sample(RandomAccessDataset dataset) {
        if (epochsStarted > 0) {
            pipeline.finishEpoch();
        }
        epochsStarted++;
        return new Iterator<>() {
            private Batch next = pipeline.nextInEpoch().orElse(null);

            @Override
            public boolean hasNext() {
                return next != null;
            }

            @Override
            public List<Long> next() {
                if (next == null) {
                    throw new NoSuchElementException("the pipeline's epoch " + pipeline.epoch() + " has ended");
                }
                Batch b = next;
                lastBatch = b;
                List<Long> indices = new ArrayList<>(b.size());
                for (Draw d : b.draws()) {
                    indices.add(indexOf(d));
                }
                next = pipeline.nextInEpoch().orElse(null);
                return indices;
            }
        };
    }

    private long indexOf(Draw d) {
        if (d instanceof ItemDraw item && item.crop() == null) {
            Corpus corpus = pipeline.corpus();
            return corpus.indexOf(item.id()).orElseThrow(() -> new IllegalStateException(
                    "item draw '" + item.id() + "' is not in the corpus " + corpus.source()));
        }
        long ticket = nextTicket++;
        table.put(ticket, d);
        return ticket;
    }

    /** The draw behind an index this sampler handed out; a ticket is resolved once. */
    public Draw resolve(long index) {
        if (index >= TICKET_BASE) {
            Draw d = table.remove(index);
            if (d == null) {
                throw new IllegalArgumentException("ticket " + index + " was not handed out or was already resolved");
            }
            return d;
        }
        Corpus corpus = pipeline.corpus();
        if (index < 0 || index >= corpus.size()) {
            throw new IllegalArgumentException("index is not a corpus index in [0, " + corpus.size() + ") nor a ticket: "
                    + index);
        }
        return ItemDraw.of(corpus.get((int) index).id());
    }

    @Override
    public int getBatchSize() {
        return pipeline.batcher().fixedBatchSize();
    }
}
