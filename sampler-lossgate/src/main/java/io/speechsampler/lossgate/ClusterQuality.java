package io.speechsampler.lossgate;

import java.util.HashMap;
import java.util.Map;

/**
 * How well clusters match known classes: purity (each cluster counted as its most frequent class)
 * and normalised mutual information, NMI = 2 I(U; V) / (H(U) + H(V)) (the arithmetic
 * normalisation, scikit-learn's default), both in [0, 1]; and, per sample, whether its cluster's
 * label is right ({@link #agreesWithMajority}), which the loss gate counts under and above the gate.
 */
public final class ClusterQuality {

    private ClusterQuality() {
    }

    /**
     * Whether a corpus's speakers can be the truth that clusters are measured against: at least two
     * speakers, and fewer speakers than utterances. A corpus whose speakers are unknown is written
     * with one speaker for all, or each utterance its own speaker (Kaldi's utt2spk convention);
     * against either, purity and NMI say nothing.
     */
    public static boolean speakersKnown(int speakers, int utterances) {
        return speakers >= 2 && speakers < utterances;
    }

    /**
     * For each sample, whether its class is its cluster's majority class, the class that
     * {@link #purity} counts the cluster as (a tie goes to the smallest class index): so the share
     * of {@code true} over all samples is the purity, and over a subset of the samples (those under
     * the loss gate) it is the share of that subset whose pseudo-label names the right speaker, with
     * the majorities taken over all samples. (The purity of the subset on its own would rise as the
     * subset shrinks, since fewer samples per cluster agree more easily; this share does not.)
     * A sample whose cluster is negative (unlabelled) is {@code false} and counts in no majority.
     *
     * @throws IllegalArgumentException when the arrays differ in length or a class is negative
     */
    public static boolean[] agreesWithMajority(int[] clusters, int[] classes) {
        if (clusters.length != classes.length) {
            throw new IllegalArgumentException("need as many clusters as classes: " + clusters.length + ", "
                    + classes.length);
        }
        Map<Long, Integer> joint = new HashMap<>();
        for (int i = 0; i < clusters.length; i++) {
            if (classes[i] < 0) {
                throw new IllegalArgumentException("class " + i + " is negative: " + classes[i]);
            }
            if (clusters[i] >= 0) {
                joint.merge(((long) clusters[i] << 32) | classes[i], 1, Integer::sum);
            }
        }
        Map<Integer, long[]> majority = new HashMap<>(); // cluster -> {count, class}
        joint.forEach((key, n) -> {
            int cluster = (int) (key >> 32);
            int cls = (int) (long) key;
            long[] m = majority.get(cluster);
            if (m == null || n > m[0] || (n == m[0] && cls < m[1])) {
                majority.put(cluster, new long[] {n, cls});
            }
        });
        boolean[] out = new boolean[clusters.length];
        for (int i = 0; i < out.length; i++) {
            out[i] = clusters[i] >= 0 && majority.get(clusters[i])[1] == classes[i];
        }
        return out;
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
