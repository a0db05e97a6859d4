package io.speechsampler.api.spi;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * A draw component (sampler, stage or batcher) that changes what it draws inside an epoch, at
 * boundaries it declares (every K global batches, or at given batches), from its state and the
 * outcomes it observed before the boundary (docs/spi2.md, section 3). The run's class mask and the
 * config's shared {@code components} are segmented too when they implement this (a
 * {@code drop-class} set that a sampler draws from and the mask applies): their state is not part
 * of the epoch-start state, so {@link #apply} must take everything it sets from the decision.
 *
 * <p>The pipeline runs {@link #decide} and then {@link #apply} at every boundary of the
 * component, before the first draw of the segment is pulled, on every rank at the same global
 * batch. Epoch starts are always boundaries (segment 0): there decide and apply run after the
 * component's iterator of the epoch was created and before its first draw is pulled. The
 * decisions are logged in the pipeline's state; a run restored inside an epoch replays the epoch
 * from its start, calling {@code apply} with each logged decision at its start batch instead of
 * {@code decide}, so it needs no outcomes and is exact.
 *
 * <p>Iterators read the <em>applied</em> decision when they produce draws (after the boundary,
 * since the pipeline pulls lazily; a batcher that buffers draws ahead, such as
 * {@code duration-bucketed}, delays the effect by its buffer); outcomes reach the component only
 * through {@code decide} (observing is its own role, {@link OutcomeObserver}). A restore sets the
 * component's current state after the replay, so {@link Stateful#saveState()} must carry the
 * applied decision.
 *
 * <p>A boundary at the epoch's end is decided too (whether a batch follows cannot be asked
 * without pulling draws); its segment is empty.
 *
 * <p>With W ranks, one round of W global batches is one optimizer step: a boundary inside a
 * round is crossed when the round is pulled, so its decision sees the outcomes of the earlier
 * rounds (with one rank: of every earlier batch). Boundaries are in global batches, which do not
 * depend on the world size, so elastic resume keeps the cadence.
 */
public interface Segmented {

    /**
     * The next boundary strictly after {@code runBatch}, a run-global batch index (the epoch's
     * {@link RunPlan#epochStartBatch()} plus the index in the epoch); {@link Long#MAX_VALUE} for
     * none. Must depend on the configuration and {@code runBatch} only.
     */
    long nextBoundary(long runBatch);

    /**
     * At a boundary: the decision for the segment that starts here, from this component's state
     * (including what it observed so far) and {@link SegmentContext#random()}. Small JSON (a class
     * set, a progress value); it is stored in every saved state of the epoch.
     */
    JsonNode decide(SegmentContext context);

    /**
     * Takes a decision into effect for the segment: the one {@link #decide} just made, or one
     * replayed from a saved state. Must not read outcomes.
     */
    void apply(JsonNode decision, SegmentContext context);
}
