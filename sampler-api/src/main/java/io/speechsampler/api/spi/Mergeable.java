package io.speechsampler.api.spi;

import java.util.List;

/**
 * A component whose summary of outcomes needs every rank (SPI 2, section 5): each rank observes
 * only the outcomes of its own batches, so before a decision that reads the summary the ranks
 * exchange {@link #summary()}s and each {@link #merge}s all of them; afterwards every rank holds
 * the summary one rank would hold had it observed every outcome (in global batch order). The
 * testkit's {@code MergeableProperty} proves that equality for a provider.
 *
 * <p>The pipeline merges at every epoch end, before {@link OutcomeObserver#endEpoch}: with one rank
 * by itself ({@code merge(List.of(summary()))}); with several, the trainer gathers
 * {@code Pipeline.summaries()} of every rank and calls {@code Pipeline.mergeSummaries}, also before
 * it saves a state (so that one rank's state holds every rank's outcomes, as an elastic resume
 * needs).
 *
 * @param <S> the summary: immutable once returned (a copy-on-write snapshot is enough)
 */
public interface Mergeable<S> {

    /** What this rank observed, to be sent to every rank; O(1) where the summary is a snapshot. */
    S summary();

    /**
     * Replaces this rank's summary by the merge of every rank's, this rank's included (index =
     * rank). With one element it is this rank's own summary: the world is one rank.
     */
    void merge(List<S> fromEveryRank);
}
