package io.speechsampler.api.spi;

import java.util.List;

/**
 * Extension point "what the run learned about each sample": receives per-sample outcomes after
 * every step (datamaps, gates, curricula). Summaries must be streamed (e.g. Welford), never the
 * whole history.
 */
public interface OutcomeObserver extends Stateful {

    void observe(List<Outcome> outcomes);

    /** Called once after the last step of an epoch. */
    default void endEpoch(int epoch) {
    }
}
