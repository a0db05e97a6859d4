package io.speechsampler.hardmining.mining;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** Quadratic reference miners: every pair, sorted by (distance, index). */
final class BruteForce {

    private BruteForce() {
    }

    /** One partner of the reference. */
    record Pair(int index, double distance) {
    }

    static List<List<Pair>> scalar(double[] values, int[] speaker, double fraction) {
        return scalar(values, speaker, share(fraction));
    }

    /** Each utterance's {@code m} nearest (all its other-speaker ones when fewer). */
    static List<List<Pair>> scalarNearest(double[] values, int[] speaker, int m) {
        return scalar(values, speaker, nearest(m));
    }

    private static List<List<Pair>> scalar(double[] values, int[] speaker, Count count) {
        return mine(values.length, speaker, i -> !Double.isNaN(values[i]), (i, j) -> Math.abs(values[i] - values[j]),
                count);
    }

    /** The miner's arithmetic: double-norm normalisation to float, float dot in dimension order. */
    static List<List<Pair>> cosine(float[][] x, int[] speaker, double fraction) {
        return cosine(x, speaker, share(fraction));
    }

    /** {@link #cosine(float[][], int[], double)} keeping each row's {@code m} nearest. */
    static List<List<Pair>> cosineNearest(float[][] x, int[] speaker, int m) {
        return cosine(x, speaker, nearest(m));
    }

    private static List<List<Pair>> cosine(float[][] x, int[] speaker, Count count) {
        float[][] y = new float[x.length][];
        for (int i = 0; i < x.length; i++) {
            double s = 0;
            for (float v : x[i]) {
                s += (double) v * v;
            }
            double norm = Math.sqrt(s);
            y[i] = new float[x[i].length];
            for (int k = 0; k < x[i].length; k++) {
                y[i][k] = (float) (x[i][k] / norm);
            }
        }
        return mine(x.length, speaker, i -> true, (i, j) -> {
            float dot = 0;
            for (int k = 0; k < y[i].length; k++) {
                dot += y[i][k] * y[j][k];
            }
            return 1.0 - (double) dot;
        }, count);
    }

    /**
     * The exact reference: cosine distances {@code 1 - y_i . y_j} with rows normalised and dots
     * accumulated in double ({@code d[i][j]} for every pair, i = j included).
     */
    static double[][] exactCosineDistances(float[][] x) {
        double[][] y = new double[x.length][];
        for (int i = 0; i < x.length; i++) {
            double s = 0;
            for (float v : x[i]) {
                s += (double) v * v;
            }
            double norm = Math.sqrt(s);
            y[i] = new double[x[i].length];
            for (int k = 0; k < x[i].length; k++) {
                y[i][k] = x[i][k] / norm;
            }
        }
        double[][] d = new double[x.length][x.length];
        for (int i = 0; i < x.length; i++) {
            for (int j = 0; j < x.length; j++) {
                double dot = 0;
                for (int k = 0; k < y[i].length; k++) {
                    dot += y[i][k] * y[j][k];
                }
                d[i][j] = 1.0 - dot;
            }
        }
        return d;
    }

    /** The exact reference's partners: {@link #exactCosineDistances} ranked like the miner. */
    static List<List<Pair>> exact(double[][] distances, int[] speaker, double fraction) {
        return mine(distances.length, speaker, i -> true, (i, j) -> distances[i][j], share(fraction));
    }

    /** {@link #exact(double[][], int[], double)} keeping each row's {@code m} nearest. */
    static List<List<Pair>> exactNearest(double[][] distances, int[] speaker, int m) {
        return mine(distances.length, speaker, i -> true, (i, j) -> distances[i][j], nearest(m));
    }

    /** How many of a row's {@code others} sorted candidates are kept. */
    interface Count {
        int of(int others);
    }

    /** The paper's share, written independently of {@link HardCount}. */
    private static Count share(double fraction) {
        return others -> others == 0 ? 0 : (int) Math.max(1, Math.ceil(fraction * others - 1e-9));
    }

    private static Count nearest(int m) {
        return others -> Math.min(m, others);
    }

    interface Distance {
        double of(int i, int j);
    }

    interface Keep {
        boolean test(int i);
    }

    private static List<List<Pair>> mine(int n, int[] speaker, Keep keep, Distance distance, Count count) {
        List<List<Pair>> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            List<Pair> all = new ArrayList<>();
            if (keep.test(i)) {
                for (int j = 0; j < n; j++) {
                    if (keep.test(j) && speaker[j] != speaker[i]) {
                        all.add(new Pair(j, distance.of(i, j)));
                    }
                }
            }
            all.sort(Comparator.comparingDouble(Pair::distance).thenComparingInt(Pair::index));
            out.add(List.copyOf(all.subList(0, Math.min(count.of(all.size()), all.size()))));
        }
        return out;
    }

    /** The miner's table in the reference's form. */
    static List<List<Pair>> fromTable(HardPairTable table, List<String> ids) {
        Map<String, Integer> index = new HashMap<>();
        for (int i = 0; i < ids.size(); i++) {
            index.put(ids.get(i), i);
        }
        List<List<Pair>> out = new ArrayList<>();
        for (String id : ids) {
            List<String> p = table.partnersOf(id);
            double[] d = table.distancesOf(id);
            List<Pair> row = new ArrayList<>();
            for (int k = 0; k < p.size(); k++) {
                row.add(new Pair(index.getOrDefault(p.get(k), -1), d[k]));
            }
            out.add(row);
        }
        return out;
    }
}
