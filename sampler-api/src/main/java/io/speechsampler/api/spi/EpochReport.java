package io.speechsampler.api.spi;

import java.util.Map;

/**
 * A component that reports numbers once per epoch into the run's {@code metrics.jsonl}, as a line
 * {@code {"type": reportType(), "epoch": e, ...}} after the epoch ended (after its
 * {@link OutcomeObserver#endEpoch} and before the epoch's validation): the loss gate's share of
 * samples under the gate. A resumed run cuts these lines back to the epochs before its checkpoint,
 * as it does the validation lines, so the file holds every epoch's line once.
 */
public interface EpochReport {

    /** The line's {@code "type"}: a plain lowercase name ({@code gate}), not {@code step} or {@code validation}. */
    String reportType();

    /**
     * The numbers of epoch {@code ended} (from 0), in the order they are to be written, under keys
     * other than {@code type} and {@code epoch}; a whole number is written without a fraction, a NaN
     * as {@code null} (nothing to measure, e.g. a purity of no samples). Called once, after
     * the epoch ended; it must depend only on what the component decided in that epoch.
     */
    Map<String, Double> epochReport(int ended);
}
