package io.speechsampler.testkit;

import com.fasterxml.jackson.databind.JsonNode;
import io.speechsampler.api.draw.Batch;
import io.speechsampler.api.draw.BatchStream;
import io.speechsampler.api.draw.Draw;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.DoubleRange;
import net.jqwik.api.constraints.IntRange;

/**
 * The contracts every sampler keeps (DESIGN.md), written once as jqwik properties: a sampler's
 * test implements this interface, says how to build a {@link BatchStream} for (seed, rank, world
 * size) and whether the sampler is random, and inherits the properties.
 *
 * <ul>
 *   <li><b>Deterministic</b>: the same seed gives identical batches over {@link #contractEpochs()}
 *       epochs; another seed gives different batches when {@link #isRandom()}, identical ones
 *       otherwise.</li>
 *   <li><b>Resumable</b>: state saved after any number of batches (also at an epoch boundary,
 *       before or after finishing the epoch), written to a JSON string and restored into a freshly
 *       built stream, continues exactly as the uninterrupted run.</li>
 *   <li><b>Distributed</b>: for world sizes 1 to {@value #MAX_WORLD_SIZE} every rank gets
 *       {@code ceil(n / W)} batches, where {@code n} is the world-size-1 count; the non-padding
 *       batches of all ranks are, as a multiset, the world-size-1 batches (so they are disjoint
 *       and their draws cover the epoch). Every batch's {@link Batch#globalIndex()} names its
 *       world-size-1 batch: rank {@code r}'s {@code k}-th batch of an epoch has index
 *       {@code r + k W}, which is that batch's position in the world-size-1 epoch, or for padding
 *       ({@code >= n}) the batch {@code (index - n) mod n} it repeats. The stream must shard with
 *       {@code drop_last: false}, the default.</li>
 * </ul>
 *
 * The implementing test supplies small corpora (see {@link TestCorpora}) large enough that two
 * seeds giving the same epochs has negligible probability. None of these properties is
 * statistical: a failure is a bug, never chance.
 */
public interface SamplerContract {

    /** Largest world size the sharding property tries. */
    int MAX_WORLD_SIZE = 5;

    /** Tag the pipeline puts on draws repeated to equalise batch counts over ranks. */
    String PADDING_TAG = io.speechsampler.api.draw.Draw.PADDING_TAG;

    /** A freshly built stream of rank {@code rank} of {@code worldSize} for a run seeded with {@code seed}. */
    BatchStream stream(long seed, int rank, int worldSize);

    /** True when the batches depend on the seed. */
    boolean isRandom();

    /** Epochs each property runs. */
    default int contractEpochs() {
        return 2;
    }

    @Property(tries = 15)
    default void sameSeedGivesIdenticalBatches(@ForAll long seed) {
        List<Batch> first = run(stream(seed, 0, 1), contractEpochs());
        List<Batch> second = run(stream(seed, 0, 1), contractEpochs());
        for (int e = 0; e < contractEpochs(); e++) {
            int epoch = e;
            if (first.stream().noneMatch(b -> b.epoch() == epoch && !b.draws().isEmpty())) {
                throw new AssertionError("epoch " + e + " produced no draws with seed " + seed);
            }
        }
        if (!first.equals(second)) {
            throw new AssertionError("seed " + seed + " gave different batches in two runs");
        }
    }

    @Property(tries = 15)
    default void seedDecidesBatchesExactlyWhenRandom(@ForAll long seed) {
        List<Batch> a = run(stream(seed, 0, 1), contractEpochs());
        List<Batch> b = run(stream(seed + 1, 0, 1), contractEpochs());
        if (isRandom() && a.equals(b)) {
            throw new AssertionError("seeds " + seed + " and " + (seed + 1) + " gave identical batches");
        }
        if (!isRandom() && !a.equals(b)) {
            throw new AssertionError("a non-random sampler gave different batches for seeds " + seed + " and "
                    + (seed + 1));
        }
    }

