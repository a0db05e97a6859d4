package io.speechsampler.api.spi;

import io.speechsampler.api.draw.Batch;

/**
 * A component that keeps a record of its own in the run folder, one JSON line per event
 * ({@code drop-class}: {@code drops.jsonl}, a line for every period's dropped classes). After
 * every trained batch the run asks for the batch's line and appends it, flushed; a resumed run first
 * cuts the file back to the lines whose {@code "step"} is before the checkpoint's step, as it does
 * its {@code metrics.jsonl}, so the file holds every event once however the previous process ended.
 */
public interface RunRecord {

    /** The file in the run folder, e.g. {@code drops.jsonl}: a plain name ending in {@code .jsonl}. */
    String recordFile();

    /**
     * The line to append after {@code trained} trained, or null for none: one JSON object without a
     * newline whose {@code "step"} is {@code trained.step()}. It must depend only on the batch and
     * the decisions the component applied, never on when it is asked.
     */
    String recordLine(Batch trained);
}
