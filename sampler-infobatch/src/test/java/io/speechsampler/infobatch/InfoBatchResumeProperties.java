package io.speechsampler.infobatch;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.speechsampler.api.corpus.Corpus;
import io.speechsampler.api.draw.Batch;
import io.speechsampler.api.draw.Draw;
import io.speechsampler.core.pipeline.Pipeline;
import io.speechsampler.testkit.TestCorpora;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.DoubleRange;
import net.jqwik.api.constraints.IntRange;

/**
 * info-batch fed outcomes, as training feeds them (seeded losses for every real draw after each
 * batch; with several ranks each rank observes its own batches and the ranks merge at epoch ends
 * and before a save): a run saved anywhere resumes exactly, at the same or another world size.
 * Three epochs planned, delta 0.875: epochs 1 and 2 prune (epoch 0 has no scores yet). Not
 * statistical: designed false-failure rate 0.
 */
class InfoBatchResumeProperties {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int EPOCHS = 3;

    /** 60 utterances (6 speakers) for items; the same corpus for mixtures (pivots scored). */
    private static final Corpus CORPUS = TestCorpora.synthetic(6, 10, 4);

    static String yaml(boolean mixtures) {
        String sampler = mixtures ? "sampler: {name: dynamic-mixing, segment_seconds: 1.0}\n" : "sampler: shuffle\n";
        return sampler + "batch: {name: fixed, size: 4}\nstages: [{name: info-batch, prune_ratio: 0.6}]\n";
    }

    static Pipeline pipeline(boolean mixtures, long seed, int rank, int world) {
        Pipeline p = Feedback.pipeline(yaml(mixtures), CORPUS, seed, rank, world);
        p.plan(EPOCHS, 0);
        return p;
    }

    /** A batch trained: its draws and the weights the pipeline gave them. */
    record Trained(Batch batch, double[] weights) {
        @Override
        public boolean equals(Object o) {
            return o instanceof Trained t && t.batch.equals(batch) && Arrays.equals(t.weights, weights);
        }

        @Override
        public int hashCode() {
            return batch.hashCode();
        }
    }

    private static String write(JsonNode state) {
        try {
            return JSON.writeValueAsString(state);
        } catch (JsonProcessingException e) {
            throw new AssertionError(e);
        }
    }

    private static JsonNode read(String s) {
        try {
            return JSON.readTree(s);
        } catch (JsonProcessingException e) {
            throw new AssertionError(e);
        }
    }

    /** One rank: trains until {@code stopAfter} batches (or the end), finishing epochs; returns what it trained. */
    private static List<Trained> train(Pipeline p, long seed, int stopAfter) {
        List<Trained> out = new ArrayList<>();
        while (p.epoch() < EPOCHS && out.size() < stopAfter) {
            Optional<Batch> b = p.nextInEpoch();
            if (b.isEmpty()) {
                p.finishEpoch();
                continue;
            }
            out.add(new Trained(b.get(), Feedback.train(p, b.get(), seed)));
        }
        return out;
    }

    @Property(tries = 40)
    void aRunFedOutcomesResumesAtAnyStep(@ForAll long seed, @ForAll @DoubleRange(min = 0, max = 1) double where,
                                        @ForAll boolean mixtures) {
        List<Trained> expected = train(pipeline(mixtures, seed, 0, 1), seed, Integer.MAX_VALUE);
        long later = expected.stream().filter(t -> t.batch().epoch() > 0).mapToInt(t -> t.batch().size()).sum();
        if (later >= 2L * CORPUS.size()) {
            throw new AssertionError("epochs 1 and 2 pruned nothing: the property would not test pruning");
        }
        int k = (int) Math.round(where * expected.size());
        Pipeline first = pipeline(mixtures, seed, 0, 1);
        List<Trained> actual = new ArrayList<>(train(first, seed, k));
        String saved = write(first.saveState());
        Pipeline resumed = pipeline(mixtures, seed, 0, 1);
        resumed.restoreState(read(saved));
        actual.addAll(train(resumed, seed, Integer.MAX_VALUE));
        if (!expected.equals(actual)) {
            throw new AssertionError("resumed after " + k + " of " + expected.size() + " batches (seed " + seed
                    + ", mixtures " + mixtures + "): the batches or their weights differ from the uninterrupted run");
        }
        if (!((InfoBatchStage) resumed.stages().get(0)).saveState()
                .equals(((InfoBatchStage) pipelineAtEnd(mixtures, seed).stages().get(0)).saveState())) {
            throw new AssertionError("the resumed run ends with other scores (seed " + seed + ", after " + k + ")");
        }
    }

