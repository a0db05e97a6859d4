package io.speechsampler.dropclass;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.speechsampler.api.corpus.Corpus;
import io.speechsampler.api.draw.Batch;
import io.speechsampler.core.pipeline.Pipeline;
import io.speechsampler.dropclass.DropClassPipelines.Masked;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.DoubleRange;
import net.jqwik.api.constraints.IntRange;

/**
 * The data and the output layer agree: no dropped class is ever drawn or live in the mask, on
 * every rank, at every world size, and after a resume inside a period at the same or another
 * world size; epoch starts inside a period keep the period's set; {@code drops.jsonl} has one line
 * per period, the same however the run was dealt or resumed. Over 8 speakers of 4 utterances,
 * batches of 2, and random drop counts, periods and modes. Exact: designed false-failure rate 0.
 */
class DropClassMaskProperties {

    private static final Corpus CORPUS = DropClassContractTest.CORPUS;
    private static final int K = CORPUS.numSpeakers();
    private static final int EPOCHS = 2;

    private static String yaml(int numDrop, int stepsPerDrop, boolean perBatch) {
        return DropClassPipelines.yaml(numDrop, perBatch ? "mode: per_batch" : "steps_per_drop: " + stepsPerDrop, 2,
                "");
    }

    /** The one-rank run's mask and drop line by (epoch, global index), checked against its logged decisions. */
    private static Map<List<Integer>, Masked> reference(String yaml, long seed, int numDrop, int stepsPerDrop,
                                                        boolean perBatch, Map<List<Integer>, String> lines) {
        Pipeline p = DropClassPipelines.build(yaml, CORPUS, seed, 0, 1);
        DroppedClasses dc = DropClassPipelines.dropped(p);
        Map<List<Integer>, Masked> out = new HashMap<>();
        BitSet previous = null;
        long runBatch = 0;
        for (int e = 0; e < EPOCHS; e++) {
            Optional<Batch> b;
            while ((b = p.nextInEpoch()).isPresent()) {
                BitSet live = p.mask().orElseThrow().liveClasses(b.get(), K);
                BitSet logged = loggedDrop(p.saveState(), runBatch);
                if (live.intersects(logged) || live.cardinality() + logged.cardinality() != K
                        || logged.cardinality() != numDrop) {
                    throw new AssertionError("at run batch " + runBatch + " the mask's live classes " + live
                            + " are not the complement of the " + numDrop + " logged dropped classes " + logged);
                }
                boolean newPeriod = perBatch || runBatch % stepsPerDrop == 0;
                if (!newPeriod && !live.equals(previous)) {
                    throw new AssertionError("run batch " + runBatch + " is inside a period but its live classes "
                            + live + " differ from the batch before's " + previous + " (seed " + seed + ")");
                }
                String line = dc.recordLine(b.get());
                if ((line != null) != newPeriod) {
                    throw new AssertionError("run batch " + runBatch + (newPeriod ? " starts" : " does not start")
                            + " a period but its drops line is " + line);
                }
                if (line != null) {
                    lines.put(List.of(e, b.get().globalIndex()), withoutStep(line));
                }
                out.put(List.of(e, b.get().globalIndex()), new Masked(b.get(), live, line));
                previous = live;
                runBatch++;
            }
            p.finishEpoch();
        }
        return out;
    }

    /** The dropped classes of the decision the state's segment log holds for run batch {@code runBatch}. */
    private static BitSet loggedDrop(JsonNode state, long runBatch) {
        JsonNode found = null;
        for (JsonNode e : state.get("segments")) {
            if (e.get("component").asText().equals("components.dc") && e.get("start").asLong() <= runBatch) {
                found = e.get("decision");
            }
        }
        if (found == null) {
            throw new AssertionError("no logged drop covers run batch " + runBatch + ": " + state.get("segments"));
        }
        BitSet s = new BitSet();
        found.get("dropped").forEach(id -> s.set(id.asInt()));
        return s;
    }

    private static String withoutStep(String line) {
        ObjectNode o = (ObjectNode) DropClassPipelines.read(line);
        o.remove("step");
        return o.toString();
    }

    /** Each batch of a rank: its mask is the one-rank run's at that global batch and holds every class it draws. */
    private static void check(List<Masked> batches, Map<List<Integer>, Masked> ref, int numDrop, String what) {
        for (Masked m : batches) {
            Batch b = m.batch();
            if (b.draws().stream().anyMatch(d -> d.isPadding())) {
                continue;
            }
            Masked expected = ref.get(List.of(b.epoch(), b.globalIndex()));
            if (expected == null || !expected.batch().draws().equals(b.draws())) {
                throw new AssertionError(what + ": batch " + b.globalIndex() + " of epoch " + b.epoch()
                        + " is not the one-rank batch");
            }
            BitSet drawn = DropClassPipelines.classesOf(CORPUS, b);
            BitSet outside = (BitSet) drawn.clone();
            outside.andNot(m.live());
            if (!outside.isEmpty()) {
                throw new AssertionError(what + ": batch " + b.globalIndex() + " of epoch " + b.epoch()
                        + " draws dropped classes " + outside);
            }
            if (!m.live().equals(expected.live()) || m.live().cardinality() != K - numDrop) {
                throw new AssertionError(what + ": the mask of batch " + b.globalIndex() + " of epoch " + b.epoch()
                        + " is " + m.live() + ", the one-rank run's " + expected.live());
            }
        }
    }

