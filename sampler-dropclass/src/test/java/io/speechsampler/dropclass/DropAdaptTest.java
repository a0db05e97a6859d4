package io.speechsampler.dropclass;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.speechsampler.api.corpus.Corpus;
import io.speechsampler.api.corpus.Utterance;
import io.speechsampler.api.draw.Draw;
import io.speechsampler.api.draw.ItemDraw;
import io.speechsampler.api.spi.EpochContext;
import io.speechsampler.api.spi.ModelAccess;
import io.speechsampler.api.spi.SegmentContext;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/**
 * DropAdapt's choice against a direct computation from the same posteriors (a model in the loop
 * that returns fixed rows), its tie rule, its cumulative drops and cap, uniform aggregation, and
 * the random control, which never asks the model.
 */
class DropAdaptTest {

    /** An enrolment corpus of 4 utterances: speaker a has 3, speaker b has 1. */
    private static final Corpus ENROL = Corpus.of(Path.of("enrol"), List.of(utt("a-1", "a"), utt("a-2", "a"), utt("a-3", "a"),
            utt("b-1", "b")));

    private static Utterance utt(String id, String speaker) {
        return new Utterance(id, speaker, Path.of(id + ".wav"), 0, 8000, 8000, List.of());
    }

    /** Posteriors over 6 classes for the 4 enrolment utterances, and a count of calls. */
    private static final class FixedModel implements ModelAccess {
        final float[][] rows;
        int calls;

        FixedModel(float[][] rows) {
            this.rows = rows;
        }

        @Override
        public float[][] apply(Corpus corpus, List<Draw> draws, Output output) {
            calls++;
            assertEquals(Output.POSTERIORS, output);
            assertEquals(List.of("a-1", "a-2", "a-3", "b-1"), draws.stream().map(d -> ((ItemDraw) d).id()).toList());
            return rows;
        }

        @Override
        public float[][] apply(Path checkpoint, Corpus corpus, List<Draw> draws, Output output) {
            throw new AssertionError("no frozen model");
        }
    }

    private static final float[][] ROWS = {
            {0.30f, 0.05f, 0.20f, 0.05f, 0.20f, 0.20f},
            {0.30f, 0.05f, 0.20f, 0.05f, 0.20f, 0.20f},
            {0.30f, 0.05f, 0.20f, 0.05f, 0.20f, 0.20f},
            {0.10f, 0.50f, 0.10f, 0.10f, 0.10f, 0.10f}};

    private static SegmentContext at(long batch, ModelAccess model) {
        return new SegmentContext(new EpochContext(1, 0, 0, 1, "components.da"), batch, (int) batch, model);
    }

    /** The classes of least renormalised mass by hand: sort (mass, index) and take {@code n}. */
    private static BitSet byHand(float[][] rows, BitSet dropped, int n, double[] w) {
        List<Integer> remaining = IntStream.range(0, 6).filter(c -> !dropped.get(c)).boxed().toList();
        double[] mass = new double[6];
        for (int u = 0; u < rows.length; u++) {
            double z = 0;
            for (int c : remaining) {
                z += rows[u][c];
            }
            for (int c : remaining) {
                mass[c] += w[u] * rows[u][c] / z;
            }
        }
        List<Integer> order = new ArrayList<>(remaining);
        order.sort((x, y) -> mass[x] != mass[y] ? Double.compare(mass[x], mass[y]) : Integer.compare(x, y));
        BitSet out = (BitSet) dropped.clone();
        order.subList(0, n).forEach(out::set);
        return out;
    }

    @Test
    void dropsTheClassesOfLeastMassCumulativelyUpToTheCap() {
        FixedModel model = new FixedModel(ROWS);
        DropSource s = DropAdaptSource.adapt(6, 2, 3, 10, ENROL, false);
        DropSource.Drop first = s.decide(at(0, model), new BitSet());
        double[] ones = {1, 1, 1, 1};
        assertEquals(byHand(ROWS, new BitSet(), 2, ones), first.dropped());
        // masses: class 3 = 0.25, class 1 = 0.65, classes 2, 4, 5 = 0.7: 3 then 1
        assertEquals(BitSet.valueOf(new long[] {0b1010}), first.dropped());
        DropSource.Drop second = s.decide(at(10, model), first.dropped());
        assertEquals(byHand(ROWS, first.dropped(), 1, ones), second.dropped(), "one more, to the cap of 3");
        // the remaining tie among classes 2, 4 and 5 goes to the lowest index
        assertTrue(second.dropped().get(2), second.dropped().toString());
        assertEquals(second.dropped(), s.decide(at(20, model), second.dropped()).dropped(), "the cap holds");
        assertEquals(2, model.calls, "no model call once nothing is left to drop");
        DropSource.Drop inside = s.decide(at(15, model), second.dropped());
        assertEquals(10, inside.periodStart(), "an epoch start inside a period keeps the period's drop");
        assertEquals(2, model.calls);
    }

    @Test
    void uniformAggregationWeighsEverySpeakerTheSame() {
        double[] perSpeaker = {1 / 3.0, 1 / 3.0, 1 / 3.0, 1};
        DropSource s = DropAdaptSource.adapt(6, 2, 4, 10, ENROL, true);
        BitSet got = s.decide(at(0, new FixedModel(ROWS)), new BitSet()).dropped();
        assertEquals(byHand(ROWS, new BitSet(), 2, perSpeaker), got);
        // speaker b's one utterance now counts as much as a's three: class 3 (0.15 + 0.1) and then 2
        // (0.2 + 0.1 = 0.3, against class 1's 0.05 + 0.5)
        assertEquals(BitSet.valueOf(new long[] {0b1100}), got);
    }

    @Test
    void theRandomControlDropsFromTheRemainingClassesWithoutTheModel() {
        DropSource s = DropAdaptSource.random(6, 2, 4, 10);
        BitSet before = BitSet.valueOf(new long[] {0b1});
        BitSet after = s.decide(at(10, ModelAccess.NONE), before).dropped();
        assertEquals(3, after.cardinality());
        assertTrue(after.get(0), "cumulative");
        assertEquals(after, s.decide(at(10, ModelAccess.NONE), before).dropped(), "a function of the segment's stream");
    }

    @Test
    void withoutAModelInTheLoopDropAdaptIsRefusedWithAMessage() {
        DropSource s = DropAdaptSource.adapt(6, 2, 4, 10, ENROL, false);
        var e = assertThrows(io.speechsampler.api.config.ConfigException.class,
                () -> s.decide(at(0, ModelAccess.NONE), new BitSet()));
        assertTrue(e.getMessage().contains("model in the loop"), e.getMessage());
    }
}
