package io.speechsampler.hardmining.mining;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.speechsampler.hardmining.mining.BruteForce.Pair;
import io.speechsampler.hardmining.mining.EmbeddingMiner.Kernel;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;

/**
 * The engine kernel against the exact reference ({@link BruteForce#exactCosineDistances}: double
 * normalisation, double dots). The rule, "exact up to float rounding of the dot products"
 * ({@link #violations}): every row has its M partners; no pair has one speaker; each reported
 * distance is within {@link #TOLERANCE} of the exact one and the row is in ascending order; and the
 * row's partner set equals the exact one except for candidates whose exact distance is within
 * {@link #TOLERANCE} of the row's exact cut-off (its M-th smallest exact distance). Float rounding
 * of a 512-d unit dot is below 1e-6 in practice (at most about 3e-5), so a wrong product, tile,
 * offset or skipped column breaks the rule by far more.
 */
class EmbeddingMinerEngineProperties {

    /** Distance gap to the cut-off below which two kernels may rank a candidate differently. */
    static final double TOLERANCE = 1e-5;

    private static final double[] FRACTIONS = {0.001, 0.01, 0.04, 0.2};
    private static final int[] BLOCKS = {7, 64, 300, 2048};

    /**
     * N = 400 (one zero row and one NaN row excluded), D in [2, 512], speakers clustered (so that the
     * nearest rows are mostly the same speaker's), every seventh row a copy of an earlier one
     * (exact ties) and every eleventh a copy nudged by 1e-7 (near ties); blocks from 7 (ragged
     * tiles) to one tile, 1 to 3 threads. The Java kernel must keep the same rule.
     */
    @Property(tries = 12)
    void engineMatchesTheExactReferenceUpToRounding(@ForAll long seed, @ForAll @IntRange(min = 2, max = 512) int d,
                                                    @ForAll @IntRange(min = 2, max = 8) int numSpeakers,
                                                    @ForAll @IntRange(min = 1, max = 3) int threads) {
        Input in = Input.clustered(seed, 400, d, numSpeakers);
        double fraction = FRACTIONS[in.data.rng.nextInt(FRACTIONS.length)];
        int block = BLOCKS[in.data.rng.nextInt(BLOCKS.length)];

        MiningResult engine = EmbeddingMiner.of(fraction, Kernel.ENGINE, block, threads)
                .mine(in.data.ids, in.data.speakers, in.x);
        assertEquals(in.excludedIds(), engine.excluded());
        assertEquals(List.of(), in.violations(engine, fraction), "engine, block " + block + ", threads " + threads);

        MiningResult java = EmbeddingMiner.of(fraction, Kernel.JAVA, block, threads)
                .mine(in.data.ids, in.data.speakers, in.x);
        assertEquals(List.of(), in.violations(java, fraction), "Java kernel");
    }

    /**
     * {@code --partners M}: the same rule with each row's M nearest, M from 1 to more than some rows
     * have (those get all their other-speaker rows), on both kernels.
     */
    @Property(tries = 8)
    void nearestPartnersMatchTheExactReferenceUpToRounding(@ForAll long seed,
                                                          @ForAll @IntRange(min = 2, max = 256) int d,
                                                          @ForAll @IntRange(min = 2, max = 6) int numSpeakers,
                                                          @ForAll @IntRange(min = 1, max = 400) int m) {
        Input in = Input.clustered(seed, 300, d, numSpeakers);
        int block = BLOCKS[in.data.rng.nextInt(BLOCKS.length)];
        for (Kernel kernel : Kernel.values()) {
            MiningResult r = EmbeddingMiner.of(PartnerCount.nearest(m), kernel, block, 2)
                    .mine(in.data.ids, in.data.speakers, in.x);
            assertEquals(List.of(), in.violationsNearest(r, m), kernel + ", M " + m + ", block " + block);
        }
    }

    /** The same input twice gives the same table; so do 1 and 3 selection threads. */
    @Property(tries = 4)
    void deterministicAndIndependentOfThreads(@ForAll long seed) {
        Input in = Input.clustered(seed, 400, 64, 5);
        MiningResult first = EmbeddingMiner.of(0.04, Kernel.ENGINE, 64, 1).mine(in.data.ids, in.data.speakers, in.x);
        MiningResult again = EmbeddingMiner.of(0.04, Kernel.ENGINE, 64, 1).mine(in.data.ids, in.data.speakers, in.x);
        MiningResult threads = EmbeddingMiner.of(0.04, Kernel.ENGINE, 64, 3).mine(in.data.ids, in.data.speakers, in.x);
        assertEquals(first.table(), again.table());
        assertEquals(first.table(), threads.table());
    }

    /** A realistic shape: 1,500 utterances of 75 speakers, 512-d, P_M 4%, 3 x 3 tiles (ragged), 2 threads. */
    @Example
    void xVectorSizedInputOnSeveralTiles() {
        Input in = Input.clustered(7, 1500, 512, 75);
        MiningResult r = EmbeddingMiner.of(0.04, Kernel.ENGINE, 512, 2).mine(in.data.ids, in.data.speakers, in.x);
        assertEquals(List.of(), in.violations(r, 0.04));
        assertTrue(r.table().pairCount() > 1498 * 50, "pairs: " + r.table().pairCount());
    }

