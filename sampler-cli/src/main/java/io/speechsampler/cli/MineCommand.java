package io.speechsampler.cli;

import ai.djl.engine.Engine;
import ai.djl.pytorch.engine.PtEngine;
import ai.djl.pytorch.jni.JniUtils;
import io.speechsampler.api.config.ConfigException;
import io.speechsampler.api.corpus.Corpus;
import io.speechsampler.api.corpus.CorpusReader;
import io.speechsampler.api.corpus.Utterance;
import io.speechsampler.api.io.AtomicFiles;
import io.speechsampler.hardmining.mining.EmbeddingMiner;
import io.speechsampler.hardmining.mining.MiningResult;
import io.speechsampler.hardmining.mining.ScalarParameterMiner;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.function.Supplier;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code sampler mine}: global hard sample mining (Wang et al., ICASSP 2022, section 2.3). For
 * each utterance of the corpus, its hard partners are the {@code max(1, ceil(P_M * others))}
 * utterances of other speakers with the closest median f0, energy or x-vector; the table is what
 * the {@code hard-resample} stage reads.
 */
@Command(name = "mine", header = "Global hard sample mining by pitch, x-vector or energy.", mixinStandardHelpOptions = true,
        description = {"Global hard sample mining: writes each utterance's hard partners (other speakers with the",
                "closest median f0, energy in dB or x-vector) as TSV 'utterance<TAB>partner<TAB>distance',",
                "nearest first, for the hard-resample stage. Each utterance gets max(1, ceil(P_M x others))",
                "partners, others being the mined utterances of other speakers."})
final class MineCommand implements Callable<Integer> {

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

    @Option(names = "--fraction", required = true, description = "P_M in (0, 1]: the paper used 0.02 (pitch), 0.04 (x-vector)")
    double fraction;

    @Option(names = "--out", required = true, description = "hard pair table to write (TSV)")
    Path out;

    @Option(names = "--kernel", description = {"--by xvector: what multiplies the blocks: engine (DJL's engine: libtorch's",
            "CPU kernels, or the GPU it sees; exact up to float rounding of the dot products) or java (plain Java, bitwise",
            "the plain float loop, about 17 times slower on 2 cores, BENCHMARKS.md section 7); default engine where one is present"})
    KernelName kernel;

    @Option(names = "--threads", description = "worker threads; 0 (the default) uses every available processor",
            defaultValue = "0")
    int threads;

    @Override
    public Integer call() throws IOException {
        if (!(fraction > 0 && fraction <= 1)) {
            throw new ConfigException("--fraction (P_M) must be in (0, 1], got " + fraction);
        }
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
        if (by == By.xvector && embeddings == null) {
            throw new ConfigException("--by xvector needs --embeddings FILE (a Kaldi text ark from 'sampler embed')");
        }
        AtomicFiles.checkTarget(out);
        Corpus corpus = CorpusReader.read(data);
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
                double[] v = aligned(f0, corpus, pitch, "pitch table");
                r = ScalarParameterMiner.pitch(fraction).mine(ids, speakers, v);
                what = "median f0 difference (Hz)";
            }
            case energy -> {
                double[] v = aligned(UtteranceFeatures.energyDb(corpus.utterances(), workers), corpus, null, "");
                r = ScalarParameterMiner.energyDb(fraction).mine(ids, speakers, v);
                what = "energy ratio (dB)";
            }
            default -> {
                Map<String, float[]> x = KaldiVectors.read(embeddings);
                float[][] rows = new float[corpus.size()][];
                checkIds(x.keySet(), corpus, embeddings, "embeddings");
                for (int i = 0; i < rows.length; i++) {
                    rows[i] = x.get(ids.get(i));
                }
                EmbeddingMiner.Kernel k = kernel != null ? kernel.kernel : EmbeddingMiner.Kernel.byDefault();
                EmbeddingMiner miner = EmbeddingMiner.of(fraction, k, k.defaultBlock(), workers);
                r = k == EmbeddingMiner.Kernel.ENGINE ? withEngineThreads(workers, () -> miner.mine(ids, speakers, rows))
                        : miner.mine(ids, speakers, rows);
                what = "x-vector cosine distance, " + k.name().toLowerCase(Locale.ROOT) + " kernel";
            }
        }
        if (r.table().pairCount() == 0) {
            // an empty table is refused by hard-resample; better to say why here than write it
            throw new ConfigException(data + ": no hard pairs (" + what + ") to write to " + out + ": "
                    + r.excluded().size() + " of " + corpus.size() + " utterances excluded" + excludedReason()
                    + "; expected utterances of at least two speakers that can be compared");
        }
        r.table().write(out);
        long withPartners = ids.stream().filter(r.table()::hasPartners).count();
        System.out.printf(Locale.ROOT, "mine: %d hard pairs (%s, P_M %s) for %d of %d utterances written to %s%n",
                r.table().pairCount(), what, fraction, withPartners, corpus.size(), out);
        System.out.printf(Locale.ROOT, "mine: %d excluded%s%n", r.excluded().size(), r.excluded().isEmpty() ? ""
                : excludedReason());
        return 0;
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

    /** The values in corpus order; every corpus utterance must have one and every id must be in the corpus. */
    private static double[] aligned(Map<String, Double> values, Corpus corpus, Path file, String what) {
        if (file != null) {
            checkIds(values.keySet(), corpus, file, what);
        }
        double[] v = new double[corpus.size()];
        for (int i = 0; i < v.length; i++) {
            v[i] = values.get(corpus.get(i).id());
        }
        return v;
    }

    private static void checkIds(Set<String> ids, Corpus corpus, Path file, String what) {
        for (String id : ids) {
            if (corpus.indexOf(id).isEmpty()) {
                throw new ConfigException(file + ": utterance '" + id + "' is not in the corpus " + corpus.source()
                        + "; expected " + what + " of that corpus");
            }
        }
        if (ids.size() < corpus.size()) {
            String missing = corpus.utterances().stream().map(Utterance::id).filter(id -> !ids.contains(id))
                    .findFirst().orElseThrow();
            throw new ConfigException(file + ": no entry for " + (corpus.size() - ids.size()) + " of the corpus's "
                    + corpus.size() + " utterances (e.g. '" + missing + "'); expected one per utterance");
        }
    }
}