    @Property(tries = 30)
    default void resumeAtAnyStepContinuesIdentically(@ForAll long seed,
                                                     @ForAll @DoubleRange(min = 0, max = 1) double where,
                                                     @ForAll boolean finishEpochBeforeSave,
                                                     @ForAll @IntRange(min = 1, max = 3) int worldSize) {
        int rank = (int) Math.floorMod(seed, (long) worldSize);
        int epochs = contractEpochs();
        List<Batch> expected = run(stream(seed, rank, worldSize), epochs);
        int k = (int) Math.round(where * expected.size());

        BatchStream first = stream(seed, rank, worldSize);
        List<Batch> actual = new ArrayList<>();
        int finished = 0;
        while (actual.size() < k) {
            Optional<Batch> b = first.nextInEpoch();
            if (b.isPresent()) {
                actual.add(b.get());
            } else {
                first.finishEpoch();
                finished++;
            }
        }
        boolean atEpochEnd = k == expected.size() || (k > 0 && expected.get(k).epoch() != expected.get(k - 1).epoch());
        if (finishEpochBeforeSave && atEpochEnd && k > 0) {
            first.finishEpoch();
            finished++;
        }
        String saved = StateJson.write(first.saveState());

        BatchStream resumed = stream(seed, rank, worldSize);
        resumed.restoreState(StateJson.read(saved));
        while (finished < epochs) {
            Optional<Batch> b = resumed.nextInEpoch();
            if (b.isPresent()) {
                actual.add(b.get());
            } else {
                resumed.finishEpoch();
                finished++;
            }
        }
        if (!expected.equals(actual)) {
            throw new AssertionError("resumed after " + k + " of " + expected.size() + " batches (seed " + seed
                    + ", rank " + rank + " of " + worldSize + ", finished epoch first: " + finishEpochBeforeSave
                    + "): the batches differ from the uninterrupted run");
        }
    }

    @Property(tries = 5)
    default void shardsHaveEqualCountsAndPartitionTheEpoch(@ForAll long seed) {
        List<Batch> single = run(stream(seed, 0, 1), contractEpochs());
        for (int world = 1; world <= MAX_WORLD_SIZE; world++) {
            for (int e = 0; e < contractEpochs(); e++) {
                Map<List<Draw>, Integer> globalBatches = new HashMap<>();
                List<Batch> singleEpoch = new ArrayList<>();
                for (Batch b : single) {
                    if (b.epoch() == e) {
                        globalBatches.merge(b.draws(), 1, Integer::sum);
                        if (b.globalIndex() != singleEpoch.size()) {
                            throw new AssertionError("with one rank, batch " + singleEpoch.size() + " of epoch " + e
                                    + " has global index " + b.globalIndex() + " (seed " + seed + ")");
                        }
                        singleEpoch.add(b);
                    }
                }
                int n = singleEpoch.size();
                int perRank = (n + world - 1) / world;
                Map<List<Draw>, Integer> unpadded = new HashMap<>();
                for (int rank = 0; rank < world; rank++) {
                    List<Batch> mine = new ArrayList<>();
                    for (Batch b : run(stream(seed, rank, world), e + 1)) {
                        if (b.epoch() == e) {
                            mine.add(b);
                        }
                    }
                    if (mine.size() != perRank) {
                        throw new AssertionError("rank " + rank + " of " + world + " got " + mine.size()
                                + " batches in epoch " + e + ", expected ceil(" + n + " / " + world + ") = " + perRank
                                + " (seed " + seed + ")");
                    }
                    for (int k = 0; k < mine.size(); k++) {
                        Batch b = mine.get(k);
                        int index = b.globalIndex();
                        if (index != rank + k * world) {
                            throw new AssertionError("batch " + k + " of rank " + rank + " of " + world + " in epoch "
                                    + e + " has global index " + index + ", expected " + (rank + k * world));
                        }
                        List<Draw> named = index < n ? singleEpoch.get(index).draws()
                                : singleEpoch.get((index - n) % n).draws().stream()
                                        .map(d -> d.withTag(PADDING_TAG)).toList();
                        if (!named.equals(b.draws())) {
                            throw new AssertionError("batch " + index + " of epoch " + e + " on rank " + rank + " of "
                                    + world + " is not the world-size-1 batch its global index names (seed " + seed
                                    + ")");
                        }
                        long padded = b.draws().stream().filter(d -> d.tags().contains(PADDING_TAG)).count();
                        if (padded == 0) {
                            unpadded.merge(b.draws(), 1, Integer::sum);
                        } else if (padded != b.size()) {
                            throw new AssertionError("a batch of rank " + rank + " mixes padding and real draws: "
                                    + b.draws());
                        }
                    }
                }
                if (!unpadded.equals(globalBatches)) {
                    throw new AssertionError("with world size " + world + " the ranks' unpadded batches of epoch " + e
                            + " are not the world-size-1 batches, each once (seed " + seed + ")");
                }
            }
        }
    }

