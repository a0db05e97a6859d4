package io.speechsampler.hardmining.mining;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * Global hard sample mining on one scalar speaker parameter per utterance (Wang et al., "Mining
 * hard samples locally and globally for improved speech separation", ICASSP 2022, sections
 * 2.2-2.3): the median f0 in Hz ({@link #pitch}) or the energy in dB ({@link #energyDb}, whose
 * absolute difference is the paper's energy ratio {@code 10 |log10(E1 / E2)|}). An utterance's
 * candidate partners are the utterances of other speakers, ordered by the absolute parameter
 * difference ascending, ties by input index (the smaller index first); the first M are hard, M
 * given by the {@link PartnerCount}: the paper's {@code max(1, ceil(P_M * others))}, {@code
 * others} being the number of mined utterances of other speakers, or a fixed number of nearest
 * partners ({@code min(M, others)}).
 *
 * <p>Algorithm: sort by (value, index) once, then for each utterance expand two pointers outward
 * in that order. Runs of equal values are visited as units so that equal distances come out in
 * index order, and a precomputed "next position of another speaker" jump skips a run of the
 * utterance's own speaker in one step, so each emitted partner costs O(1): O(N log N + N M)
 * time in all, O(N M) memory for the result. Utterances whose value is NaN (unvoiced, for
 * pitch) are excluded and reported in {@link MiningResult#excluded()}. No randomness.
 */
public final class ScalarParameterMiner {

    private static final String PITCH = "median f0 (Hz)";
    private static final String ENERGY = "energy (dB)";

    private final String parameter;
    private final PartnerCount partnerCount;

    private ScalarParameterMiner(String parameter, PartnerCount partnerCount) {
        this.parameter = parameter;
        this.partnerCount = partnerCount;
    }

    /**
     * A miner on the scalar named {@code parameter} (for messages).
     *
     * @param fraction P_M, the fraction of each utterance's other-speaker partners that are hard, in (0, 1]
     */
    public static ScalarParameterMiner of(String parameter, double fraction) {
        return of(parameter, PartnerCount.fraction(fraction));
    }

    /** A miner on the scalar named {@code parameter} (for messages) that keeps {@code count} partners. */
    public static ScalarParameterMiner of(String parameter, PartnerCount count) {
        Objects.requireNonNull(parameter, "parameter");
        Objects.requireNonNull(count, "count");
        return new ScalarParameterMiner(parameter, count);
    }

    /** Mining on the median f0 in Hz (NaN = unvoiced, excluded); the paper's best P_M was 0.02. */
    public static ScalarParameterMiner pitch(double fraction) {
        return of(PITCH, fraction);
    }

    /** Mining on the median f0 in Hz, {@code count} partners each. */
    public static ScalarParameterMiner pitch(PartnerCount count) {
        return of(PITCH, count);
    }

    /** Mining on the utterance energy in dB: the distance is the energy ratio in dB. */
    public static ScalarParameterMiner energyDb(double fraction) {
        return of(ENERGY, fraction);
    }

    /** Mining on the utterance energy in dB, {@code count} partners each. */
    public static ScalarParameterMiner energyDb(PartnerCount count) {
        return of(ENERGY, count);
    }

    public String parameter() {
        return parameter;
    }

    /** How many partners each utterance gets. */
    public PartnerCount count() {
        return partnerCount;
    }

    /**
     * Mines values given by id, ids taken in sorted order (which is the tie order).
     *
     * @param values    parameter value by utterance id, NaN to exclude
     * @param speakerOf speaker by utterance id; must cover every key of {@code values}
     */
    public MiningResult mine(Map<String, Double> values, Map<String, String> speakerOf) {
        TreeMap<String, Double> sorted = new TreeMap<>(values);
        List<String> ids = new ArrayList<>(sorted.keySet());
        List<String> speakers = new ArrayList<>(ids.size());
        double[] v = new double[ids.size()];
        int i = 0;
        for (Map.Entry<String, Double> e : sorted.entrySet()) {
            String s = speakerOf.get(e.getKey());
            if (s == null) {
                throw new IllegalArgumentException("utterance '" + e.getKey() + "' has a " + parameter
                        + " value but no speaker");
            }
            speakers.add(s);
            v[i++] = e.getValue();
        }
        return mine(ids, speakers, v);
    }

    /**
     * Mines the utterances {@code ids} with speakers {@code speakers} and parameter {@code values}
     * (all index-aligned); the input order breaks ties.
     *
     * @throws IllegalArgumentException for lengths that differ, duplicate ids or an infinite value
     */
    public MiningResult mine(List<String> ids, List<String> speakers, double[] values) {
        int n = ids.size();
        if (speakers.size() != n || values.length != n) {
            throw new IllegalArgumentException("ids, speakers and " + parameter + " values differ in length: " + n
                    + ", " + speakers.size() + ", " + values.length);
        }
        int[] speaker = SpeakerCodes.encode(speakers);
        List<String> excluded = new ArrayList<>();
        int[] kept = new int[n];
        int size = 0;
        for (int i = 0; i < n; i++) {
            if (Double.isNaN(values[i])) {
                excluded.add(ids.get(i));
            } else if (Double.isInfinite(values[i])) {
                throw new IllegalArgumentException(parameter + " of utterance '" + ids.get(i) + "' is not finite: "
                        + values[i]);
            } else {
                kept[size++] = i;
            }
        }
        int[] order = sortedByValue(kept, size, values);
        int[][] partners = new int[n][];
        double[][] distances = new double[n][];
        Arrays.fill(partners, new int[0]);
        Arrays.fill(distances, new double[0]);
        new Sweep(order, values, speaker).run(partners, distances);
        return new MiningResult(HardPairTable.adopt(ids, partners, distances), excluded);
    }

    /**
     * The first {@code size} of {@code kept} (ascending indexes) in ascending (value, index) order,
     * as {@link Double#compare} orders values ({@link RadixSort}, stable).
     */
    static int[] sortedByValue(int[] kept, int size, double[] values) {
        int[] idx = java.util.Arrays.copyOf(kept, size);
        double[] v = new double[size];
        for (int k = 0; k < size; k++) {
            v[k] = values[idx[k]];
        }
        RadixSort.sort(v, idx, size);
        return idx;
    }

    /** The sorted arrays and jump tables of one mining run. */
    private final class Sweep {
        private final int size;
        private final int[] index;
        private final double[] value;
        private final int[] speaker;
        private final int[] runStart;
        private final int[] runEnd;
        private final int[] skipLeft;
        private final int[] skipRight;
        private final int[] othersOf;
        private int[] outIndex;
        private double[] outDistance;
        private int count;
        private int wanted;

        Sweep(int[] order, double[] values, int[] speakerOfInput) {
            size = order.length;
            index = new int[size];
            value = new double[size];
            speaker = new int[size];
            int maxSpeaker = 0;
            for (int k = 0; k < size; k++) {
                index[k] = order[k];
                value[k] = values[index[k]];
                speaker[k] = speakerOfInput[index[k]];
                maxSpeaker = Math.max(maxSpeaker, speaker[k] + 1);
            }
            int[] perSpeaker = new int[maxSpeaker];
            for (int s : speaker) {
                perSpeaker[s]++;
            }
            othersOf = new int[size];
            runStart = new int[size];
            runEnd = new int[size];
            skipLeft = new int[size];
            skipRight = new int[size];
            for (int k = 0; k < size; k++) {
                othersOf[k] = size - perSpeaker[speaker[k]];
                boolean sameValue = k > 0 && value[k - 1] == value[k];
                runStart[k] = sameValue ? runStart[k - 1] : k;
                skipLeft[k] = k > 0 && speaker[k - 1] == speaker[k] ? skipLeft[k - 1] : k - 1;
            }
            for (int k = size - 1; k >= 0; k--) {
                boolean sameValue = k < size - 1 && value[k + 1] == value[k];
                runEnd[k] = sameValue ? runEnd[k + 1] : k + 1;
                skipRight[k] = k < size - 1 && speaker[k + 1] == speaker[k] ? skipRight[k + 1] : k + 1;
            }
        }

        void run(int[][] partners, double[][] distances) {
            for (int p = 0; p < size; p++) {
                wanted = partnerCount.of(othersOf[p]);
                outIndex = new int[wanted];
                outDistance = new double[wanted];
                count = 0;
                query(p);
                partners[index[p]] = outIndex;
                distances[index[p]] = outDistance;
            }
        }

        private void query(int p) {
            int s = speaker[p];
            double v = value[p];
            emitSegment(runStart[p], runEnd[p] - 1, s, 0.0);
            int left = runStart[p] - 1;
            int right = runEnd[p];
            while (count < wanted) {
                if (left >= 0 && speaker[left] == s) {
                    left = skipLeft[left];
                }
                if (right < size && speaker[right] == s) {
                    right = skipRight[right];
                }
                double dl = left >= 0 ? v - value[left] : Double.POSITIVE_INFINITY;
                double dr = right < size ? value[right] - v : Double.POSITIVE_INFINITY;
                if (left < 0 && right >= size) {
                    return;
                }
                if (dl < dr) {
                    emitSegment(runStart[left], left, s, dl);
                    left = runStart[left] - 1;
                } else if (dr < dl) {
                    emitSegment(right, runEnd[right] - 1, s, dr);
                    right = runEnd[right];
                } else {
                    emitMerged(runStart[left], left, right, runEnd[right] - 1, s, dl);
                    left = runStart[left] - 1;
                    right = runEnd[right];
                }
            }
        }

        /** Emits positions [from, to] of other speakers than {@code s}, in order, until enough. */
        private void emitSegment(int from, int to, int s, double distance) {
            int k = from;
            while (k <= to && count < wanted) {
                if (speaker[k] == s) {
                    k = skipRight[k];
                    continue;
                }
                emit(k, distance);
                k++;
            }
        }

        /** Emits two equal-distance segments merged by input index. */
        private void emitMerged(int a, int aTo, int b, int bTo, int s, double distance) {
            a = nextOther(a, aTo, s);
            b = nextOther(b, bTo, s);
            while (count < wanted && (a <= aTo || b <= bTo)) {
                if (b > bTo || (a <= aTo && index[a] < index[b])) {
                    emit(a, distance);
                    a = nextOther(a + 1, aTo, s);
                } else {
                    emit(b, distance);
                    b = nextOther(b + 1, bTo, s);
                }
            }
        }

        private int nextOther(int k, int to, int s) {
            while (k <= to && speaker[k] == s) {
                k = skipRight[k];
            }
            return k;
        }

        private void emit(int k, double distance) {
            outIndex[count] = index[k];
            outDistance[count] = distance;
            count++;
        }
    }

    /** Dense codes for speaker labels, shared by the miners. */
    static final class SpeakerCodes {
        private SpeakerCodes() {
        }

        static int[] encode(List<String> speakers) {
            Map<String, Integer> codes = new HashMap<>();
            int[] out = new int[speakers.size()];
            for (int i = 0; i < out.length; i++) {
                String s = Objects.requireNonNull(speakers.get(i), "speaker");
                out[i] = codes.computeIfAbsent(s, k -> codes.size());
            }
            return out;
        }
    }
}
