package io.speechsampler.lossgate;

import java.util.HashMap;
import java.util.Map;

/**
 * How well clusters match known classes: purity (each cluster counted as its most frequent class)
 * and normalised mutual information, NMI = 2 I(U; V) / (H(U) + H(V)) (the arithmetic
 * normalisation, scikit-learn's default), both in [0, 1].
 */
public final class ClusterQuality {

    private ClusterQuality() {
    }

    public static double purity(int[] clusters, int[] classes) {
        Map<Long, Integer> joint = joint(clusters, classes);
        Map<Integer, Integer> best = new HashMap<>();
        joint.forEach((key, n) -> best.merge((int) (key >> 32), n, Math::max));
        long sum = 0;
        for (int v : best.values()) {
            sum += v;
        }
        return (double) sum / clusters.length;
    }

    public static double nmi(int[] clusters, int[] classes) {
        int n = clusters.length;
        Map<Integer, Integer> u = counts(clusters);
        Map<Integer, Integer> v = counts(classes);
        double hu = entropy(u, n);
        double hv = entropy(v, n);
        double mi = 0;
        for (Map.Entry<Long, Integer> e : joint(clusters, classes).entrySet()) {
            double pij = (double) e.getValue() / n;
            double pi = (double) u.get((int) (e.getKey() >> 32)) / n;
            double pj = (double) v.get((int) (long) e.getKey()) / n;
            mi += pij * Math.log(pij / (pi * pj));
        }
        return hu + hv == 0 ? 1.0 : 2 * mi / (hu + hv);
    }

    private static Map<Long, Integer> joint(int[] a, int[] b) {
        if (a.length != b.length || a.length == 0) {
            throw new IllegalArgumentException("need as many clusters as classes, at least one: " + a.length + ", "
                    + b.length);
        }
        Map<Long, Integer> m = new HashMap<>();
        for (int i = 0; i < a.length; i++) {
            m.merge(((long) a[i] << 32) | (b[i] & 0xffffffffL), 1, Integer::sum);
        }
        return m;
    }

    private static Map<Integer, Integer> counts(int[] a) {
        Map<Integer, Integer> m = new HashMap<>();
        for (int x : a) {
            m.merge(x, 1, Integer::sum);
        }
        return m;
    }

    private static double entropy(Map<Integer, Integer> counts, int n) {
        double h = 0;
        for (int c : counts.values()) {
            double p = (double) c / n;
            h -= p * Math.log(p);
        }
        return h;
    }
}