    /**
     * Elastic resume (DESIGN.md contract 3): rank 0's state, saved after {@code rounds} rounds of
     * the first epoch at world size {@code from}, restores every rank of world size {@code to}; the
     * real batches trained before the save and after it, put together by their global index, are the
     * one-rank epoch's batches, each once; the new ranks get equal counts; the next epoch is the one
     * a run at world size {@code to} would have had from the start.
     */
    @Property(tries = 25)
    default void resumesAtAnotherWorldSizeWithTheSameGlobalBatches(@ForAll long seed,
                                                                  @ForAll @IntRange(min = 1, max = 4) int from,
                                                                  @ForAll @IntRange(min = 1, max = 4) int to,
                                                                  @ForAll @DoubleRange(min = 0, max = 1) double where) {
        List<Batch> single = run(stream(seed, 0, 1), 1);
        int n = single.size();
        int perRankFrom = (n + from - 1) / from;
        int rounds = (int) Math.round(where * perRankFrom);
        Map<Integer, List<Draw>> trained = new HashMap<>();
        String saved = null;
        for (int rank = 0; rank < from; rank++) {
            BatchStream s = stream(seed, rank, from);
            for (int k = 0; k < rounds; k++) {
                Batch b = s.nextInEpoch().orElseThrow(() -> new AssertionError("a rank ran out of batches early"));
                if (b.draws().stream().noneMatch(Draw::isPadding)) {
                    trained.put(b.globalIndex(), b.draws());
                }
            }
            if (rank == 0) {
                saved = StateJson.write(s.saveState());
            }
        }
        Integer count = null;
        for (int rank = 0; rank < to; rank++) {
            BatchStream s = stream(seed, rank, to);
            s.restoreState(StateJson.read(saved));
            int mine = 0;
            Optional<Batch> b;
            while ((b = s.nextInEpoch()).isPresent()) {
                mine++;
                if (b.get().draws().stream().noneMatch(Draw::isPadding)
                        && trained.put(b.get().globalIndex(), b.get().draws()) != null) {
                    throw new AssertionError("global batch " + b.get().globalIndex() + " trained twice after resuming "
                            + "at world size " + to + " a state of world size " + from + " (seed " + seed + ")");
                }
            }
            if (count != null && count != mine) {
                throw new AssertionError("after an elastic resume " + from + " -> " + to + " rank " + rank + " got "
                        + mine + " batches, rank 0 got " + count + " (seed " + seed + ")");
            }
            count = mine;
            s.finishEpoch();
            List<Batch> next = new ArrayList<>();
            while ((b = s.nextInEpoch()).isPresent()) {
                next.add(b.get());
            }
            BatchStream fresh = stream(seed, rank, to);
            run(fresh, 1);
            List<Batch> expectedNext = new ArrayList<>();
            while ((b = fresh.nextInEpoch()).isPresent()) {
                expectedNext.add(b.get());
            }
            if (!drawsOf(next).equals(drawsOf(expectedNext))) {
                throw new AssertionError("after an elastic resume " + from + " -> " + to + " the next epoch of rank "
                        + rank + " differs from a run at world size " + to + " (seed " + seed + ")");
            }
        }
        for (int i = 0; i < n; i++) {
            if (!single.get(i).draws().equals(trained.get(i))) {
                throw new AssertionError("global batch " + i + " of " + n + " is " + (trained.containsKey(i)
                        ? "not the one-rank batch" : "missing") + " after an elastic resume " + from + " -> " + to
                        + " at round " + rounds + " (seed " + seed + ")");
            }
        }
        if (trained.size() != n) {
            throw new AssertionError("an elastic resume trained global batches beyond the epoch's " + n);
        }
    }

    private static List<List<Draw>> drawsOf(List<Batch> batches) {
        return batches.stream().map(Batch::draws).toList();
    }

    /** Every batch of the first {@code epochs} epochs, in order. */
    static List<Batch> run(BatchStream stream, int epochs) {
        List<Batch> out = new ArrayList<>();
        for (int e = 0; e < epochs; e++) {
            Optional<Batch> b;
            while ((b = stream.nextInEpoch()).isPresent()) {
                out.add(b.get());
            }
            stream.finishEpoch();
        }
        return out;
    }
}
