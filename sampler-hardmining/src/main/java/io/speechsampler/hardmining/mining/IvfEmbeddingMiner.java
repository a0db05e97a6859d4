package io.speechsampler.hardmining.mining;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import org.apache.commons.rng.UniformRandomProvider;
import org.apache.commons.rng.sampling.CombinationSampler;
import org.apache.commons.rng.simple.RandomSource;

/**
 * Approximate global hard sample mining on speaker embeddings through an inverted-file (IVF)
 * index (Sivic and Zisserman, "Video Google", ICCV 2003; Jegou, Douze and Schmid, "Product
 * quantization for nearest neighbor search", TPAMI 2011, section IV-A, without the product
 * quantiser): each utterance's M nearest other-speaker utterances by cosine distance, looked for
 * only in the lists its embedding is nearest to, with every candidate's distance computed exactly.
 *
 * <p>Algorithm. Rows are L2-normalised as in {@link EmbeddingMiner} (rows with a non-finite entry
 * or zero norm are excluded and reported).
 * <ol>
 *   <li>Coarse quantiser: K centroids ({@code lists}) from a {@link CoarseQuantiser} (k-means on
 *   the engine in the command line) fitted to the unit rows, or, when N exceeds {@value
 *   #SAMPLE_PER_LIST} K, to {@value #SAMPLE_PER_LIST} K of them drawn without replacement (faiss
 *   also trains on at most 256 points per centroid; more changes the centroids little and costs as
 *   much again).</li>
 *   <li>Probes: one N x K product on DJL's engine scores every row against every centroid by
 *   Euclidean nearness ({@code x.c - |c|^2 / 2}, the k-means assignment rule); each row probes its
 *   {@code probes} best, ties to the lower centroid, and belongs to the list of its best.</li>
 *   <li>Per list: the rows that probe it times its members, one engine product per list (split
 *   into chunks of about 2^22 floats); each row keeps its nearest other-speaker members.</li>
 * </ol>
 *
 * <p>Exact distances. A candidate's distance is {@code 1.0 - (double) dot}, the dot accumulated in
 * float in dimension order, bit for bit what {@link EmbeddingMiner.Kernel#JAVA} computes. The
 * engine's product only screens: each row keeps its 2M smallest (engine distance, index) pairs
 * ({@link BoundedPairHeap}); when the last of them is farther than the M-th by more than twice
 * {@link #screenMargin} (how far an engine distance can be from the Java kernel's), the exact M
 * are among them, and only those 2M get exact distances; otherwise (near-ties across the cut-off,
 * e.g. duplicated rows) every candidate of the row does. So every row gets exactly the M smallest (distance, index)
 * pairs among the members of the lists it probes, under the Java kernel's distances; only recall
 * is approximate, and with {@code probes = lists} the table equals {@link EmbeddingMiner}'s with
 * {@link EmbeddingMiner.Kernel#JAVA}, pair for pair and bit for bit. (This assumes the engine
 * multiplies in float32 with float accumulation, as libtorch does on CPU and on CUDA unless TF32
 * is switched on.) A row whose probed lists hold fewer than M other-speaker rows gets fewer
 * partners.
 *
 * <p>Cost: the quantiser, the N x K probe product, and {@code N^2 P / K} candidate dots on the
 * engine for balanced lists; memory O(N M + N d + 2^22) (a heap of 2M pairs per row). The recall at a given {@code P / K}
 * depends on how clustered the embeddings are: the less structure, the more lists must be probed
 * (BENCHMARKS.md).
 *
 * <p>Reproducibility: the sample and the quantiser's draws come from one seeded Commons RNG
 * provider ({@code XO_RO_SHI_RO_128_PP} of {@code seed}); the table is a function of the input,
 * the settings and the seed, whatever the thread count. The engine's rounding enters only the
 * choice of the probed lists (near-ties of centroid scores), so another engine or device may probe
 * another list where two centroids are that close.
 */
public final class IvfEmbeddingMiner {

    /** Rows the quantiser is fitted to per list at most (faiss's {@code max_points_per_centroid}). */
    public static final int SAMPLE_PER_LIST = 256;

    /** Floats of one engine product that the chunks aim at (16 MiB). */
    static final int TILE_FLOATS = 1 << 22;

    /**
     * Fits the coarse quantiser's centroids.
     */
    @FunctionalInterface
    public interface CoarseQuantiser {
        /**
         * {@code lists} centroids (rows of dimension {@code depth}) of the {@code count} unit rows of
         * the row-major {@code rows}, after at most {@code iterations} rounds, with random draws
         * from {@code rng} only.
         */
        double[][] centroids(float[] rows, int count, int depth, int lists, int iterations, UniformRandomProvider rng);
    }

