package io.speechsampler.hardmining.mining;

import ai.djl.engine.Engine;
import ai.djl.engine.rpc.RpcEngine;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * Global hard sample mining on speaker embeddings (x-vectors) by cosine distance (Wang et al.,
 * "Mining hard samples locally and globally for improved speech separation", ICASSP 2022,
 * sections 2.2-2.3; x-vectors: Snyder et al., ICASSP 2018). An utterance's candidate partners are
 * the utterances of other speakers ordered by cosine distance ascending, ties by input index; the
 * first {@code M = max(1, ceil(P_M * others))} are hard.
 *
 * <p>Algorithm: rows are L2-normalised once ({@code y_k = (float) (x_k / sqrt(sum (double)
 * x_k^2))}); query blocks of {@code block} rows are multiplied against every column panel of
 * {@code block} columns by the {@link Kernel}, the distance is {@code 1.0 - (double) dot}, and each
 * row keeps its M smallest (distance, index) in a bounded max-heap, skipping same-speaker columns.
 * Every row is owned by one task, so the result does not depend on the thread count. Time
 * O(N^2 D), memory O(N M + N D + block^2) (the Java kernel: {@code threads * block^2}), never
 * O(N^2). Rows with a non-finite entry or zero norm have no direction and are excluded and
 * reported. No randomness.
 *
 * <p>Exactness. With {@link Kernel#JAVA} each dot product is accumulated in float in dimension
 * order, bitwise the plain loop {@code s += y_i[k] * y_j[k]}, whatever the block or thread count.
 * With {@link Kernel#ENGINE} the dots are the engine's float matrix product (its own summation
 * order and vector instructions), and the result is <em>exact up to float rounding of the dot
 * products</em>: every row gets exactly the M smallest (distance, index) pairs under the engine's
 * distances, which differ from the exact (real-number) distances only by that rounding (for unit
 * rows at most about {@code D * 2^-24}, 3e-5 at D = 512, and in practice below 1e-6). So a row's
 * partner set can differ from the exact one only in candidates whose exact distance is that close
 * to the row's cut-off (its M-th smallest exact distance), and near-ties may be ordered
 * differently; same-speaker pairs never appear. For a given engine, device and block, two runs
 * give identical tables; the thread count never changes them.
 */
public final class EmbeddingMiner {

    /** What multiplies the blocks. */
    public enum Kernel {
        /**
         * {@link BlockedDotKernel}, plain Java on {@code threads} threads: bitwise reproducible, about 3
         * GFLOP/s on 2 cores. Square blocks of 256 by default (a 256 x 512 float panel is 512 KiB).
         */
        JAVA(256),
        /**
         * DJL's default engine (libtorch's CPU kernels, or the GPU when the engine sees one), one
         * {@code matMul} per tile; Java selects each tile on {@code threads} threads. Square blocks of
         * 2048 by default: large enough for the engine's full rate, 16 MiB a tile.
         */
        ENGINE(2048);

        private final int defaultBlock;

        Kernel(int defaultBlock) {
            this.defaultBlock = defaultBlock;
        }

        /** Rows (and columns) per block when none is given. */
        public int defaultBlock() {
            return defaultBlock;
        }

        /**
         * {@link #ENGINE} when DJL has an engine that computes on this machine (any but its RPC
         * client, which only forwards to a server), else {@link #JAVA}. Loads DJL's {@code Engine}
         * class: set {@code ai.djl.offline=true} first where no network may be probed.
         */
        public static Kernel byDefault() {
            return engineAvailable() ? ENGINE : JAVA;
        }

        /** Whether {@link #ENGINE} can run: DJL's default engine is a local one. */
        public static boolean engineAvailable() {
            return !RpcEngine.ENGINE_NAME.equals(Engine.getDefaultEngineName());
        }
    }

    private final double fraction;
    private final Kernel kernel;
    private final int block;
    private final int threads;

    private EmbeddingMiner(double fraction, Kernel kernel, int block, int threads) {
        this.fraction = fraction;
        this.kernel = kernel;
        this.block = block;
        this.threads = threads;
    }

    /**
     * @param fraction P_M in (0, 1]; the paper's best for x-vectors was 0.04
     * @param kernel   what multiplies the blocks
     * @param block    rows and columns per block, in [1, 46340] (a block^2 tile fits one array)
     * @param threads  worker threads, at least 1 (does not change the result)
     */
    public static EmbeddingMiner of(double fraction, Kernel kernel, int block, int threads) {
        HardCount.checkFraction(fraction);
        Objects.requireNonNull(kernel, "kernel");
        checkShape(1, 1, block, threads);
        return new EmbeddingMiner(fraction, kernel, block, threads);
    }

    /** {@link #of(double, Kernel, int, int)} with {@link Kernel#byDefault()} and its default block on one thread. */
    public static EmbeddingMiner of(double fraction) {
        Kernel kernel = Kernel.byDefault();
        return of(fraction, kernel, kernel.defaultBlock(), 1);
    }

    static void checkShape(int n, int depth, int block, int threads) {
        if (n < 1) {
            throw new IllegalArgumentException("rows is not at least 1: " + n);
        }
        if (depth < 1) {
            throw new IllegalArgumentException("depth is not at least 1: " + depth);
        }
        if (block < 1 || (long) block * block > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("block is not in [1, 46340]: " + block);
        }
        if (threads < 1) {
            throw new IllegalArgumentException("threads is not at least 1: " + threads);
        }
        if ((long) n * depth > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("rows x depth exceeds " + Integer.MAX_VALUE + ": " + n + " x " + depth);
        }
    }

    public double fraction() {
        return fraction;
    }

    public Kernel kernel() {
        return kernel;
    }

    public int block() {
        return block;
    }

    public int threads() {
        return threads;
    }

    /**
     * Mines utterances {@code ids} with speakers {@code speakers} and embeddings
     * {@code embeddings} (index-aligned, all rows of one dimension); the input order breaks ties.
     */
    public MiningResult mine(List<String> ids, List<String> speakers, float[][] embeddings) {
        int n = ids.size();
        if (speakers.size() != n || embeddings.length != n) {
            throw new IllegalArgumentException("ids, speakers and embeddings differ in length: " + n + ", "
                    + speakers.size() + ", " + embeddings.length);
        }
        int[] speakerOfInput = ScalarParameterMiner.SpeakerCodes.encode(speakers);
        int depth = n == 0 ? 0 : embeddings[0].length;
        List<String> excluded = new ArrayList<>();
        int[] kept = new int[n];
        int size = 0;
        for (int i = 0; i < n; i++) {
            if (embeddings[i].length != depth) {
                throw new IllegalArgumentException("embedding of '" + ids.get(i) + "' has dimension "
                        + embeddings[i].length + ", expected " + depth);
            }
            if (norm(embeddings[i]) > 0) {
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
            checkShape(size, depth, block, threads);
            mineKept(embeddings, kept, size, depth, speakerOfInput, partners, distances);
        }
        return new MiningResult(HardPairTable.of(ids, partners, distances), excluded);
    }

    /** The Euclidean norm in double, or 0 when an entry is not finite. */
    private static double norm(float[] x) {
        double s = 0;
        for (float v : x) {
            if (!Float.isFinite(v)) {
                return 0;
            }
            s += (double) v * v;
        }
        return Math.sqrt(s);
    }

    private void mineKept(float[][] embeddings, int[] kept, int size, int depth, int[] speakerOfInput,
                          int[][] partners, double[][] distances) {
        float[] rows = new float[size * depth];
        int[] speaker = new int[size];
        int maxSpeaker = 0;
        for (int r = 0; r < size; r++) {
            float[] x = embeddings[kept[r]];
            double norm = norm(x);
            for (int k = 0; k < depth; k++) {
                rows[r * depth + k] = (float) (x[k] / norm);
            }
            speaker[r] = speakerOfInput[kept[r]];
            maxSpeaker = Math.max(maxSpeaker, speaker[r] + 1);
        }
        int[] perSpeaker = new int[maxSpeaker];
        for (int s : speaker) {
            perSpeaker[s]++;
        }
        BlockedProduct.BlockTask task = new BlockedProduct.BlockTask() {
            @Override
            public BlockedProduct.TileSink open(int rowFrom, int rowCount) {
                BoundedMaxHeap[] heaps = new BoundedMaxHeap[rowCount];
                for (int r = 0; r < rowCount; r++) {
                    heaps[r] = new BoundedMaxHeap(HardCount.of(fraction, size - perSpeaker[speaker[rowFrom + r]]));
                }
                return new Selection(rowFrom, heaps, speaker);
            }

            @Override
            public void close(BlockedProduct.TileSink sink) {
                Selection sel = (Selection) sink;
                for (int r = 0; r < sel.heaps.length; r++) {
                    BoundedMaxHeap h = sel.heaps[r];
                    int[] order = h.sortedPositions();
                    int[] idx = new int[order.length];
                    double[] dist = new double[order.length];
                    for (int k = 0; k < order.length; k++) {
                        idx[k] = kept[h.indexAt(order[k])];
                        dist[k] = h.distanceAt(order[k]);
                    }
                    int input = kept[sel.rowFrom + r];
                    partners[input] = idx;
                    distances[input] = dist;
                }
            }
        };
        if (kernel == Kernel.ENGINE) {
            EngineProduct.run(rows, size, depth, block, threads, task);
        } else {
            BlockedProduct.run(rows, size, depth, block, threads, task);
        }
    }

    /** One query block's heaps, row {@code r} of the block being row {@code rowFrom + r}. */
    private static final class Selection implements BlockedProduct.TileSink {
        private final int rowFrom;
        private final BoundedMaxHeap[] heaps;
        private final int[] speaker;

        Selection(int rowFrom, BoundedMaxHeap[] heaps, int[] speaker) {
            this.rowFrom = rowFrom;
            this.heaps = heaps;
            this.speaker = speaker;
        }

        @Override
        public void tile(int rowFrom, int rowCount, int colFrom, int width, float[] dots, int offset) {
            for (int r = 0; r < rowCount; r++) {
                BoundedMaxHeap h = heaps[rowFrom - this.rowFrom + r];
                if (h.capacity() == 0) {
                    continue;
                }
                int s = speaker[rowFrom + r];
                int base = offset + r * width;
                for (int j = 0; j < width; j++) {
                    int col = colFrom + j;
                    if (speaker[col] != s) {
                        h.offer(1.0 - (double) dots[base + j], col);
                    }
                }
            }
        }
    }

    /**
     * The {@code capacity} smallest (distance, index) pairs seen, in a binary max-heap: an offer
     * costs O(1) when it does not beat the current maximum and O(log capacity) otherwise.
     */
    static final class BoundedMaxHeap {
        private final double[] dist;
        private final int[] idx;
        private int size;

        BoundedMaxHeap(int capacity) {
            dist = new double[capacity];
            idx = new int[capacity];
        }

        int capacity() {
            return dist.length;
        }

        void offer(double d, int i) {
            if (size < dist.length) {
                int k = size++;
                while (k > 0) {
                    int parent = (k - 1) >>> 1;
                    if (!greater(d, i, dist[parent], idx[parent])) {
                        break;
                    }
                    dist[k] = dist[parent];
                    idx[k] = idx[parent];
                    k = parent;
                }
                dist[k] = d;
                idx[k] = i;
            } else if (greater(dist[0], idx[0], d, i)) {
                siftDown(d, i);
            }
        }

        private void siftDown(double d, int i) {
            int k = 0;
            int half = size >>> 1;
            while (k < half) {
                int child = 2 * k + 1;
                int right = child + 1;
                if (right < size && greater(dist[right], idx[right], dist[child], idx[child])) {
                    child = right;
                }
                if (!greater(dist[child], idx[child], d, i)) {
                    break;
                }
                dist[k] = dist[child];
                idx[k] = idx[child];
                k = child;
            }
            dist[k] = d;
            idx[k] = i;
        }

        private static boolean greater(double d1, int i1, double d2, int i2) {
            return d1 > d2 || (d1 == d2 && i1 > i2);
        }

        /** Positions in the heap arrays, in ascending (distance, index) order. */
        int[] sortedPositions() {
            Integer[] pos = new Integer[size];
            for (int k = 0; k < size; k++) {
                pos[k] = k;
            }
            Arrays.sort(pos, (a, b) -> {
                int c = Double.compare(dist[a], dist[b]);
                return c != 0 ? c : Integer.compare(idx[a], idx[b]);
            });
            int[] out = new int[size];
            for (int k = 0; k < size; k++) {
                out[k] = pos[k];
            }
            return out;
        }

        int indexAt(int position) {
            return idx[position];
        }

        double distanceAt(int position) {
            return dist[position];
        }
    }
}
