package io.speechsampler.hardmining.resample;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.speechsampler.api.corpus.Corpus;
import io.speechsampler.api.corpus.Utterance;
import io.speechsampler.api.draw.Draw;
import io.speechsampler.api.draw.ItemDraw;
import io.speechsampler.api.draw.MixtureDraw;
import io.speechsampler.api.draw.Source;
import io.speechsampler.api.random.RandomStreams;
import io.speechsampler.api.spi.EpochContext;
import io.speechsampler.hardmining.mining.HardPairTable;
import io.speechsampler.hardmining.mining.ScalarParameterMiner;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.ShrinkingMode;
import org.apache.commons.rng.UniformRandomProvider;
import io.speechsampler.testkit.GoodnessOfFit;
import org.apache.commons.statistics.inference.BinomialTest;
import org.apache.commons.statistics.inference.SignificanceResult;

/**
 * Properties of {@link HardResampleStage} on a random corpus of 60 utterances of 6 speakers,
 * mined by pitch with P_M = 0.1. The statistical property runs 10 tries of a confirmed exact
 * binomial test (two independent samples must both reject at alpha 0.001): the designed
 * false-failure rate of this class is at most {@code 10 x 1e-6} (the binomial test is
 * conservative, so it is lower).
 */
class HardResampleProperties {

    private static final int DRAWS = 2000;

    /** A corpus, a mined table (some utterances unvoiced, so without partners) and draws. */
    static final class World {
        final Corpus corpus;
        final HardPairTable table;
        final List<Draw> draws = new ArrayList<>();

        World(long seed, int count) {
            UniformRandomProvider rng = RandomStreams.of(seed, "resample-test", 0);
            List<Utterance> utts = new ArrayList<>();
            List<String> ids = new ArrayList<>();
            List<String> speakers = new ArrayList<>();
            double[] f0 = new double[60];
            for (int i = 0; i < 60; i++) {
                String id = "u" + i;
                String spk = "s" + (i % 6);
                utts.add(new Utterance(id, spk, Path.of("/a/" + id + ".wav"), 0, 8000 + rng.nextInt(40000), 8000,
                        List.of()));
                ids.add(id);
                speakers.add(spk);
                f0[i] = i % 13 == 0 ? Double.NaN : 80 + 200 * rng.nextDouble();
            }
            corpus = Corpus.of(Path.of("test-corpus"), utts);
            table = ScalarParameterMiner.pitch(0.1).mine(ids, speakers, f0).table();
            for (int k = 0; k < count; k++) {
                int kind = rng.nextInt(10);
                if (kind == 0) {
                    draws.add(new ItemDraw(ids.get(rng.nextInt(60)), List.of()));
                    continue;
                }
                int n = kind == 1 ? 1 : kind == 2 ? 3 : 2;
                List<Source> src = new ArrayList<>();
                List<String> used = new ArrayList<>();
                while (src.size() < n) {
                    int u = rng.nextInt(60);
                    if (used.contains(speakers.get(u))) {
                        continue;
                    }
                    used.add(speakers.get(u));
                    long delay = src.isEmpty() ? 0 : rng.nextInt(4000);
                    src.add(new Source(ids.get(u), -5 + 10 * rng.nextDouble(), rng.nextInt(100), delay));
                }
                long length = rng.nextBoolean() ? 0 : 16000;
                draws.add(MixtureDraw.of(src, length));
            }
        }

        List<Draw> apply(HardResampleStage stage, long seed) {
            List<Draw> out = new ArrayList<>();
            stage.apply(draws.iterator(), new EpochContext(seed, 0, 0, 1, "stages[0]")).forEachRemaining(out::add);
            return out;
        }
    }

    @Property(tries = 10, shrinking = ShrinkingMode.OFF)
    void replacedFractionMatchesPs(@ForAll long seed) {
        double ps = new double[] {0.1, 0.3, 0.5, 0.9}[(int) Math.floorMod(seed, 4L)];
        GoodnessOfFit.assertConfirmed("replaced fraction at p_s " + ps,
                k -> replacedFractionTest(GoodnessOfFit.sampleSeed(seed, k), ps));
    }