    private static Pipeline pipelineAtEnd(boolean mixtures, long seed) {
        Pipeline p = pipeline(mixtures, seed, 0, 1);
        train(p, seed, Integer.MAX_VALUE);
        return p;
    }

    /** Every rank takes its next batch; false when the epoch is over (all ranks end together). */
    private static boolean round(List<Pipeline> ranks, long seed, Map<String, List<Draw>> trained) {
        List<Batch> got = new ArrayList<>();
        for (Pipeline p : ranks) {
            p.nextInEpoch().ifPresent(got::add);
        }
        if (got.isEmpty()) {
            return false;
        }
        if (got.size() != ranks.size()) {
            throw new AssertionError("the ranks ended the epoch at different rounds");
        }
        for (int r = 0; r < ranks.size(); r++) {
            Batch b = got.get(r);
            double[] w = Feedback.train(ranks.get(r), b, seed);
            if (b.draws().stream().noneMatch(Draw::isPadding)) {
                if (trained.put(b.epoch() + "/" + b.globalIndex(), weighted(b.draws(), w)) != null) {
                    throw new AssertionError("global batch " + b.epoch() + "/" + b.globalIndex() + " trained twice");
                }
            }
        }
        return true;
    }

    /** The draws with their weights, as one comparable list. */
    private static List<Draw> weighted(List<Draw> draws, double[] w) {
        List<Draw> out = new ArrayList<>();
        for (int i = 0; i < draws.size(); i++) {
            out.add(draws.get(i).withTag("w=" + w[i]));
        }
        return out;
    }

    /** What a trainer of several ranks does at an epoch end, and before it saves: gather and merge. */
    private static void merge(List<Pipeline> ranks) {
        List<List<Object>> all = ranks.stream().map(Pipeline::summaries).toList();
        ranks.forEach(p -> p.mergeSummaries(all));
    }

    /**
     * Rank 0's state, saved (after a merge) {@code rounds} rounds into epoch 1 at world size
     * {@code from}, restores every rank of world size {@code to}; the real global batches of all
     * three epochs, with their weights, are those of a one-rank run fed the same outcomes.
     */
    @Property(tries = 30)
    void aRunFedOutcomesResumesAtAnotherWorldSize(@ForAll long seed, @ForAll @IntRange(min = 1, max = 4) int from,
                                                 @ForAll @IntRange(min = 1, max = 4) int to,
                                                 @ForAll @DoubleRange(min = 0, max = 1) double where,
                                                 @ForAll boolean mixtures) {
        Map<String, List<Draw>> expected = new HashMap<>();
        List<Pipeline> one = List.of(pipeline(mixtures, seed, 0, 1));
        for (int e = 0; e < EPOCHS; e++) {
            while (round(one, seed, expected)) {
                // train the epoch
            }
            one.get(0).finishEpoch();
        }

        Map<String, List<Draw>> trained = new HashMap<>();
        List<Pipeline> ranks = new ArrayList<>();
        for (int r = 0; r < from; r++) {
            ranks.add(pipeline(mixtures, seed, r, from));
        }
        while (round(ranks, seed, trained)) {
            // epoch 0
        }
        merge(ranks);
        ranks.forEach(Pipeline::finishEpoch);
        int epoch1 = (int) expected.keySet().stream().filter(k -> k.startsWith("1/")).count();
        int rounds = (int) Math.round(where * ((epoch1 + from - 1) / from));
        for (int i = 0; i < rounds; i++) {
            round(ranks, seed, trained);
        }
        merge(ranks);
        String saved = write(ranks.get(0).saveState());

        List<Pipeline> resumed = new ArrayList<>();
        for (int r = 0; r < to; r++) {
            Pipeline p = pipeline(mixtures, seed, r, to);
            p.restoreState(read(saved));
            resumed.add(p);
        }
        while (resumed.get(0).epoch() < EPOCHS) {
            while (round(resumed, seed, trained)) {
                // the rest of the epoch
            }
            merge(resumed);
            resumed.forEach(Pipeline::finishEpoch);
        }
        if (!expected.equals(trained)) {
            List<String> differ = expected.keySet().stream().filter(k -> !expected.get(k).equals(trained.get(k)))
                    .sorted().toList();
            throw new AssertionError("elastic resume " + from + " -> " + to + " after " + rounds + " rounds of epoch 1 "
                    + "(seed " + seed + ", mixtures " + mixtures + "): global batches " + differ + " differ from the "
                    + "one-rank run" + (trained.size() != expected.size() ? "; " + trained.size() + " trained, "
                    + expected.size() + " expected" : ""));
        }
    }
}
