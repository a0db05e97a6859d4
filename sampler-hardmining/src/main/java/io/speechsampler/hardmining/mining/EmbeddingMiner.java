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
 * the utterances of other speakers ordered by cosine distance ascending, ties by input index (the
 * smaller index first); the first M are hard, M given by the {@link PartnerCount}: the paper's
 * {@code max(1, ceil(P_M * others))} or a fixed number of nearest partners ({@code min(M,
 * others)}). Either way the selection is per row (each row its own bounded {@link SmallestPairs}),
 * so memory is O(N M) for the result.
 *
 * <p>Algorithm: rows are L2-normalised once ({@code y_k = (float) (x_k / sqrt(sum (double)
 * x_k^2))}); query blocks of {@code block} rows are multiplied against column panels of {@code
 * block} columns by the {@link Kernel}, the distance is {@code 1.0 - (double) dot}, and each row
 * keeps its M smallest (distance, index) ({@link SmallestPairs}), skipping same-speaker columns. The
 * Java kernel multiplies every tile; the engine only those on and above the diagonal, each serving
 * both blocks' rows ({@link EngineProduct}). Every row is owned by one task, so the result does not
 * depend on the thread count. Time O(N^2 D), memory O(N M + N D + block^2) (the Java kernel:
 * {@code threads * block^2}), never O(N^2). Rows with a non-finite entry or zero norm have no
 * direction and are excluded and reported. No randomness.
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
 * differently; same-speaker pairs never appear. Each pair's dot is one float, used by both rows,
 * so distances are symmetric. For a given engine, device and block, two runs give identical
 * tables; the thread count never changes them.
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
         * {@code matMul} per tile on or above the diagonal; Java selects each tile on {@code threads}
         * threads. Square blocks of 2048 by default (16 MiB a tile): on 2 cores, 1024 and 1536 made the
         * products faster but the selection slower, 3072 and 4096 both slower.
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

    private final PartnerCount count;
    private final Kernel kernel;
    private final int block;
    private final int threads;

    private EmbeddingMiner(PartnerCount count, Kernel kernel, int block, int threads) {
        this.count = count;
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
        return of(PartnerCount.fraction(fraction), kernel, block, threads);
    }

    /**
     * {@link #of(double, Kernel, int, int)} keeping {@code count} partners per utterance, e.g. the
     * M nearest ({@link PartnerCount#nearest}).
     */
    public static EmbeddingMiner of(PartnerCount count, Kernel kernel, int block, int threads) {
        Objects.requireNonNull(count, "count");
        Objects.requireNonNull(kernel, "kernel");
        checkShape(1, 1, block, threads);
        return new EmbeddingMiner(count, kernel, block, threads);
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

    /** How many partners each utterance gets. */
    public PartnerCount count() {
        return count;
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
        int depth = checkAligned(ids, speakers, embeddings);
        int[] speakerOfInput = ScalarParameterMiner.SpeakerCodes.encode(speakers);
        List<String> excluded = new ArrayList<>();
        int[] kept = new int[n];
        double[] norms = new double[n];
        int size = 0;
        for (int i = 0; i < n; i++) {
            double norm = norm(embeddings[i]);
            if (norm > 0) {
                norms[size] = norm;
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
            mineKept(embeddings, kept, norms, size, depth, speakerOfInput, partners, distances);
        }
        return new MiningResult(HardPairTable.adopt(ids, partners, distances), excluded);
    }

    /**
     * The embeddings' dimension, after checking that ids, speakers and embeddings are index-aligned
     * and every row has that dimension (0 when there are none).
     */
    static int checkAligned(List<String> ids, List<String> speakers, float[][] embeddings) {
        int n = ids.size();
        if (speakers.size() != n || embeddings.length != n) {
            throw new IllegalArgumentException("ids, speakers and embeddings differ in length: " + n + ", "
                    + speakers.size() + ", " + embeddings.length);
        }
        int depth = n == 0 ? 0 : embeddings[0].length;
        for (int i = 0; i < n; i++) {
            if (embeddings[i].length != depth) {
                throw new IllegalArgumentException("embedding of '" + ids.get(i) + "' has dimension "
                        + embeddings[i].length + ", expected " + depth);
            }
        }
        return depth;
    }

    /**
     * The Euclidean norm in double, or 0 when an entry is not finite (then the sum is: squares of
     * finite floats cannot overflow a double).
     */
    static double norm(float[] x) {
        double s = 0;
        for (float v : x) {
            s += (double) v * v;
        }
        return Double.isFinite(s) ? Math.sqrt(s) : 0;
    }

    private void mineKept(float[][] embeddings, int[] kept, double[] norms, int size, int depth,
                          int[] speakerOfInput, int[][] partners, double[][] distances) {
        float[] rows = new float[size * depth];
        int[] speaker = new int[size];
        int maxSpeaker = 0;
        for (int r = 0; r < size; r++) {
            float[] x = embeddings[kept[r]];
            double norm = norms[r];
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
                SmallestPairs[] selected = new SmallestPairs[rowCount];
                for (int r = 0; r < rowCount; r++) {
                    selected[r] = new SmallestPairs(count.of(size - perSpeaker[speaker[rowFrom + r]]));
                }
                return new Selection(rowFrom, selected, speaker);
            }

            @Override
            public void close(BlockedProduct.TileSink sink) {
                Selection sel = (Selection) sink;
                for (int r = 0; r < sel.selected.length; r++) {
                    SmallestPairs h = sel.selected[r];
                    int[] idx = new int[h.kept()];
                    double[] dist = new double[idx.length];
                    h.drainAscending(idx, dist);
                    for (int k = 0; k < idx.length; k++) {
                        idx[k] = kept[idx[k]];
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

    /**
     * The smallest float {@code t} with {@code 1.0 - (double) t <= bound}: as that distance falls
     * as the dot grows, a dot's distance is at most {@code bound} exactly when the dot is at least
     * {@code t}, so the scan compares floats and converts only what it offers. (Converting every
     * dot made the scan latency-bound.) A binary search over the floats in order, as the integers
     * {@link #orderedBits}.
     */
    static float leastDot(double bound) {
        long lo = orderedBits(Float.NEGATIVE_INFINITY);
        long hi = orderedBits(Float.POSITIVE_INFINITY); // its distance, -infinity, is at most any bound
        while (lo < hi) {
            long mid = (lo + hi) >> 1;
            if (1.0 - (double) fromOrderedBits((int) mid) <= bound) {
                hi = mid;
            } else {
                lo = mid + 1;
            }
        }
        return fromOrderedBits((int) lo);
    }

    /** An int that orders non-NaN floats as their values do (-0 just below +0). */
    static int orderedBits(float f) {
        int bits = Float.floatToRawIntBits(f);
        return bits >= 0 ? bits : bits ^ Integer.MAX_VALUE;
    }

    private static float fromOrderedBits(int key) {
        return Float.intBitsToFloat(key >= 0 ? key : key ^ Integer.MAX_VALUE);
    }

    /** The smallest pairs of a run of rows, {@code selected[r]} being row {@code rowFrom + r}'s. */
    private static final class Selection implements BlockedProduct.TileSink {
        private final int rowFrom;
        private final SmallestPairs[] selected;
        private final int[] speaker;
        /** {@code leastDot} of each row's bound: the scan's threshold. */
        private final float[] leastDots;
        /** Buckets of {@link #firstThreshold}'s histogram. */
        private static final int BUCKETS = 1024;
        /** Scratch for {@link #firstThreshold}. */
        private final int[] histogram = new int[BUCKETS];
        /** Scratch: the columns of a tile row that passed the scan. */
        private int[] candidates = new int[0];

        Selection(int rowFrom, SmallestPairs[] selected, int[] speaker) {
            this.rowFrom = rowFrom;
            this.selected = selected;
            this.leastDots = new float[selected.length];
            Arrays.fill(leastDots, Float.NEGATIVE_INFINITY);
            this.speaker = speaker;
        }

        /**
         * Offers every other-speaker column that may be among a row's smallest. The scan is a
         * branch-free pass that compares the dots with the row's {@link #leastDot} and notes the
         * columns that pass; only those are converted to distances, checked for the speaker and
         * offered.
         */
        @Override
        public void tile(int rowFrom, int rowCount, int colFrom, int width, float[] dots, int offset) {
            if (candidates.length < width) {
                candidates = new int[width];
            }
            for (int r = 0; r < rowCount; r++) {
                int row = rowFrom - this.rowFrom + r;
                SmallestPairs h = selected[row];
                if (h.capacity() == 0) {
                    continue;
                }
                int s = speaker[rowFrom + r];
                int base = offset + r * width;
                float least = leastDots[row];
                float first = least == Float.NEGATIVE_INFINITY ? firstThreshold(dots, base, colFrom, width, s,
                        h.capacity()) : least;
                least = Math.max(least, first);
                int count = 0;
                for (int j = 0; j < width; j++) {
                    candidates[count] = j;
                    count += dots[base + j] >= least ? 1 : 0;
                }
                double bound = h.bound();
                for (int k = 0; k < count; k++) {
                    int col = colFrom + candidates[k];
                    if (speaker[col] != s) {
                        h.offer(1.0 - (double) dots[base + candidates[k]], col);
                    }
                }
                if (first > Float.NEGATIVE_INFINITY) {
                    h.limit(1.0 - (double) first);
                }
                if (h.bound() != bound) {
                    leastDots[row] = leastDot(h.bound());
                }
            }
        }

        /**
         * For a row's first tile, where nothing bounds it yet and a one-by-one selection would offer
         * every column: a dot that at least {@code capacity} of the tile's other-speaker columns
         * reach, close above the {@code capacity}-th largest. One pass fills a histogram of the
         * dots of unit rows, {@value #BUCKETS} equal buckets over [-1, 1]; the threshold is the
         * lower edge of the bucket that holds the {@code capacity}-th largest, less the rounding of
         * the bucket arithmetic, so every dot counted in it or above reaches it. Negative infinity
         * when the tile has no more than that many other-speaker columns (nothing to gain).
         */
        private float firstThreshold(float[] dots, int base, int colFrom, int width, int s, int capacity) {
            if (width <= capacity) {
                return Float.NEGATIVE_INFINITY;
            }
            Arrays.fill(histogram, 0);
            int others = 0;
            for (int j = 0; j < width; j++) {
                int other = speaker[colFrom + j] != s ? 1 : 0;
                histogram[bucket(dots[base + j])] += other;
                others += other;
            }
            if (others <= capacity) {
                return Float.NEGATIVE_INFINITY;
            }
            int bucket = BUCKETS - 1;
            for (int reached = histogram[bucket]; reached < capacity; reached += histogram[--bucket]) {
                // the buckets above this one hold fewer than capacity other-speaker dots
            }
            // bucket(dot) >= b implies fl(dot + 1) * (BUCKETS / 2) >= b (the product by a power of
            // two is exact), so dot >= 2 b / BUCKETS - 1 - 2^-24 (fl(dot + 1) in [0, 2) is within
            // 2^-24 of dot + 1)
            return bucket == 0 ? Float.NEGATIVE_INFINITY
                    : Math.nextDown((float) (2.0 * bucket / BUCKETS - 1.0 - 0x1p-23));
        }

        /** The histogram bucket of a dot of unit rows: {@code [-1, 1]} in {@value #BUCKETS} equal parts, clamped. */
        private static int bucket(float dot) {
            return Math.max(0, Math.min(BUCKETS - 1, (int) ((dot + 1f) * (BUCKETS / 2f))));
        }
    }
}
