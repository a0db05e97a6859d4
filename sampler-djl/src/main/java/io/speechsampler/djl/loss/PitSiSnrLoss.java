package io.speechsampler.djl.loss;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import io.speechsampler.djl.ndarray.Scalars;
import java.util.ArrayList;
import java.util.List;

/**
 * Negative SI-SNR with utterance-level permutation-invariant training (Kolbaek et al. 2017):
 * per sample, the minimum over all permutations of the mean per-source negative SI-SNR. All
 * S! permutations are tried (S up to 3, as the peers do exhaustively; larger S is refused).
 */
public final class PitSiSnrLoss {

    private final int sources;
    private final int[][] permutations;

    private PitSiSnrLoss(int sources) {
        this.sources = sources;
        this.permutations = permutations(sources);
    }

    /** @param sources S, in [1, 4] */
    public static PitSiSnrLoss of(int sources) {
        if (sources < 1 || sources > 4) {
            throw new IllegalArgumentException("PIT sources is not in [1, 4]: " + sources);
        }
        return new PitSiSnrLoss(sources);
    }

    /** The permutations tried, in order: index i maps estimate perm[i][j] to reference j. */
    public int[][] permutations() {
        return permutations.clone();
    }

    /** Result: per-sample loss (batch) and each sample's best permutation index. */
    public record Result(NDArray loss, int[] best) {
    }

    /**
     * @param est (batch, S, T) estimates
     * @param ref (batch, S, T) references
     */
    public Result compute(NDArray est, NDArray ref) {
        check(est, ref);
        NDManager m = est.getManager();
        // pairwise (batch, S_est, S_ref) SI-SNR
        NDArray pair = SiSnr.of(est.expandDims(2), ref.expandDims(1));
        NDList perPerm = new NDList();
        for (int[] p : permutations) {
            float[] sel = new float[sources * sources];
            for (int j = 0; j < sources; j++) {
                sel[p[j] * sources + j] = 1f;
            }
            NDArray chosen = pair.mul(m.create(sel, new Shape(1, sources, sources)));
            perPerm.add(Scalars.div(chosen.sum(new int[] {1, 2}), (float) -sources));
        }
        NDArray all = NDArrays.stack(perPerm, 1); // (batch, perms)
        long[] best = all.argMin(1).toLongArray();
        int[] b = new int[best.length];
        for (int i = 0; i < b.length; i++) {
            b[i] = (int) best[i];
        }
        return new Result(all.min(new int[] {1}), b);
    }

    private void check(NDArray est, NDArray ref) {
        Shape s = est.getShape();
        if (s.dimension() != 3 || s.get(1) != sources || !s.equals(ref.getShape())) {
            throw new IllegalArgumentException("PIT needs estimates and references of shape (batch, " + sources
                    + ", T): got " + s + " and " + ref.getShape());
        }
    }

    static int[][] permutations(int n) {
        List<int[]> out = new ArrayList<>();
        permute(new int[n], new boolean[n], 0, out);
        return out.toArray(new int[0][]);
    }

    private static void permute(int[] cur, boolean[] used, int pos, List<int[]> out) {
        if (pos == cur.length) {
            out.add(cur.clone());
            return;
        }
        for (int i = 0; i < cur.length; i++) {
            if (!used[i]) {
                used[i] = true;
                cur[pos] = i;
                permute(cur, used, pos + 1, out);
                used[i] = false;
            }
        }
    }
}