    @Property(tries = 40)
    void noDroppedClassIsEverDrawnOrLiveInTheMaskOnAnyRank(@ForAll long seed,
                                                           @ForAll @IntRange(min = 1, max = 6) int numDrop,
                                                           @ForAll @IntRange(min = 1, max = 5) int stepsPerDrop,
                                                           @ForAll boolean perBatch,
                                                           @ForAll @IntRange(min = 1, max = 3) int world) {
        String yaml = yaml(numDrop, stepsPerDrop, perBatch);
        Map<List<Integer>, String> refLines = new HashMap<>();
        Map<List<Integer>, Masked> ref = reference(yaml, seed, numDrop, stepsPerDrop, perBatch, refLines);
        Map<List<Integer>, String> lines = new HashMap<>();
        for (int r = 0; r < world; r++) {
            Pipeline p = DropClassPipelines.build(yaml, CORPUS, seed, r, world);
            List<Masked> mine = DropClassPipelines.run(p, EPOCHS);
            check(mine, ref, numDrop, "rank " + r + " of " + world + " (seed " + seed + ")");
            collectLines(mine, lines);
        }
        if (!lines.equals(refLines)) {
            throw new AssertionError("the drops lines of " + world + " ranks are not the one-rank run's: " + lines
                    + " against " + refLines);
        }
    }

    /**
     * Rank 0's state, saved after {@code rounds} rounds at world size {@code from} (inside a
     * period), restores every rank of world size {@code to}: each later batch's mask is the one-rank
     * run's, and the drops lines before and after the save are the one-rank run's, each once.
     */
    @Property(tries = 40)
    void theMaskResumesExactlyAndElasticallyInsideAPeriod(@ForAll long seed,
                                                          @ForAll @IntRange(min = 1, max = 6) int numDrop,
                                                          @ForAll @IntRange(min = 2, max = 5) int stepsPerDrop,
                                                          @ForAll boolean perBatch,
                                                          @ForAll @IntRange(min = 1, max = 3) int from,
                                                          @ForAll @IntRange(min = 1, max = 3) int to,
                                                          @ForAll @DoubleRange(min = 0, max = 1) double where) {
        String yaml = yaml(numDrop, stepsPerDrop, perBatch);
        Map<List<Integer>, String> refLines = new HashMap<>();
        Map<List<Integer>, Masked> ref = reference(yaml, seed, numDrop, stepsPerDrop, perBatch, refLines);
        int perEpoch = (int) ref.keySet().stream().filter(k -> k.get(0) == 0).count();
        int rounds = (int) Math.round(where * ((perEpoch + from - 1) / from));
        Map<List<Integer>, String> lines = new HashMap<>();
        String saved = null;
        for (int r = 0; r < from; r++) {
            Pipeline p = DropClassPipelines.build(yaml, CORPUS, seed, r, from);
            List<Masked> before = new ArrayList<>();
            for (int k = 0; k < rounds; k++) {
                before.add(java.util.Objects.requireNonNull(DropClassPipelines.next(p), "a rank ran out of batches"));
            }
            check(before, ref, numDrop, "rank " + r + " of " + from + " before the save (seed " + seed + ")");
            collectLines(before, lines);
            if (r == 0) {
                saved = DropClassPipelines.write(p.saveState());
            }
        }
        for (int r = 0; r < to; r++) {
            Pipeline p = DropClassPipelines.build(yaml, CORPUS, seed, r, to);
            p.restoreState(DropClassPipelines.read(saved));
            List<Masked> after = DropClassPipelines.run(p, EPOCHS);
            check(after, ref, numDrop, "rank " + r + " of " + to + " resumed from world size " + from + " after round "
                    + rounds + " (seed " + seed + ")");
            collectLines(after, lines);
        }
        if (!lines.equals(refLines)) {
            throw new AssertionError("the drops lines of a run resumed " + from + " -> " + to + " after round " + rounds
                    + " are not the one-rank run's: " + lines + " against " + refLines + " (seed " + seed + ")");
        }
    }

    private static void collectLines(List<Masked> batches, Map<List<Integer>, String> lines) {
        for (Masked m : batches) {
            if (m.line() != null
                    && lines.put(List.of(m.batch().epoch(), m.batch().globalIndex()), withoutStep(m.line())) != null) {
                throw new AssertionError("batch " + m.batch().globalIndex() + " of epoch " + m.batch().epoch()
                        + " wrote its drops line twice");
            }
        }
    }
}