    private static SignificanceResult replacedFractionTest(long seed, double ps) {
        World w = new World(seed, DRAWS);
        HardResampleStage stage = HardResampleStage.of(w.table, w.corpus, ps);
        List<Draw> out = w.apply(stage, seed);
        // chosen = replaced + chosen without partners: exactly the draws that drew u < p_s
        HardResampleStage.Tally t = stage.tally();
        int chosen = (int) (t.replaced() + t.withoutPartners());
        long tagged = out.stream().filter(d -> d.tags().contains(HardResampleStage.TAG)).count();
        assertEquals(t.replaced(), tagged);
        return BinomialTest.withDefaults().test((int) t.mixtures(), chosen, ps);
    }

    @Property(tries = 30)
    void replacedPartnerIsAHardPartnerOfThePivotAndAllElseIsKept(@ForAll long seed) {
        World w = new World(seed, 300);
        HardResampleStage stage = HardResampleStage.of(w.table, w.corpus, 0.5);
        List<Draw> out = w.apply(stage, seed);
        assertEquals(w.draws.size(), out.size());
        for (int k = 0; k < out.size(); k++) {
            Draw in = w.draws.get(k);
            Draw got = out.get(k);
            if (!got.tags().contains(HardResampleStage.TAG)) {
                assertEquals(in, got);
                continue;
            }
            MixtureDraw a = (MixtureDraw) in;
            MixtureDraw b = (MixtureDraw) got;
            assertEquals(a.sources().size(), b.sources().size());
            assertEquals(a.sources().subList(2, a.sources().size()), b.sources().subList(2, b.sources().size()));
            assertEquals(a.length(), b.length());
            assertTrue(consistent(w, a, b, 0) || consistent(w, a, b, 1), "not a hard re-sampling: " + a + " -> " + b);
            List<String> spk = b.sources().stream().map(s -> w.corpus.require(s.id()).speaker()).toList();
            assertEquals(spk.size(), spk.stream().distinct().count(), "one speaker twice in " + b);
        }
    }

    /** Whether {@code b} is {@code a} with pivot {@code pivot} kept and its partner re-sampled. */
    private static boolean consistent(World w, MixtureDraw a, MixtureDraw b, int pivot) {
        int changed = 1 - pivot;
        if (!a.sources().get(pivot).equals(b.sources().get(pivot))) {
            return false;
        }
        Source old = a.sources().get(changed);
        Source now = b.sources().get(changed);
        String pivotId = a.sources().get(pivot).id();
        long n = w.corpus.require(now.id()).numSamples();
        long window = a.length() - now.delay();
        boolean offsetOk = a.length() == 0 || n <= window ? now.offset() == 0 : now.offset() <= n - window;
        return w.table.partnersOf(pivotId).contains(now.id()) && old.gainDb() == now.gainDb()
                && old.delay() == now.delay() && offsetOk
                && !w.corpus.require(pivotId).speaker().equals(w.corpus.require(now.id()).speaker());
    }

    @Property(tries = 20)
    void deterministicGivenInputAndContext(@ForAll long seed) {
        World w = new World(seed, 200);
        List<Draw> first = w.apply(HardResampleStage.of(w.table, w.corpus, 0.3), seed);
        HardResampleStage again = HardResampleStage.of(w.table, w.corpus, 0.3);
        assertEquals(first, w.apply(again, seed));
        assertEquals(first, w.apply(again, seed));
    }

    @Property(tries = 10)
    void psZeroKeepsEverythingAndPsOneChoosesEveryMixture(@ForAll long seed) {
        World w = new World(seed, 200);
        assertEquals(w.draws, w.apply(HardResampleStage.of(w.table, w.corpus, 0), seed));
        HardResampleStage all = HardResampleStage.of(w.table, w.corpus, 1);
        w.apply(all, seed);
        HardResampleStage.Tally t = all.tally();
        assertEquals(t.mixtures(), t.replaced() + t.withoutPartners());
    }
}
