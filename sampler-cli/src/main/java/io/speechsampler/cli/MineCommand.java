package io.speechsampler.cli;

import ai.djl.engine.Engine;
import ai.djl.pytorch.engine.PtEngine;
import ai.djl.pytorch.jni.JniUtils;
import io.speechsampler.api.config.ConfigException;
import io.speechsampler.api.io.KaldiVectors;
import io.speechsampler.audio.pitch.PitchTable;
import io.speechsampler.api.corpus.Corpus;
import io.speechsampler.api.corpus.CorpusReader;
import io.speechsampler.api.corpus.Utterance;
import io.speechsampler.api.io.AtomicFiles;
import io.speechsampler.hardmining.mining.EmbeddingMiner;
import io.speechsampler.hardmining.mining.HardPairTable.Format;
import io.speechsampler.hardmining.mining.MineInputs;
import io.speechsampler.hardmining.mining.HnswEmbeddingMiner;
import io.speechsampler.hardmining.mining.IvfEmbeddingMiner;
import io.speechsampler.hardmining.mining.MiningResult;
import io.speechsampler.hardmining.mining.PartnerCount;
import io.speechsampler.hardmining.mining.ScalarParameterMiner;
import io.speechsampler.lossgate.kmeans.EmbeddingMatrix;
import io.speechsampler.lossgate.kmeans.EngineKMeans;
import io.speechsampler.run.Progress;
import me.tongfei.progressbar.ProgressBar;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.function.Supplier;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code sampler mine}: global hard sample mining (Wang et al., ICASSP 2022, section 2.3). For
 * each utterance of the corpus, its hard partners are the utterances of other speakers with the
 * closest median f0, energy or x-vector: the {@code max(1, ceil(P_M * others))} of the paper
 * ({@code --fraction}) or the M nearest ({@code --partners}); the table, TSV or binary, is what the
 * {@code hard-resample} stage reads.
 */
@Command(name = "mine", header = "Global hard sample mining by pitch, x-vector or energy.", mixinStandardHelpOptions = true,
        description = {"Global hard sample mining: writes each utterance's hard partners (other speakers with the",
                "closest median f0, energy in dB or x-vector), nearest first, for the hard-resample stage: as TSV",
                "'utterance<TAB>partner<TAB>distance' or as a compact binary table (--format). Each utterance gets",
                "its M nearest (--partners M: the table grows as N x M) or max(1, ceil(P_M x others)) partners",
                "(--fraction P_M, the paper's rule: it grows as N^2), others being the mined utterances of other",
                "speakers. A pair found from both sides is in both utterances' rows. Ties: the partner earlier in",
                "the corpus first."})
final class MineCommand implements Callable<Integer> {

    /** The table's form(s) ({@link Format}). */
    enum FormatName { tsv, bin, both }

    /** The speaker parameter mined on. */
    enum By { pitch, xvector, energy }

    /** What multiplies the x-vector blocks ({@link EmbeddingMiner.Kernel}). */
    enum KernelName {
        engine(EmbeddingMiner.Kernel.ENGINE), java(EmbeddingMiner.Kernel.JAVA);

        final EmbeddingMiner.Kernel kernel;

        KernelName(EmbeddingMiner.Kernel kernel) {
            this.kernel = kernel;
        }
    }

    @Option(names = "--data", required = true, description = "corpus (Kaldi dir or JSONL manifest)")
    Path data;

    @Option(names = "--by", required = true, description = "parameter: ${COMPLETION-CANDIDATES}")
    By by;

    @Option(names = "--pitch", description = "pitch TSV from 'sampler pitch' (--by pitch); computed with YIN when absent")
    Path pitch;

    @Option(names = "--embeddings", description = "Kaldi text ark from 'sampler embed' (--by xvector)")
    Path embeddings;

    @Option(names = "--fraction", description = {"P_M in (0, 1]: each utterance's share of its other-speaker utterances,",
            "at least one (the paper used 0.02 for pitch, 0.04 for x-vectors); the table grows as N^2. Give",
            "--fraction or --partners"})
    Double fraction;

    @Option(names = "--partners", description = {"M >= 1: each utterance's M nearest other-speaker utterances; the table",
            "grows as N x M. At most the other-speaker utterances every mined utterance has. Give --partners or",
            "--fraction"})
    Integer partners;

    @Option(names = "--out", required = true, description = "hard pair table to write (.tsv, or .bin for the binary table)")
    Path out;