    /**
     * The index's settings.
     *
     * @param lists      K, the number of lists, at least 1 (at most the mined rows), or 0 for
     *                   {@link #defaultLists}
     * @param probes     P, the lists each row searches, in [1, K], or 0 for {@link #defaultProbes}
     * @param iterations the quantiser's iterations, in [1, 1000]
     * @param seed       the seed of the sample's and the quantiser's draws
     */
    public record Settings(int lists, int probes, int iterations, long seed) {
        /** The default iterations: k-means on a coarse quantiser needs few (faiss's IVF default is 10). */
        public static final int DEFAULT_ITERATIONS = 10;

        /** Lists and probes by N, {@value #DEFAULT_ITERATIONS} iterations, seed 0. */
        public static final Settings DEFAULT = new Settings(0, 0, DEFAULT_ITERATIONS, 0);

        public Settings {
            if (lists < 0) {
                throw new IllegalArgumentException("lists is not at least 1 (or 0 for the default): " + lists);
            }
            if (probes < 0 || lists > 0 && probes > lists) {
                throw new IllegalArgumentException("probes is not in [1, lists = " + (lists > 0 ? lists : "K")
                        + "] (or 0 for the default): " + probes);
            }
            if (iterations < 1 || iterations > 1000) {
                throw new IllegalArgumentException("iterations is not in [1, 1000]: " + iterations);
            }
        }
    }

    /**
     * K for N mined rows when none is given: {@code round(sqrt(N))}, at least 1. The probe product
     * costs N K d and a list's candidate products N/K members per probing row, so sqrt(N) balances
     * the two and keeps the quantiser (on {@value #SAMPLE_PER_LIST} K rows) at O(N d) per iteration.
     */
    public static int defaultLists(int n) {
        return Math.max(1, (int) Math.round(Math.sqrt(n)));
    }

    /** P for K lists when none is given: {@code ceil(K / 8)}, an eighth of the candidates of exact mining. */
    public static int defaultProbes(int lists) {
        return Math.max(1, (lists + 7) / 8);
    }

    private final int partners;
    private final Settings settings;
    private final CoarseQuantiser quantiser;
    private final int threads;

    private IvfEmbeddingMiner(int partners, Settings settings, CoarseQuantiser quantiser, int threads) {
        this.partners = partners;
        this.settings = settings;
        this.quantiser = quantiser;
        this.threads = threads;
    }

    /**
     * @param partners M >= 1: each utterance's M nearest other-speaker utterances among its probed lists
     * @param threads  Java threads for the selection, at least 1 (the engine's threads are its own
     *                 setting); does not change the result
     */
    public static IvfEmbeddingMiner of(int partners, Settings settings, CoarseQuantiser quantiser, int threads) {
        if (partners < 1) {
            throw new IllegalArgumentException("partners is not at least 1: " + partners);
        }
        if (threads < 1) {
            throw new IllegalArgumentException("threads is not at least 1: " + threads);
        }
        return new IvfEmbeddingMiner(partners, Objects.requireNonNull(settings, "settings"),
                Objects.requireNonNull(quantiser, "quantiser"), threads);
    }

    public Settings settings() {
        return settings;
    }

