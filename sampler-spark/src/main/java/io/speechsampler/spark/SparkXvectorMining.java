package io.speechsampler.spark;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.Shape;
import io.speechsampler.hardmining.mining.EmbeddingMiner;
import io.speechsampler.hardmining.mining.HardPairTable;
import io.speechsampler.hardmining.mining.MiningResult;
import io.speechsampler.hardmining.mining.PartnerCount;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import scala.Tuple2;

/**
 * Exact x-vector hard-pair mining on Spark, pair for pair the table of {@link EmbeddingMiner} on
 * one machine with the same kernel and block. The driver normalises the rows as that miner does
 * ({@code y_k = (float) (x_k / sqrt(sum (double) x_k^2))}, zero or non-finite rows excluded) and
 * broadcasts them; the symmetric N x N product is cut into the same {@code block x block} tiles,
 * and each tile on or above the diagonal is one Spark task: it multiplies its two blocks (the
 * {@link EmbeddingMiner.Kernel#JAVA} kernel: every dot accumulated in float in dimension order,
 * bitwise that miner's; the {@link EmbeddingMiner.Kernel#ENGINE} kernel: the same {@code matMul}
 * of the same slices of the same matrix on DJL's engine), takes distance {@code 1.0 - (double)
 * dot}, and keeps for each row of both blocks its M smallest (distance, index) pairs among
 * other-speaker columns (M from the {@link PartnerCount} and the row's other-speaker count, as
 * there). A reduce by row merges a row's tiles ({@link RowCandidates#merge}), which is exact: so
 * every row gets the M smallest pairs over all columns, ties to the smaller index, as on one
 * machine. Memory per task: the broadcast rows, one tile and the selections of its rows.
 */
final class SparkXvectorMining {

    /** The engine's copy of a broadcast matrix, made once per executor JVM and kept for the next tiles. */
    private static final Map<Long, NDArray> ENGINE_MATRICES = new HashMap<>();
    private static NDManager engineManager;

    private SparkXvectorMining() {
    }

    /** The rows and speakers that the tasks share. */
    private record Shared(float[] rows, int size, int depth, int[] speaker, int[] wanted, int block,
                          EmbeddingMiner.Kernel kernel) implements Serializable {
    }

    /**
     * Mines {@code ids} with {@code speakers} and {@code embeddings} (index-aligned, one
     * dimension); the same contract as {@link EmbeddingMiner#mine}.
     */
    static MiningResult mine(JavaSparkContext sc, List<String> ids, List<String> speakers, float[][] embeddings,
                             PartnerCount count, EmbeddingMiner.Kernel kernel, int block, Integer partitions) {
        int n = ids.size();
        int depth = n == 0 ? 0 : embeddings[0].length;
        List<String> excluded = new ArrayList<>();
        int[] kept = new int[n];
        int size = 0;
        float[] rows = new float[Math.multiplyExact(n, depth)];
        Map<String, Integer> codes = new HashMap<>();
        int[] speaker = new int[n];
        for (int i = 0; i < n; i++) {
            float[] x = embeddings[i];
            if (x.length != depth) {
                throw new IllegalArgumentException("embedding of '" + ids.get(i) + "' has dimension " + x.length
                        + ", expected " + depth);
            }
            double s = 0;
            for (float v : x) {
                s += (double) v * v;
            }
            double norm = Double.isFinite(s) ? Math.sqrt(s) : 0;
            if (norm > 0) {
                for (int k = 0; k < depth; k++) {
                    rows[size * depth + k] = (float) (x[k] / norm);
                }
                speaker[size] = codes.computeIfAbsent(speakers.get(i), k -> codes.size());
                kept[size++] = i;
            } else {
                excluded.add(ids.get(i));
            }
        }
        int[][] partners = new int[n][];
        double[][] distances = new double[n][];
        for (int i = 0; i < n; i++) {
            partners[i] = new int[0];
            distances[i] = new double[0];
        }
        if (size > 0) {
            int[] perSpeaker = new int[codes.size()];
            for (int r = 0; r < size; r++) {
                perSpeaker[speaker[r]]++;
            }
            int[] wanted = new int[size];
            for (int r = 0; r < size; r++) {
                wanted[r] = count.of(size - perSpeaker[speaker[r]]);
            }
            int blocks = (size + block - 1) / block;
            List<int[]> tiles = new ArrayList<>();
            for (int q = 0; q < blocks; q++) {
                for (int c = q; c < blocks; c++) {
                    tiles.add(new int[] {q, c});
                }
            }
            float[] used = java.util.Arrays.copyOf(rows, size * depth);
            Broadcast<Shared> shared = sc.broadcast(new Shared(used, size, depth,
                    java.util.Arrays.copyOf(speaker, size), wanted, block, kernel));
            int slices = SparkJobs.partitions(sc, partitions, tiles.size());
            List<Tuple2<Integer, RowCandidates>> mined = sc.parallelize(tiles, slices)
                    .flatMapToPair(t -> tile(shared, t[0], t[1]))
                    .reduceByKey(RowCandidates::merge, slices)
                    .collect();
            shared.destroy();
            for (Tuple2<Integer, RowCandidates> row : mined) {
                int input = kept[row._1()];
                RowCandidates rc = row._2();
                int[] p = new int[rc.partners.length];
                for (int k = 0; k < p.length; k++) {
                    p[k] = kept[rc.partners[k]];
                }
                partners[input] = p;
                distances[input] = rc.distances;
            }
        }
        return new MiningResult(HardPairTable.of(ids, partners, distances), excluded);
    }