    @Option(names = "--format", description = {"tsv, bin or both. Default: bin when --out ends in .bin, else tsv. The",
            "binary table is about a quarter of the TSV's size and reads and writes several times faster",
            "(BENCHMARKS.md section 8); both writes OUT.tsv and OUT.bin (--out's .tsv or .bin replaced) together"})
    FormatName format;

    @Option(names = "--kernel", description = {"--by xvector: what multiplies the blocks: engine (DJL's engine: libtorch's",
            "CPU kernels, or the GPU it sees; exact up to float rounding of the dot products) or java (plain Java, bitwise",
            "the plain float loop, about 17 times slower on 2 cores, BENCHMARKS.md section 7); default engine where one is present"})
    KernelName kernel;

    @Option(names = "--threads", description = "worker threads; 0 (the default) uses every available processor",
            defaultValue = "0")
    int threads;

    /** How the x-vector partners are found. */
    enum IndexName { exact, hnsw, ivf }

    @Option(names = "--index", description = {"--by xvector: exact (every pair, the default), hnsw (an approximate",
            "nearest-neighbour graph, hnswlib: about N log N instead of N^2, for corpora past what exact mining can",
            "do; recall of the exact partners in BENCHMARKS.md section 11; with --threads 1 the table is",
            "reproducible, with more the graph is built in parallel and may differ between runs) or ivf (an",
            "inverted-file index on the engine: k-means lists, each utterance searches its --probes nearest lists,",
            "exact distances for those candidates; --probes = --lists is exact mining). hnsw and ivf need --partners"})
    IndexName index;

    @Option(names = "--lists", description = {"--index ivf: K, the k-means lists, in [1, N] (default round(sqrt(N)), N the",
            "mined utterances)"})
    Integer lists;

    @Option(names = "--probes", description = {"--index ivf: P, the lists each utterance searches, in [1, K] (default",
            "ceil(K / 8)); larger: slower (about P / K of exact mining's products), higher recall"})
    Integer probes;

    @Option(names = "--kmeans-iterations", description = {"--index ivf: k-means iterations, in [1, 1000] (default 10); k-means",
            "is fitted to at most 256 K utterances, drawn with --seed"})
    Integer kmeansIterations;

    @Option(names = "--seed", description = "--index ivf: seed of the k-means sample and seeding (default 0)")
    Long seed;

    @Option(names = "--hnsw-m", description = "--index hnsw: links per node and layer, in [2, 256] (default 16)")
    Integer hnswM;

    @Option(names = "--ef-construction", description = "--index hnsw: candidates kept while building, in [1, 100000] "
            + "(default 200; larger: slower, better graph)")
    Integer efConstruction;

    @Option(names = "--ef", description = "--index hnsw: candidates kept while searching, in [1, 100000] (default 100, "
            + "raised to each query's 2M plus its speaker's utterances; larger: slower, higher recall)")
    Integer ef;

