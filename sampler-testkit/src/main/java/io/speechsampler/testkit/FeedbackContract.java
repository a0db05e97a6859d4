package io.speechsampler.testkit;

import com.fasterxml.jackson.databind.JsonNode;
import io.speechsampler.api.draw.Batch;
import io.speechsampler.api.draw.BatchStream;
import io.speechsampler.api.draw.Draw;
import io.speechsampler.api.random.RandomStreams;
import io.speechsampler.api.spi.Outcome;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.DoubleRange;
import net.jqwik.api.constraints.IntRange;
import org.apache.commons.rng.UniformRandomProvider;

/**
 * The sampler contract with feedback (docs/spi2.md, section 8): a driver trains W ranks in
 * lockstep, and after every round (one optimizer step of every rank) every rank
 * {@link BatchStream#observe observes} a seeded random outcome for every draw of the round's batches
 * (all ranks', as an all-gather would deliver them; the stream drops padding). The loss and metric
 * of draw {@code i} of global batch {@code g} of epoch {@code e} are a function of (seed, e, g, i),
 * so the outcomes do not depend on the world size. Components whose draws depend on outcomes
 * (segmented ones, docs/spi2.md section 3) are proved to:
 *
 * <ul>
 *   <li><b>be deterministic, and share one global sequence</b>: the same seed gives the same batches
 *       on every rank; the ranks' batches, put together by global index, are the batches of one rank
 *       whose outcomes arrive a round (W batches) at a time;</li>
 *   <li><b>resume exactly</b>: every rank's state, saved after any round of the first
 *       {@link #contractEpochs()} epochs (inside segments too; at an epoch end before or after
 *       finishing it), written to JSON and restored into fresh streams, continues as the
 *       uninterrupted run;</li>
 *   <li><b>resume elastically</b>: rank 0's state saved after R rounds of the first epoch at world
 *       size W restores every rank of world size W'; the global batches trained before and after,
 *       and the next epoch, are those of one rank whose outcomes arrive W at a time before the save
 *       and W' at a time after it.</li>
 * </ul>
 *
 * No assertion is statistical: a failure is a bug. The stream must shard with
 * {@code drop_last: false}.
 */
public interface FeedbackContract extends SamplerContract {

    /** Largest world size the feedback properties try. */
    int MAX_FEEDBACK_WORLD_SIZE = 3;

    /** The outcomes the driver reports for a batch: seeded by (seed, epoch, global index), one per draw. */
    static List<Outcome> outcomes(long seed, Batch b) {
        UniformRandomProvider rng = RandomStreams.of(seed, "contract-feedback/" + b.epoch(), b.globalIndex());
        List<Outcome> out = new ArrayList<>(b.size());
        for (Draw d : b.draws()) {
            out.add(new Outcome(d, b.epoch(), b.step(), b.globalIndex(), 10 * rng.nextDouble(), rng.nextDouble()));
        }
        return out;
    }

    @Property(tries = 10)
    default void feedbackRunsAreDeterministicAndRanksShareOneGlobalSequence(
            @ForAll long seed, @ForAll @IntRange(min = 1, max = MAX_FEEDBACK_WORLD_SIZE) int world) {
        int epochs = contractEpochs();
        Lockstep a = new Lockstep(this, seed, world, epochs);
        a.runAll();
        Lockstep b = new Lockstep(this, seed, world, epochs);
        b.runAll();
        if (!a.taken.equals(b.taken)) {
            throw new AssertionError("seed " + seed + " with feedback at world size " + world
                    + " gave different batches in two runs");
        }
        BatchStream one = stream(seed, 0, 1);
        for (int e = 0; e < epochs; e++) {
            List<Batch> reference = referenceEpoch(one, seed, world, Integer.MAX_VALUE, world);
            checkDealt(a.taken, e, reference, world, "world size " + world + " with feedback (seed " + seed + ")");
        }
    }