    /** The selections of the rows of blocks q and c (q <= c) over the other block's columns. */
    private static Iterator<Tuple2<Integer, RowCandidates>> tile(Broadcast<Shared> broadcast, int q, int c) {
        Shared s = broadcast.value();
        int qFrom = q * s.block();
        int qCount = Math.min(s.block(), s.size() - qFrom);
        int cFrom = c * s.block();
        int cCount = Math.min(s.block(), s.size() - cFrom);
        float[] dots = s.kernel() == EmbeddingMiner.Kernel.ENGINE
                ? engineTile(broadcast.id(), s, qFrom, qCount, cFrom, cCount)
                : javaTile(s, qFrom, qCount, cFrom, cCount);
        List<Tuple2<Integer, RowCandidates>> out = new ArrayList<>(q == c ? qCount : qCount + cCount);
        for (int i = 0; i < qCount; i++) {
            out.add(new Tuple2<>(qFrom + i, select(s, qFrom + i, dots, i * cCount, 1, cFrom, cCount)));
        }
        if (q != c) {
            for (int j = 0; j < cCount; j++) {
                out.add(new Tuple2<>(cFrom + j, select(s, cFrom + j, dots, j, cCount, qFrom, qCount)));
            }
        }
        return out.iterator();
    }

    /**
     * Row {@code row}'s smallest other-speaker pairs among columns {@code [colFrom, colFrom +
     * width)}, whose dots are {@code dots[base + j * stride]}.
     */
    private static RowCandidates select(Shared s, int row, float[] dots, int base, int stride, int colFrom,
                                        int width) {
        RowCandidates.Selection sel = new RowCandidates.Selection(Math.min(s.wanted()[row], width));
        int own = s.speaker()[row];
        for (int j = 0; j < width; j++) {
            int col = colFrom + j;
            if (s.speaker()[col] != own) {
                sel.offer(1.0 - (double) dots[base + j * stride], col);
            }
        }
        RowCandidates part = sel.drain();
        return new RowCandidates(s.wanted()[row], part.partners, part.distances);
    }

    /**
     * The tile's dots, row-major {@code qCount x cCount}, each accumulated in float in dimension
     * order (as the single-machine Java kernel; a float product is commutative, so the transposed
     * tile's dots are the ones that kernel computes for block c's rows).
     */
    private static float[] javaTile(Shared s, int qFrom, int qCount, int cFrom, int cCount) {
        int d = s.depth();
        float[] rows = s.rows();
        float[] panel = new float[d * cCount];
        for (int j = 0; j < cCount; j++) {
            for (int k = 0; k < d; k++) {
                panel[k * cCount + j] = rows[(cFrom + j) * d + k];
            }
        }
        float[] dots = new float[qCount * cCount];
        float[] acc = new float[cCount];
        for (int i = 0; i < qCount; i++) {
            java.util.Arrays.fill(acc, 0f);
            int a0 = (qFrom + i) * d;
            for (int k = 0; k < d; k++) {
                float x = rows[a0 + k];
                int pk = k * cCount;
                for (int j = 0; j < cCount; j++) {
                    acc[j] += x * panel[pk + j];
                }
            }
            System.arraycopy(acc, 0, dots, i * cCount, cCount);
        }
        return dots;
    }

    /**
     * The tile's dots from the engine: the same {@code matMul} of the same two slices of the whole
     * matrix on the engine's default device as the single-machine engine kernel makes.
     */
    private static float[] engineTile(long id, Shared s, int qFrom, int qCount, int cFrom, int cCount) {
        NDArray a = engineMatrix(id, s);
        SparkMain.taskThreads();
        try (NDManager tile = a.getManager().newSubManager()) {
            NDArray product = a.get(tile, new NDIndex().addSliceDim(qFrom, qFrom + qCount))
                    .matMul(a.get(tile, new NDIndex().addSliceDim(cFrom, cFrom + cCount)).transpose());
            float[] dots = new float[qCount * cCount];
            product.toByteBuffer(true).asFloatBuffer().get(dots, 0, dots.length);
            return dots;
        }
    }

    /** This JVM's engine copy of broadcast {@code id}; copies of earlier broadcasts are freed. */
    private static synchronized NDArray engineMatrix(long id, Shared s) {
        NDArray a = ENGINE_MATRICES.get(id);
        if (a == null) {
            SparkMain.engineSettings();
            if (engineManager != null) {
                engineManager.close();
            }
            ENGINE_MATRICES.clear();
            engineManager = NDManager.newBaseManager();
            a = engineManager.create(s.rows(), new Shape(s.size(), s.depth()));
            ENGINE_MATRICES.put(id, a);
        }
        return a;
    }
}