    @Override
    public Integer call() throws IOException {
        PartnerCount count = MineInputs.partnerCount(partners, fraction);
        if (threads < 0) {
            throw new ConfigException("--threads must be at least 1 (or 0 for all processors), got " + threads);
        }
        int workers = threads == 0 ? Runtime.getRuntime().availableProcessors() : threads;
        if (by != By.xvector && embeddings != null) {
            throw new ConfigException("--embeddings is for --by xvector, not --by " + by);
        }
        if (by != By.pitch && pitch != null) {
            throw new ConfigException("--pitch is for --by pitch, not --by " + by);
        }
        if (by != By.xvector && kernel != null) {
            throw new ConfigException("--kernel is for --by xvector, not --by " + by);
        }
        boolean hnsw = index == IndexName.hnsw;
        if (by != By.xvector && index != null) {
            throw new ConfigException("--index is for --by xvector, not --by " + by);
        }
        if (!hnsw && (hnswM != null || efConstruction != null || ef != null)) {
            throw new ConfigException((hnswM != null ? "--hnsw-m" : efConstruction != null ? "--ef-construction" : "--ef")
                    + " is a setting of --index hnsw; add --index hnsw or leave it out");
        }
        if (hnsw && partners == null) {
            throw new ConfigException("--index hnsw needs --partners M (the M nearest): the paper's --fraction grows as "
                    + "N^2, which is what the graph is for avoiding");
        }
        if (hnsw && kernel != null) {
            throw new ConfigException("--kernel is for --index exact; --index hnsw computes its distances in Java");
        }
        boolean ivf = index == IndexName.ivf;
        if (!ivf && (lists != null || probes != null || kmeansIterations != null || seed != null)) {
            throw new ConfigException((lists != null ? "--lists" : probes != null ? "--probes"
                    : kmeansIterations != null ? "--kmeans-iterations" : "--seed")
                    + " is a setting of --index ivf; add --index ivf or leave it out");
        }
        if (ivf && partners == null) {
            throw new ConfigException("--index ivf needs --partners M (the M nearest): the paper's --fraction grows as "
                    + "N^2, which is what the index is for avoiding");
        }
        if (ivf && kernel != null) {
            throw new ConfigException("--kernel is for --index exact; --index ivf multiplies on the engine and "
                    + "computes its distances in Java");
        }
        if (ivf) {
            checkRange("--lists", lists, 1, Integer.MAX_VALUE);
            checkRange("--probes", probes, 1, Integer.MAX_VALUE);
            if (lists != null && probes != null && probes > lists) {
                throw new ConfigException("--probes must be in [1, --lists = " + lists + "], got " + probes);
            }
            checkRange("--kmeans-iterations", kmeansIterations, 1, 1000);
        }
        HnswEmbeddingMiner.Settings hnswSettings = null;
        if (hnsw) {
            HnswEmbeddingMiner.Settings d = HnswEmbeddingMiner.Settings.DEFAULT;
            checkRange("--hnsw-m", hnswM, 2, 256);
            checkRange("--ef-construction", efConstruction, 1, 100_000);
            checkRange("--ef", ef, 1, 100_000);
            hnswSettings = new HnswEmbeddingMiner.Settings(hnswM != null ? hnswM : d.m(),
                    efConstruction != null ? efConstruction : d.efConstruction(), ef != null ? ef : d.ef());
        }
        if (by == By.xvector && embeddings == null) {
            throw new ConfigException("--by xvector needs --embeddings FILE (a Kaldi text ark from 'sampler embed')");
        }
        Map<Path, Format> outputs = MineInputs.outputs(out, format == null ? null : format.name());
        outputs.keySet().forEach(AtomicFiles::checkTarget);
        Corpus corpus = CorpusReader.read(data);
        // before the features are computed: what the corpus itself cannot give (again below, on the mined ones)
        MineInputs.checkPartners(partners, corpus, i -> true, "");
        List<String> ids = new ArrayList<>(corpus.size());
        List<String> speakers = new ArrayList<>(corpus.size());
        for (Utterance u : corpus.utterances()) {
            ids.add(u.id());
            speakers.add(u.speaker());
        }
        MiningResult r;
        String what;
        switch (by) {
            case pitch -> {
                Map<String, Double> f0 = pitch != null ? PitchTable.read(pitch)
                        : UtteranceFeatures.medianF0(corpus.utterances(), workers);
                double[] v = MineInputs.aligned(f0, corpus, pitch, "pitch table");
                MineInputs.checkPartners(partners, corpus, i -> !Double.isNaN(v[i]), "voiced ");
                r = ScalarParameterMiner.pitch(count).mine(ids, speakers, v);
                what = "median f0 difference (Hz)";
            }
            case energy -> {
                double[] v = MineInputs.aligned(UtteranceFeatures.energyDb(corpus.utterances(), workers), corpus, null, "");
                MineInputs.checkPartners(partners, corpus, i -> !Double.isNaN(v[i]), "non-silent ");
                r = ScalarParameterMiner.energyDb(count).mine(ids, speakers, v);
                what = "energy ratio (dB)";
            }
            default -> {
                Map<String, float[]> x = KaldiVectors.read(embeddings);
                float[][] rows = new float[corpus.size()][];
                MineInputs.checkIds(x.keySet(), corpus, embeddings, "embeddings");
                for (int i = 0; i < rows.length; i++) {
                    rows[i] = x.get(ids.get(i));
                }
                // every entry is finite (KaldiVectors refuses others): a row has a direction unless all zero
                MineInputs.checkPartners(partners, corpus, i -> MineInputs.hasNonZero(rows[i]), "non-zero ");
                if (ivf) {
                    IvfEmbeddingMiner.Settings s = ivfSettings(rows);
                    r = withEngineThreads(workers, () -> IvfEmbeddingMiner.of(partners, s, kMeans(workers), workers)
                            .mine(ids, speakers, rows));
                    what = "x-vector cosine distance, IVF index K=" + s.lists() + " P=" + s.probes() + " k-means "
                            + s.iterations() + " iterations, seed " + s.seed();
                } else if (hnsw) {
                    r = mineHnsw(hnswSettings, workers, ids, speakers, rows);
                    HnswEmbeddingMiner.Settings h = hnswSettings;
                    what = "x-vector cosine distance, HNSW graph M=" + h.m() + " efConstruction=" + h.efConstruction()
                            + " ef=" + h.ef();
                } else {
                    EmbeddingMiner.Kernel k = kernel != null ? kernel.kernel : EmbeddingMiner.Kernel.byDefault();
                    EmbeddingMiner miner = EmbeddingMiner.of(count, k, k.defaultBlock(), workers);
                    r = k == EmbeddingMiner.Kernel.ENGINE
                            ? withEngineThreads(workers, () -> miner.mine(ids, speakers, rows))
                            : miner.mine(ids, speakers, rows);
                    what = "x-vector cosine distance, " + k.name().toLowerCase(Locale.ROOT) + " kernel";
                }
            }
        }
        MineInputs.writeAndReport(r, what, count, ids, corpus, data, out, outputs, excludedReason());
        return 0;
    }