    /**
     * Mines utterances {@code ids} with speakers {@code speakers} and embeddings {@code embeddings}
     * (index-aligned, all rows of one dimension); the input order breaks ties.
     *
     * @throws IllegalArgumentException when {@code lists} exceeds the mined rows
     */
    public MiningResult mine(List<String> ids, List<String> speakers, float[][] embeddings) {
        int n = ids.size();
        int depth = EmbeddingMiner.checkAligned(ids, speakers, embeddings);
        int[] speakerOfInput = ScalarParameterMiner.SpeakerCodes.encode(speakers);
        List<String> excluded = new ArrayList<>();
        int[] kept = new int[n];
        double[] norms = new double[n];
        int size = 0;
        for (int i = 0; i < n; i++) {
            double norm = EmbeddingMiner.norm(embeddings[i]);
            if (norm > 0) {
                norms[size] = norm;
                kept[size++] = i;
            } else {
                excluded.add(ids.get(i));
            }
        }
        int[][] found = new int[n][];
        double[][] distances = new double[n][];
        Arrays.fill(found, new int[0]);
        Arrays.fill(distances, new double[0]);
        if (size > 0) {
            EmbeddingMiner.checkShape(size, depth, 1, threads);
            int lists = settings.lists() > 0 ? settings.lists() : defaultLists(size);
            if (lists > size) {
                throw new IllegalArgumentException("lists (K) exceeds the mined rows: " + lists + " > " + size);
            }
            int probes = settings.probes() > 0 ? settings.probes() : defaultProbes(lists);
            if (probes > lists) {
                throw new IllegalArgumentException("probes is not in [1, lists = " + lists + "]: " + probes);
            }
            float[] rows = new float[size * depth];
            int[] speaker = new int[size];
            int maxSpeaker = 0;
            for (int r = 0; r < size; r++) {
                float[] x = embeddings[kept[r]];
                for (int k = 0; k < depth; k++) {
                    rows[r * depth + k] = (float) (x[k] / norms[r]);
                }
                speaker[r] = speakerOfInput[kept[r]];
                maxSpeaker = Math.max(maxSpeaker, speaker[r] + 1);
            }
            int[] perSpeaker = new int[maxSpeaker];
            for (int s : speaker) {
                perSpeaker[s]++;
            }
            float[][] centroids = centroids(rows, size, depth, lists);
            ExecutorService pool = threads > 1 ? BlockedProduct.pool(threads) : null;
            try (NDManager manager = NDManager.newBaseManager()) {
                int[][] probed = probe(manager, rows, size, depth, centroids, probes, pool);
                BoundedPairHeap[] heaps = new BoundedPairHeap[size];
                for (int r = 0; r < size; r++) {
                    int others = size - perSpeaker[speaker[r]];
                    heaps[r] = new BoundedPairHeap(Math.min(others, 2 * partners));
                }
                int[][] members = members(probed, lists);
                search(manager, rows, depth, speaker, probed, members, heaps, pool);
                int mined = size;
                forSlices(mined, pool, (r0, r1) -> {
                    for (int r = r0; r < r1; r++) {
                        int others = mined - perSpeaker[speaker[r]];
                        Exact e = refine(rows, depth, speaker, r, heaps[r], Math.min(partners, others), others,
                                probed[r], members);
                        heaps[r] = null;
                        for (int k = 0; k < e.partners.length; k++) {
                            e.partners[k] = kept[e.partners[k]];
                        }
                        found[kept[r]] = e.partners;
                        distances[kept[r]] = e.distances;
                    }
                });
            } finally {
                if (pool != null) {
                    pool.shutdownNow();
                }
            }
        }
        return new MiningResult(HardPairTable.adopt(ids, found, distances), excluded);
    }

    /** The quantiser's centroids, fitted to every row or to a seeded sample of {@value #SAMPLE_PER_LIST} K rows. */
    private float[][] centroids(float[] rows, int size, int depth, int lists) {
        UniformRandomProvider rng = RandomSource.XO_RO_SHI_RO_128_PP.create(settings.seed());
        float[] training = rows;
        int count = size;
        long cap = (long) SAMPLE_PER_LIST * lists;
        if (size > cap) {
            count = (int) cap;
            int[] chosen = sample(size, count, rng);
            training = new float[count * depth];
            for (int s = 0; s < count; s++) {
                System.arraycopy(rows, chosen[s] * depth, training, s * depth, depth);
            }
        }
        double[][] fitted = quantiser.centroids(training, count, depth, lists, settings.iterations(), rng);
        if (fitted == null || fitted.length != lists) {
            throw new IllegalStateException("the quantiser gave " + (fitted == null ? 0 : fitted.length)
                    + " centroids for " + lists + " lists");
        }
        float[][] c = new float[lists][depth];
        for (int k = 0; k < lists; k++) {
            for (int j = 0; j < depth; j++) {
                c[k][j] = (float) fitted[k][j];
            }
        }
        return c;
    }

    /**
     * {@code count} distinct rows of {@code [0, size)}, ascending: Commons RNG's
     * {@code CombinationSampler} (a partial Fisher-Yates shuffle), then sorted.
     */
    public static int[] sample(int size, int count, UniformRandomProvider rng) {
        if (count <= 0) {
            return new int[0];
        }
        int[] chosen = new CombinationSampler(rng, size, count).sample();
        Arrays.sort(chosen);
        return chosen;
    }

