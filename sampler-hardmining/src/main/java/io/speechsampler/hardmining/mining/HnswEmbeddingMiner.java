package io.speechsampler.hardmining.mining;

import com.github.jelmerk.knn.DistanceFunctions;
import com.github.jelmerk.knn.Item;
import com.github.jelmerk.knn.SearchResult;
import com.github.jelmerk.knn.hnsw.HnswIndex;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Approximate global hard sample mining on speaker embeddings: each utterance's M nearest
 * other-speaker utterances by cosine distance, found through an HNSW graph (Malkov and Yashunin,
 * "Efficient and robust approximate nearest neighbor search using Hierarchical Navigable Small
 * World graphs", TPAMI 2020; the index is {@code com.github.jelmerk:hnswlib-core}) instead of
 * against every other row as {@link EmbeddingMiner} does. Time about O(N log N) instead of
 * O(N^2); the price is recall: some of a row's exact M partners may be missed and replaced by
 * farther ones (measured in BENCHMARKS.md, section 11).
 *
 * <p>Rows are L2-normalised as in {@link EmbeddingMiner} (rows with a non-finite entry or zero norm
 * are excluded and reported) and indexed by inner product. A row of speaker {@code s} asks the
 * graph for its {@code M + U_s} nearest, {@code U_s} being that speaker's rows (itself included),
 * because its nearest rows are mostly its own speaker's, and M more, so that candidates tied at
 * the cut-off are seen together; of the other-speaker ones the nearest M are kept. Each kept pair's distance is recomputed as {@code 1.0 - (double) dot} with the
 * dot accumulated in float in dimension order (as {@link EmbeddingMiner.Kernel#JAVA}), and a row's
 * partners are ordered by (distance, input index), as the exact miners order them.
 *
 * <p>Reproducibility: the graph's levels come from the ids (hashes, no random stream), so a
 * graph built on one thread is a function of the input and the settings, and so is the table.
 * Built on several threads, insertions race and the graph (hence the table) may differ between
 * runs; the queries never depend on the thread count.
 */
public final class HnswEmbeddingMiner {

    /**
     * The graph's settings.
     *
     * @param m              links per node and layer (the graph's degree; 2M on the bottom layer), in [2, 256]
     * @param efConstruction candidates kept while inserting, in [1, 100000]: larger builds slower and better
     * @param ef             candidates kept while searching, in [1, 100000], and at least each query's
     *                       2M + U_s (raised to it per query): larger searches slower and finds more
     */
    public record Settings(int m, int efConstruction, int ef) {
        /** M = 16, efConstruction = 200, ef = 100. */
        public static final Settings DEFAULT = new Settings(16, 200, 100);

        public Settings {
            range("m", m, 2, 256);
            range("efConstruction", efConstruction, 1, 100_000);
            range("ef", ef, 1, 100_000);
        }

        private static void range(String name, int v, int lo, int hi) {
            if (v < lo || v > hi) {
                throw new IllegalArgumentException(name + " is not in [" + lo + ", " + hi + "]: " + v);
            }
        }
    }

    /** Told as the graph grows and as rows are queried. */
    public interface Progress {
        Progress NONE = (phase, done, total) -> { };

        /** {@code done} of {@code total} rows of {@code phase} ("index" or "search") are finished. */
        void update(String phase, long done, long total);
    }

    private final int partners;
    private final Settings settings;
    private final int threads;
    private final Progress progress;

    private HnswEmbeddingMiner(int partners, Settings settings, int threads, Progress progress) {
        this.partners = partners;
        this.settings = settings;
        this.threads = threads;
        this.progress = progress;
    }

    /**
     * @param partners M >= 1: each utterance's M nearest other-speaker utterances (fewer where it has fewer)
     * @param threads  at least 1; more than 1 builds the graph in parallel (see the class comment)
     */
    public static HnswEmbeddingMiner of(int partners, Settings settings, int threads, Progress progress) {
        if (partners < 1) {
            throw new IllegalArgumentException("partners is not at least 1: " + partners);
        }
        if (threads < 1) {
            throw new IllegalArgumentException("threads is not at least 1: " + threads);
        }
        return new HnswEmbeddingMiner(partners, Objects.requireNonNull(settings, "settings"), threads,
                Objects.requireNonNull(progress, "progress"));
    }

    public Settings settings() {
        return settings;
    }

    /**
     * Mines utterances {@code ids} with speakers {@code speakers} and embeddings {@code embeddings}
     * (index-aligned, all rows of one dimension).
     */
    public MiningResult mine(List<String> ids, List<String> speakers, float[][] embeddings) {
        int n = ids.size();
        int depth = EmbeddingMiner.checkAligned(ids, speakers, embeddings);
        int[] speakerOfInput = ScalarParameterMiner.SpeakerCodes.encode(speakers);
        List<String> excluded = new ArrayList<>();
        List<Row> rows = new ArrayList<>(n);
        int maxSpeaker = 0;
        for (int i = 0; i < n; i++) {
            double norm = EmbeddingMiner.norm(embeddings[i]);
            if (norm > 0) {
                float[] unit = new float[depth];
                for (int k = 0; k < depth; k++) {
                    unit[k] = (float) (embeddings[i][k] / norm);
                }
                rows.add(new Row(i, unit));
                maxSpeaker = Math.max(maxSpeaker, speakerOfInput[i] + 1);
            } else {
                excluded.add(ids.get(i));
            }
        }
        int[][] found = new int[n][];
        double[][] distances = new double[n][];
        Arrays.fill(found, new int[0]);
        Arrays.fill(distances, new double[0]);
        if (!rows.isEmpty()) {
            int[] perSpeaker = new int[maxSpeaker];
            for (Row r : rows) {
                perSpeaker[speakerOfInput[r.index]]++;
            }
            HnswIndex<Integer, float[], Row, Float> index = build(rows, depth);
            search(index, rows, speakerOfInput, perSpeaker, found, distances);
        }
        return new MiningResult(HardPairTable.adopt(ids, found, distances), excluded);
    }

    private HnswIndex<Integer, float[], Row, Float> build(List<Row> rows, int depth) {
        HnswIndex<Integer, float[], Row, Float> index = HnswIndex
                .newBuilder(depth, DistanceFunctions.FLOAT_INNER_PRODUCT, rows.size())
                .withM(settings.m()).withEfConstruction(settings.efConstruction()).withEf(settings.ef()).build();
        long total = rows.size();
        try {
            index.addAll(rows, threads, (done, max) -> progress.update("index", done, total),
                    Math.max(1, rows.size() / 100));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while building the HNSW graph", e);
        }
        progress.update("index", total, total);
        return index;
    }

    private void search(HnswIndex<Integer, float[], Row, Float> index, List<Row> rows, int[] speakerOfInput,
                        int[] perSpeaker, int[][] found, double[][] distances) {
        int size = rows.size();
        AtomicLong done = new AtomicLong();
        int chunk = 256;
        ExecutorService pool = Executors.newFixedThreadPool(threads, r -> {
            Thread t = new Thread(r, "hnsw-search");
            t.setDaemon(true);
            return t;
        });
        try {
            List<Future<?>> work = new ArrayList<>();
            for (int from = 0; from < size; from += chunk) {
                int start = from;
                int end = Math.min(size, from + chunk);
                work.add(pool.submit(() -> {
                    for (int k = start; k < end; k++) {
                        Row row = rows.get(k);
                        int s = speakerOfInput[row.index];
                        int want = Math.min(partners, size - perSpeaker[s]);
                        query(index, row, s, want, perSpeaker[s], speakerOfInput, found, distances);
                    }
                    progress.update("search", done.addAndGet(end - start), size);
                }));
            }
            for (Future<?> f : work) {
                f.get();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while searching the HNSW graph", e);
        } catch (java.util.concurrent.ExecutionException e) {
            if (e.getCause() instanceof RuntimeException r) {
                throw r;
            }
            throw new IllegalStateException(e.getCause());
        } finally {
            pool.shutdownNow();
        }
    }

    private static void query(HnswIndex<Integer, float[], Row, Float> index, Row row, int speaker, int want,
                              int sameSpeaker, int[] speakerOfInput, int[][] found, double[][] distances) {
        if (want <= 0) {
            return;
        }
        // M more than needed, so that candidates tied at the cut-off are all seen and the input
        // order decides between them, as in the exact miners
        List<SearchResult<Row, Float>> near = index.findNearest(row.unit, 2 * want + sameSpeaker);
        int[] idx = new int[near.size()];
        double[] dist = new double[near.size()];
        int kept = 0;
        for (SearchResult<Row, Float> r : near) {
            Row other = r.item();
            if (speakerOfInput[other.index] != speaker) {
                idx[kept] = other.index;
                dist[kept++] = 1.0 - (double) dot(row.unit, other.unit);
            }
        }
        // (distance, input index) ascending, as the exact miners order a row
        Integer[] order = new Integer[kept];
        for (int k = 0; k < kept; k++) {
            order[k] = k;
        }
        Arrays.sort(order, (a, b) -> {
            int c = Double.compare(dist[a], dist[b]);
            return c != 0 ? c : Integer.compare(idx[a], idx[b]);
        });
        int n = Math.min(kept, want);
        int[] sortedIdx = new int[n];
        double[] sortedDist = new double[n];
        for (int k = 0; k < n; k++) {
            sortedIdx[k] = idx[order[k]];
            sortedDist[k] = dist[order[k]];
        }
        found[row.index] = sortedIdx;
        distances[row.index] = sortedDist;
    }

    /** The float dot in dimension order. */
    private static float dot(float[] a, float[] b) {
        float s = 0;
        for (int k = 0; k < a.length; k++) {
            s += a[k] * b[k];
        }
        return s;
    }

    /** A normalised row, by input index. */
    private record Row(int index, float[] unit) implements Item<Integer, float[]> {
        @Override
        public Integer id() {
            return index;
        }

        @Override
        public float[] vector() {
            return unit;
        }

        @Override
        public int dimensions() {
            return unit.length;
        }
    }
}