    private static void checkRange(String option, Integer value, int lo, int hi) {
        if (value != null && (value < lo || value > hi)) {
            throw new ConfigException(option + " must be in [" + lo + ", " + hi + "], got " + value);
        }
    }

    /**
     * The IVF settings with the defaults resolved for the utterances that have a direction; refuses
     * {@code --lists} above them and a default {@code --probes} above {@code --lists}.
     */
    private IvfEmbeddingMiner.Settings ivfSettings(float[][] rows) {
        int n = 0;
        for (float[] x : rows) {
            n += MineInputs.hasNonZero(x) ? 1 : 0;
        }
        if (lists != null && lists > n) {
            throw new ConfigException("--lists must be in [1, " + n + "] (the non-zero x-vectors), got " + lists);
        }
        int k = lists != null ? lists : IvfEmbeddingMiner.defaultLists(n);
        int p = probes != null ? probes : IvfEmbeddingMiner.defaultProbes(k);
        if (p > k) {
            throw new ConfigException("--probes must be in [1, K = " + k + "] (the default --lists for " + n
                    + " x-vectors), got " + p);
        }
        return new IvfEmbeddingMiner.Settings(k, p, kmeansIterations != null ? kmeansIterations
                : IvfEmbeddingMiner.Settings.DEFAULT_ITERATIONS, seed != null ? seed : 0);
    }

    /** The coarse quantiser: {@link EngineKMeans} (k-means++ seeding, Lloyd's iterations on the engine). */
    private static IvfEmbeddingMiner.CoarseQuantiser kMeans(int workers) {
        return (rows, count, depth, k, iterations, rng) -> EngineKMeans.builder().setClusters(k)
                .optIterations(iterations).optThreads(workers).build()
                .fit(EmbeddingMatrix.wrap(rows, count, depth), rng).centroids();
    }

    /** The HNSW miner with a progress bar for the graph and one for the queries. */
    private MiningResult mineHnsw(HnswEmbeddingMiner.Settings settings, int workers, List<String> ids,
                                  List<String> speakers, float[][] rows) {
        ProgressBar[] bars = new ProgressBar[2];
        try {
            HnswEmbeddingMiner.Progress progress = (phase, done, total) -> {
                int k = phase.equals("index") ? 0 : 1;
                synchronized (bars) {
                    if (bars[k] == null) {
                        if (k == 1 && bars[0] != null) {
                            bars[0].close();
                        }
                        bars[k] = Progress.bar(k == 0 ? "mine: graph" : "mine: search", total, "utt");
                    }
                    bars[k].stepTo(done);
                }
            };
            return HnswEmbeddingMiner.of(partners, settings, workers, progress).mine(ids, speakers, rows);
        } finally {
            for (ProgressBar b : bars) {
                if (b != null) {
                    b.close();
                }
            }
        }
    }

    /**
     * Runs {@code mining} with libtorch's intra-op threads at {@code workers}, then restores them:
     * {@link Main} leaves a core to training's renderer, but mining only multiplies matrices.
     * libtorch keeps the count per thread once a thread has run an op, so it is set here, on the
     * thread that runs the products. Other engines keep their own setting.
     */
    private static MiningResult withEngineThreads(int workers, Supplier<MiningResult> mining) {
        if (!PtEngine.ENGINE_NAME.equals(Engine.getDefaultEngineName())) {
            return mining.get();
        }
        Engine.getEngine(PtEngine.ENGINE_NAME); // loads the native library JniUtils calls
        int before = JniUtils.getNumThreads();
        JniUtils.setNumThreads(workers);
        try {
            return mining.get();
        } finally {
            JniUtils.setNumThreads(before);
        }
    }

    private String excludedReason() {
        return by == By.pitch ? " (unvoiced: no median f0)" : by == By.energy ? " (silent)"
                : " (zero or non-finite vector)";
    }

}