    /** The rule is not vacuous: a table from the wrong distances (dots negated) breaks it. */
    @Example
    void theRuleRejectsAWrongTable() {
        Input in = Input.clustered(3, 200, 32, 4);
        float[][] flipped = new float[in.x.length][];
        for (int i = 0; i < flipped.length; i++) {
            flipped[i] = in.x[i].clone();
        }
        // the rows a query sees are unchanged, its candidates are mirrored: far becomes near
        for (int i = 0; i < flipped.length; i += 2) {
            for (int k = 0; k < flipped[i].length; k++) {
                flipped[i][k] = -flipped[i][k];
            }
        }
        MiningResult wrong = EmbeddingMiner.of(0.04, Kernel.ENGINE, 64, 1).mine(in.data.ids, in.data.speakers, flipped);
        assertNotEquals(List.of(), in.violations(wrong, 0.04));
    }

    @Example
    void theEngineIsTheDefaultWhereOneIsPresent() {
        assertTrue(Kernel.engineAvailable());
        assertEquals(Kernel.ENGINE, Kernel.byDefault());
        assertEquals(Kernel.ENGINE, EmbeddingMiner.of(0.04).kernel());
        assertEquals(2048, EmbeddingMiner.of(0.04).block());
    }

    /** Embeddings with their exact reference; rows {@link #zero} and {@link #nan} are excluded. */
    private static final class Input {
        final MiningData data;
        final float[][] x;
        final int zero;
        final int nan;
        final List<String> keptIds = new ArrayList<>();
        final int[] keptSpeaker;
        final double[][] exact;

        private Input(MiningData data, float[][] x, int zero, int nan) {
            this.data = data;
            this.x = x;
            this.zero = zero;
            this.nan = nan;
            int n = x.length;
            float[][] kept = new float[n - 2][];
            keptSpeaker = new int[n - 2];
            for (int i = 0, k = 0; i < n; i++) {
                if (i != zero && i != nan) {
                    kept[k] = x[i];
                    keptSpeaker[k++] = data.speaker[i];
                    keptIds.add(data.ids.get(i));
                }
            }
            exact = BruteForce.exactCosineDistances(kept);
        }

        static Input clustered(long seed, int n, int d, int numSpeakers) {
            MiningData data = new MiningData(seed, n, numSpeakers);
            float[][] centre = new float[numSpeakers][d];
            for (float[] c : centre) {
                for (int k = 0; k < d; k++) {
                    c[k] = (float) data.rng.nextDouble() - 0.5f;
                }
            }
            float[][] x = new float[n][d];
            for (int i = 0; i < n; i++) {
                if (i % 7 == 6) {
                    x[i] = x[data.rng.nextInt(i)].clone();
                } else if (i % 11 == 10) {
                    x[i] = x[data.rng.nextInt(i)].clone();
                    x[i][0] += 1e-7f;
                } else {
                    for (int k = 0; k < d; k++) {
                        x[i][k] = centre[data.speaker[i]][k] + 0.6f * ((float) data.rng.nextDouble() - 0.5f);
                    }
                }
            }
            int zero = data.rng.nextInt(n);
            int nan = (zero + 1 + data.rng.nextInt(n - 1)) % n;
            x[zero] = new float[d];
            x[nan][data.rng.nextInt(d)] = Float.NaN;
            return new Input(data, x, zero, nan);
        }

        List<String> excludedIds() {
            return List.of(data.ids.get(Math.min(zero, nan)), data.ids.get(Math.max(zero, nan)));
        }

        /** What breaks the rule (class documentation), one line per row; empty when it holds. */
        List<String> violations(MiningResult r, double fraction) {
            return violations(r, BruteForce.exact(exact, keptSpeaker, fraction));
        }

        /** {@link #violations(MiningResult, double)} for a table of each row's {@code m} nearest. */
        List<String> violationsNearest(MiningResult r, int m) {
            return violations(r, BruteForce.exactNearest(exact, keptSpeaker, m));
        }

        private List<String> violations(MiningResult r, List<List<Pair>> reference) {
            List<List<Pair>> mined = BruteForce.fromTable(r.table(), keptIds);
            List<String> out = new ArrayList<>();
            for (int i = 0; i < reference.size(); i++) {
                List<Pair> want = reference.get(i);
                List<Pair> got = mined.get(i);
                if (got.size() != want.size()) {
                    out.add(keptIds.get(i) + ": " + got.size() + " partners, expected " + want.size());
                    continue;
                }
                double cutOff = want.get(want.size() - 1).distance();
                Set<Integer> wantSet = new HashSet<>();
                want.forEach(p -> wantSet.add(p.index()));
                Set<Integer> gotSet = new HashSet<>();
                double previous = Double.NEGATIVE_INFINITY;
                for (Pair p : got) {
                    int j = p.index();
                    gotSet.add(j);
                    if (keptSpeaker[j] == keptSpeaker[i]) {
                        out.add(keptIds.get(i) + ": same-speaker partner " + keptIds.get(j));
                    }
                    if (!(Math.abs(p.distance() - exact[i][j]) <= TOLERANCE)) {
                        out.add(keptIds.get(i) + ": distance to " + keptIds.get(j) + " is " + p.distance()
                                + ", exact " + exact[i][j]);
                    }
                    if (p.distance() < previous) {
                        out.add(keptIds.get(i) + ": not in ascending order at " + keptIds.get(j));
                    }
                    previous = p.distance();
                }
                Set<Integer> differ = new HashSet<>(gotSet);
                differ.addAll(wantSet);
                Set<Integer> both = new HashSet<>(gotSet);
                both.retainAll(wantSet);
                differ.removeAll(both);
                for (int j : differ) {
                    if (!(Math.abs(exact[i][j] - cutOff) < TOLERANCE)) {
                        out.add(keptIds.get(i) + ": partner " + keptIds.get(j) + (gotSet.contains(j) ? " mined" : " missed")
                                + " at exact distance " + exact[i][j] + ", cut-off " + cutOff);
                    }
                }
            }
            return out.size() > 20 ? out.subList(0, 20) : out;
        }
    }
}