    @Property(tries = 25)
    default void resumeWithFeedbackAtAnyRoundContinuesIdentically(
            @ForAll long seed, @ForAll @DoubleRange(min = 0, max = 1) double where,
            @ForAll boolean finishEpochBeforeSave,
            @ForAll @IntRange(min = 1, max = MAX_FEEDBACK_WORLD_SIZE) int world) {
        int epochs = contractEpochs();
        Lockstep whole = new Lockstep(this, seed, world, epochs);
        int rounds = whole.runAll();
        int k = (int) Math.round(where * rounds);

        List<Batch> all = whole.taken.get(0);
        boolean atEpochEnd = k > 0 && (k == rounds || all.get(k).epoch() != all.get(k - 1).epoch());
        Lockstep first = new Lockstep(this, seed, world, epochs);
        for (int i = 0; i < k; i++) {
            first.round();
        }
        if (finishEpochBeforeSave && atEpochEnd) {
            first.finishEpoch();
        }
        List<String> saved = new ArrayList<>();
        for (BatchStream s : first.ranks) {
            saved.add(StateJson.write(s.saveState()));
        }
        Lockstep resumed = new Lockstep(this, seed, world, epochs);
        resumed.finished = first.finished;
        for (int r = 0; r < world; r++) {
            resumed.ranks.get(r).restoreState(StateJson.read(saved.get(r)));
            resumed.taken.get(r).addAll(first.taken.get(r));
        }
        resumed.runAll();
        if (!whole.taken.equals(resumed.taken)) {
            throw new AssertionError("with feedback at world size " + world + ", resumed after round " + k + " of "
                    + rounds + " (seed " + seed + ", finished epoch first: " + (finishEpochBeforeSave && atEpochEnd)
                    + "): the batches differ from the uninterrupted run");
        }
    }

    @Property(tries = 25)
    default void resumesWithFeedbackAtAnotherWorldSize(
            @ForAll long seed, @ForAll @IntRange(min = 1, max = MAX_FEEDBACK_WORLD_SIZE) int from,
            @ForAll @IntRange(min = 1, max = MAX_FEEDBACK_WORLD_SIZE) int to,
            @ForAll @DoubleRange(min = 0, max = 1) double where) {
        int n0 = referenceEpoch(stream(seed, 0, 1), seed, from, Integer.MAX_VALUE, from).size();
        int rounds = (int) Math.round(where * ((n0 + from - 1) / from));
        Lockstep before = new Lockstep(this, seed, from, 1);
        for (int i = 0; i < rounds; i++) {
            before.round();
        }
        String saved = StateJson.write(before.ranks.get(0).saveState());
        Lockstep after = new Lockstep(this, seed, to, 2);
        for (BatchStream s : after.ranks) {
            s.restoreState(StateJson.read(saved));
        }
        after.runAll();

        BatchStream one = stream(seed, 0, 1);
        List<Batch> reference = referenceEpoch(one, seed, from, rounds * from, to);
        String what = "an elastic resume " + from + " -> " + to + " with feedback after round " + rounds + " (seed "
                + seed + ")";
        Map<Integer, List<Draw>> trained = new HashMap<>();
        List<List<Batch>> ranksThen = new ArrayList<>();
        ranksThen.addAll(before.taken);
        ranksThen.addAll(after.taken);
        for (List<Batch> rank : ranksThen) {
            for (Batch b : rank) {
                if (b.epoch() == 0 && b.draws().stream().noneMatch(Draw::isPadding)
                        && trained.put(b.globalIndex(), b.draws()) != null) {
                    throw new AssertionError(what + ": global batch " + b.globalIndex() + " was trained twice");
                }
            }
        }
        for (int i = 0; i < reference.size(); i++) {
            if (!reference.get(i).draws().equals(trained.get(i))) {
                throw new AssertionError(what + ": global batch " + i + " of " + reference.size() + " is "
                        + (trained.containsKey(i) ? "not the one-rank batch" : "missing"));
            }
        }
        if (trained.size() != reference.size()) {
            throw new AssertionError(what + ": " + trained.size() + " global batches trained, the epoch has "
                    + reference.size());
        }
        long counts = after.taken.stream().map(r -> r.stream().filter(b -> b.epoch() == 0).count()).distinct().count();
        if (counts > 1) {
            throw new AssertionError(what + ": the new ranks got different numbers of batches");
        }
        checkDealt(after.taken, 1, referenceEpoch(one, seed, to, Integer.MAX_VALUE, to), to, what + ", next epoch");
    }

