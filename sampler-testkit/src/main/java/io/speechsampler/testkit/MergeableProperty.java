package io.speechsampler.testkit;

import com.fasterxml.jackson.databind.JsonNode;
import io.speechsampler.api.draw.Batch;
import io.speechsampler.api.draw.Draw;
import io.speechsampler.api.random.RandomStreams;
import io.speechsampler.api.spi.Mergeable;
import io.speechsampler.api.spi.Outcome;
import io.speechsampler.api.spi.OutcomeObserver;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.function.Supplier;

/**
 * The merge property of SPI 2 (section 5) for a {@link Mergeable} observer: W observers, each fed
 * the outcomes of its rank's global batches (batch {@code g} of an epoch goes to rank
 * {@code g mod W}, as the pipeline deals them), that exchange summaries and merge at every epoch
 * end (and wherever else the caller asks: a trainer merges before it saves a state), end up each
 * in the state of one observer fed every outcome in global order that merges its own summary at
 * the same points. The states are compared as {@code saveState()} JSON. Not statistical: a
 * failure is a bug.
 */
public final class MergeableProperty {

    private MergeableProperty() {
    }

    /**
     * Asserts the property for the observers {@code factory} makes.
     *
     * @param batches    each global batch's outcomes in training order (all epochs); the outcomes of a
     *                   batch share its epoch and {@link Outcome#globalBatch()}
     * @param world      ranks, at least 1
     * @param mergeAfter indices into {@code batches} after which the ranks also merge mid-epoch
     * @throws AssertionError naming the rank, the world size and the first merge whose states differ
     */
    public static <S, O extends OutcomeObserver & Mergeable<S>> void assertMergedEqualsOneObserver(
            Supplier<O> factory, List<List<Outcome>> batches, int world, Set<Integer> mergeAfter) {
        if (world < 1) {
            throw new IllegalArgumentException("world size is not at least 1: " + world);
        }
        O one = factory.get();
        List<O> ranks = new ArrayList<>();
        for (int r = 0; r < world; r++) {
            ranks.add(factory.get());
        }
        int merges = 0;
        for (int k = 0; k < batches.size(); k++) {
            List<Outcome> batch = batches.get(k);
            if (!batch.isEmpty()) {
                one.observe(batch);
                ranks.get(Math.floorMod(batch.get(0).globalBatch(), world)).observe(batch);
            }
            int epoch = epochOf(batches, k);
            boolean epochEnds = k == batches.size() - 1 || epochOf(batches, k + 1) != epoch;
            if (epochEnds || mergeAfter.contains(k)) {
                one.merge(List.of(one.summary()));
                List<S> all = new ArrayList<>();
                for (O r : ranks) {
                    all.add(r.summary());
                }
                for (O r : ranks) {
                    r.merge(all);
                }
                if (epochEnds) {
                    one.endEpoch(epoch);
                    ranks.forEach(r -> r.endEpoch(epoch));
                }
                merges++;
                JsonNode expected = one.saveState();
                for (int r = 0; r < world; r++) {
                    JsonNode actual = ranks.get(r).saveState();
                    if (!expected.equals(actual)) {
                        throw new AssertionError("after merge " + merges + " (batch " + k + ", epoch " + epoch
                                + ") rank " + r + " of " + world + " holds another state than one observer fed every "
                                + "outcome");
                    }
                }
            }
        }
    }

    private static int epochOf(List<List<Outcome>> batches, int k) {
        for (int j = k; j >= 0; j--) {
            if (!batches.get(j).isEmpty()) {
                return batches.get(j).get(0).epoch();
            }
        }
        return 0;
    }

    /**
     * Seeded outcomes of a batch's draws, as a feedback driver feeds them: each draw's loss is
     * uniform in [0, {@code maxLoss}) and its metric uniform in [-10, 30), drawn from a stream of
     * (seed, draw key, epoch, global batch), so a batch gets the same outcomes however it is
     * reached (a resumed run, another world size).
     */
    public static List<Outcome> outcomes(Batch b, long seed, double maxLoss) {
        List<Outcome> out = new ArrayList<>(b.size());
        for (Draw d : b.draws()) {
            var rng = RandomStreams.of(seed, "outcome/" + d.key() + "/" + b.globalIndex(), b.epoch());
            out.add(new Outcome(d, b.epoch(), b.step(), b.globalIndex(), rng.nextDouble() * maxLoss,
                    -10 + 40 * rng.nextDouble()));
        }
        return out;
    }
}