    /**
     * Every row's probed lists, best first (its own list, the best, at [0]): blocks of rows times
     * the centroids on the engine, {@code probes} largest scores {@code x.c - |c|^2 / 2} per row,
     * ties to the lower centroid.
     */
    private int[][] probe(NDManager manager, float[] rows, int size, int depth, float[][] centroids,
                                 int probes, ExecutorService pool) {
        int lists = centroids.length;
        float[] flat = new float[lists * depth];
        float[] half = new float[lists];
        for (int k = 0; k < lists; k++) {
            System.arraycopy(centroids[k], 0, flat, k * depth, depth);
            double s = 0;
            for (float v : centroids[k]) {
                s += (double) v * v;
            }
            half[k] = (float) (s / 2);
        }
        int[][] probed = new int[size][];
        int block = Math.max(1, Math.min(size, TILE_FLOATS / lists));
        float[] scores = new float[block * lists];
        try (NDManager sub = manager.newSubManager()) {
            NDArray c = sub.create(flat, new Shape(lists, depth)).transpose();
            for (int from = 0; from < size; from += block) {
                int count = Math.min(block, size - from);
                multiply(sub, rows, from, count, depth, c, scores);
                int rowFrom = from;
                forSlices(count, pool, (r0, r1) -> {
                    for (int r = r0; r < r1; r++) {
                        BoundedPairHeap best = new BoundedPairHeap(probes);
                        int base = r * lists;
                        for (int k = 0; k < lists; k++) {
                            best.offer(-(double) (scores[base + k] - half[k]), k);
                        }
                        int[] idx = new int[probes];
                        best.drainAscending(idx, new double[probes]);
                        probed[rowFrom + r] = idx;
                    }
                });
            }
        }
        return probed;
    }

    /** Each list's members, ascending: the rows whose best list it is. */
    private static int[][] members(int[][] probed, int lists) {
        int[] count = new int[lists];
        for (int[] p : probed) {
            count[p[0]]++;
        }
        int[][] members = new int[lists][];
        for (int c = 0; c < lists; c++) {
            members[c] = new int[count[c]];
        }
        Arrays.fill(count, 0);
        for (int r = 0; r < probed.length; r++) {
            int own = probed[r][0];
            members[own][count[own]++] = r;
        }
        return members;
    }

    /**
     * For each list, its queries (the rows that probe it, ascending) in chunks times its members on
     * the engine; each query's heap keeps the smallest (engine distance, index) pairs of
     * other-speaker members.
     */
    private void search(NDManager manager, float[] rows, int depth, int[] speaker, int[][] probed, int[][] members,
                        BoundedPairHeap[] heaps, ExecutorService pool) {
        int lists = members.length;
        int[] queryCount = new int[lists];
        for (int[] p : probed) {
            for (int c : p) {
                queryCount[c]++;
            }
        }
        int[][] queries = new int[lists][];
        for (int c = 0; c < lists; c++) {
            queries[c] = new int[queryCount[c]];
        }
        Arrays.fill(queryCount, 0);
        for (int r = 0; r < probed.length; r++) {
            for (int c : probed[r]) {
                queries[c][queryCount[c]++] = r;
            }
        }
        float[] dots = new float[0];
        for (int c = 0; c < lists; c++) {
            int[] m = members[c];
            int[] q = queries[c];
            if (m.length == 0 || q.length == 0) {
                continue;
            }
            int chunk = Math.max(1, Math.min(q.length, TILE_FLOATS / m.length));
            if (dots.length < chunk * m.length) {
                dots = new float[chunk * m.length];
            }
            float[] tile = dots;
            try (NDManager sub = manager.newSubManager()) {
                NDArray panel = sub.create(gather(rows, depth, m, 0, m.length), new Shape(m.length, depth)).transpose();
                for (int from = 0; from < q.length; from += chunk) {
                    int count = Math.min(chunk, q.length - from);
                    float[] queryRows = gather(rows, depth, q, from, count);
                    try (NDManager part = sub.newSubManager()) {
                        NDArray product = part.create(queryRows, new Shape(count, depth)).matMul(panel);
                        product.toByteBuffer(true).asFloatBuffer().get(tile, 0, count * m.length);
                    }
                    int queryFrom = from;
                    forSlices(count, pool, (r0, r1) -> {
                        for (int r = r0; r < r1; r++) {
                            int query = q[queryFrom + r];
                            BoundedPairHeap h = heaps[query];
                            if (h.capacity() == 0) {
                                continue;
                            }
                            int s = speaker[query];
                            int base = r * m.length;
                            // 1 - dot <= bound as a bound on the dot, a little low (-infinity while the heap fills)
                            double leastDot = 1.0 - h.bound() - 0x1p-40;
                            for (int j = 0; j < m.length; j++) {
                                int member = m[j];
                                if (tile[base + j] >= leastDot && speaker[member] != s) {
                                    h.offer(1.0 - (double) tile[base + j], member);
                                    leastDot = 1.0 - h.bound() - 0x1p-40;
                                }
                            }
                        }
                    });
                }
            }
        }
    }