    /**
     * One epoch of a one-rank stream whose outcomes arrive a round at a time: rounds of
     * {@code world} batches from the epoch's start, and of {@code then} batches from global batch
     * {@code switchAt} on (a multiple of {@code world}); finishes the epoch.
     */
    private static List<Batch> referenceEpoch(BatchStream one, long seed, int world, int switchAt, int then) {
        List<Batch> out = new ArrayList<>();
        boolean ended = false;
        while (!ended) {
            int size = out.size() < switchAt ? world : then;
            List<Batch> round = new ArrayList<>();
            for (int i = 0; i < size && !ended; i++) {
                Optional<Batch> b = one.nextInEpoch();
                if (b.isPresent()) {
                    round.add(b.get());
                } else {
                    ended = true;
                }
            }
            for (Batch b : round) {
                one.observe(outcomes(seed, b));
            }
            out.addAll(round);
        }
        one.finishEpoch();
        return out;
    }

    /**
     * Epoch {@code epoch} of {@code ranks} (each rank's batches) is {@code reference} dealt over
     * {@code world} ranks: rank r's k-th batch is global batch r + kW, or for padding (index at
     * least n) the batch (index - n) mod n tagged padding; every rank gets ceil(n / W).
     */
    private static void checkDealt(List<List<Batch>> ranks, int epoch, List<Batch> reference, int world, String what) {
        int n = reference.size();
        for (int r = 0; r < ranks.size(); r++) {
            List<Batch> mine = ranks.get(r).stream().filter(b -> b.epoch() == epoch).toList();
            if (mine.size() != (n + world - 1) / world) {
                throw new AssertionError(what + ": rank " + r + " got " + mine.size() + " batches in epoch " + epoch
                        + ", expected ceil(" + n + " / " + world + ")");
            }
            for (int k = 0; k < mine.size(); k++) {
                Batch b = mine.get(k);
                int index = r + k * world;
                if (b.globalIndex() != index) {
                    throw new AssertionError(what + ": batch " + k + " of rank " + r + " in epoch " + epoch
                            + " has global index " + b.globalIndex() + ", expected " + index);
                }
                List<Draw> named = index < n ? reference.get(index).draws()
                        : reference.get((index - n) % n).draws().stream().map(d -> d.withTag(PADDING_TAG)).toList();
                if (!named.equals(b.draws())) {
                    throw new AssertionError(what + ": global batch " + index + " of epoch " + epoch + " on rank " + r
                            + " is not the batch of one rank whose outcomes arrive " + world + " batches at a time");
                }
            }
        }
    }

    /** W ranks trained in lockstep, each round's outcomes observed by every rank. */
    final class Lockstep {
        final List<BatchStream> ranks = new ArrayList<>();
        final List<List<Batch>> taken = new ArrayList<>();
        private final long seed;
        private final int epochs;
        int finished;

        Lockstep(SamplerContract contract, long seed, int world, int epochs) {
            this.seed = seed;
            this.epochs = epochs;
            for (int r = 0; r < world; r++) {
                ranks.add(contract.stream(seed, r, world));
                taken.add(new ArrayList<>());
            }
        }

        /** One round: every rank's next batch, then every rank observes all of them; finishes an ended epoch first. */
        void round() {
            while (finished < epochs) {
                List<Batch> round = new ArrayList<>();
                for (BatchStream s : ranks) {
                    s.nextInEpoch().ifPresent(round::add);
                }
                if (round.isEmpty()) {
                    finishEpoch();
                    continue;
                }
                if (round.size() != ranks.size()) {
                    throw new AssertionError(round.size() + " of " + ranks.size() + " ranks got a batch in a round "
                            + "of epoch " + finished + " (seed " + seed + "); expected all or none");
                }
                for (int r = 0; r < ranks.size(); r++) {
                    taken.get(r).add(round.get(r));
                }
                for (BatchStream s : ranks) {
                    for (Batch b : round) {
                        s.observe(outcomes(seed, b));
                    }
                }
                return;
            }
        }

        void finishEpoch() {
            for (BatchStream s : ranks) {
                s.finishEpoch();
            }
            finished++;
        }

        /** Runs every remaining round of the epochs; returns the rounds taken in all. */
        int runAll() {
            while (finished < epochs) {
                round();
            }
            return taken.get(0).size();
        }
    }
}