    /** A row's partners (indexes of kept rows) and their distances, nearest first. */
    private record Exact(int[] partners, double[] distances) {
    }

    /**
     * A row's {@code want} smallest (exact distance, index) pairs among its candidates, from the
     * {@code heap} of its smallest (engine distance, index) pairs, {@code 2 M} of them (or all its
     * {@code others}): when the heap holds every candidate, or its last engine distance B exceeds its
     * {@code want}-th b by more than twice {@link #screenMargin}, every candidate outside has an exact
     * distance of at least {@code B - margin > b + margin}, above those of the heap's {@code want}
     * nearest, so the exact {@code want} are in the heap and only the heap's pairs get exact
     * distances. Otherwise (near-ties across the cut-off, e.g. duplicated rows) every candidate of
     * the row's probed lists gets one.
     */
    private static Exact refine(float[] rows, int depth, int[] speaker, int row, BoundedPairHeap heap, int want,
                                int others, int[] probedLists, int[][] members) {
        int kept = heap.kept();
        int[] idx = new int[kept];
        double[] engine = new double[kept];
        heap.drainAscending(idx, engine);
        BoundedPairHeap exact = new BoundedPairHeap(want);
        boolean all = kept < heap.capacity() || heap.capacity() == others;
        if (all || want == 0 || engine[kept - 1] - engine[want - 1] > 2 * screenMargin(depth)) {
            for (int k = 0; k < kept; k++) {
                exact.offer(1.0 - (double) dot(rows, depth, row, idx[k]), idx[k]);
            }
        } else {
            int s = speaker[row];
            for (int c : probedLists) {
                for (int member : members[c]) {
                    if (speaker[member] != s) {
                        exact.offer(1.0 - (double) dot(rows, depth, row, member), member);
                    }
                }
            }
        }
        int[] partners = new int[exact.kept()];
        double[] distances = new double[partners.length];
        exact.drainAscending(partners, distances);
        return new Exact(partners, distances);
    }

    /**
     * How far an engine distance may lie from the Java kernel's for unit rows of dimension {@code
     * depth}: each float dot is within {@code gamma_d = d u / (1 - d u)} (u = 2^-24) of the exact
     * one (Higham, "Accuracy and Stability of Numerical Algorithms", 2002, section 3.1; blocked or
     * fused summation only tightens it), so two are within twice that; 1% more and 2^-20 cover the
     * rows' norms, within a few ulps of 1.
     */
    static double screenMargin(int depth) {
        double du = depth * 0x1p-24;
        return 2.02 * du / (1 - du) + 0x1p-20;
    }

    /** The plain float dot of rows {@code a} and {@code b}, in dimension order, as {@link BlockedDotKernel}. */
    private static float dot(float[] rows, int depth, int a, int b) {
        float s = 0f;
        int pa = a * depth;
        int pb = b * depth;
        for (int k = 0; k < depth; k++) {
            s += rows[pa + k] * rows[pb + k];
        }
        return s;
    }

    private static float[] gather(float[] rows, int depth, int[] which, int from, int count) {
        float[] out = new float[count * depth];
        for (int r = 0; r < count; r++) {
            System.arraycopy(rows, which[from + r] * depth, out, r * depth, depth);
        }
        return out;
    }

    /** {@code into[r * width + j]} = row {@code from + r} of {@code rows} times column j of {@code right}. */
    private static void multiply(NDManager manager, float[] rows, int from, int count, int depth, NDArray right,
                                 float[] into) {
        float[] left = Arrays.copyOfRange(rows, from * depth, (from + count) * depth);
        try (NDManager part = manager.newSubManager()) {
            NDArray product = part.create(left, new Shape(count, depth)).matMul(right);
            product.toByteBuffer(true).asFloatBuffer().get(into, 0, count * (int) right.getShape().get(1));
        }
    }

    /** Work on rows {@code [r0, r1)}. */
    private interface SliceWork {
        void run(int r0, int r1);
    }

    /** Runs {@code work} over {@code [0, count)} in one slice per pool thread (or here, without a pool). */
    private void forSlices(int count, ExecutorService pool, SliceWork work) {
        if (pool == null || count < 64) {
            work.run(0, count);
            return;
        }
        int slices = Math.min(count, threads);
        List<Future<?>> futures = new ArrayList<>(slices);
        for (int s = 0; s < slices; s++) {
            int r0 = (int) ((long) count * s / slices);
            int r1 = (int) ((long) count * (s + 1) / slices);
            futures.add(pool.submit(() -> work.run(r0, r1)));
        }
        BlockedProduct.join(futures);
    }
}
