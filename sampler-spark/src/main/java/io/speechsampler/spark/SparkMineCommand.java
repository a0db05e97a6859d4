package io.speechsampler.spark;

import io.speechsampler.api.config.ConfigException;
import io.speechsampler.api.corpus.Corpus;
import io.speechsampler.api.corpus.CorpusReader;
import io.speechsampler.api.corpus.Utterance;
import io.speechsampler.api.io.AtomicFiles;
import io.speechsampler.api.io.KaldiVectors;
import io.speechsampler.audio.pitch.PitchStats;
import io.speechsampler.audio.pitch.PitchTable;
import io.speechsampler.hardmining.mining.EmbeddingMiner;
import io.speechsampler.hardmining.mining.MineInputs;
import io.speechsampler.hardmining.mining.HardPairTable.Format;
import io.speechsampler.hardmining.mining.MiningResult;
import io.speechsampler.hardmining.mining.PartnerCount;
import io.speechsampler.hardmining.mining.ScalarParameterMiner;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code sampler-spark mine}: {@code sampler mine --by pitch|xvector} (exact) as a Spark job, the
 * same table pair for pair. By pitch, the pitch of every utterance is computed on Spark (unless
 * {@code --pitch} gives the table) and the O(N log N + N M) sweep of {@link ScalarParameterMiner}
 * runs on the driver, the same code as on one machine. By x-vector, the O(N^2 D) products are
 * Spark tasks, one per tile ({@link SparkXvectorMining}).
 */
@Command(name = "mine", mixinStandardHelpOptions = true, header = "Exact global hard sample mining by pitch or "
        + "x-vector (Spark).",
        description = {"As 'sampler mine --by pitch|xvector' (exact): each utterance's hard partners (other speakers",
                "with the closest median f0 or x-vector), nearest first, as TSV 'utterance<TAB>partner<TAB>distance'",
                "or the binary table; the M nearest (--partners M) or max(1, ceil(P_M x others)) (--fraction P_M).",
                "Ties: the partner earlier in the corpus first."})
final class SparkMineCommand implements Callable<Integer> {

    /** The speaker parameter mined on. */
    enum By { pitch, xvector }

    /** The table's form(s). */
    enum FormatName { tsv, bin, both }

    /** What multiplies the x-vector tiles. */
    enum KernelName { engine, java }

    @Option(names = "--data", required = true, description = "corpus (Kaldi dir or JSONL manifest)")
    Path data;

    @Option(names = "--by", required = true, description = "parameter: ${COMPLETION-CANDIDATES}")
    By by;

    @Option(names = "--pitch", description = "pitch TSV from 'sampler pitch' (--by pitch); computed on Spark when absent")
    Path pitch;

    @Option(names = "--embeddings", description = "Kaldi text ark from 'sampler embed' (--by xvector)")
    Path embeddings;

    @Option(names = "--fraction", description = "P_M in (0, 1] (the table grows as N^2); give --fraction or --partners")
    Double fraction;

    @Option(names = "--partners", description = "M >= 1: each utterance's M nearest; give --partners or --fraction")
    Integer partners;

    @Option(names = "--out", required = true, description = "hard pair table to write (.tsv, or .bin for the binary table)")
    Path out;

    @Option(names = "--format", description = "tsv, bin or both (default: bin when --out ends in .bin, else tsv)")
    FormatName format;

    @Option(names = "--kernel", description = {"--by xvector: engine (DJL's engine, the default where present; the",
            "same table as 'sampler mine' when the engine computes each tile alike) or java (bitwise the",
            "single-machine Java kernel's table)"})
    KernelName kernel;

    @Option(names = "--block", description = {"--by xvector: rows and columns of a tile, in [1, 46340] (default: the",
            "kernel's, as 'sampler mine': 2048 engine, 256 java); a task per tile on or above the diagonal"})
    Integer block;

    @Mixin
    SparkMain.SparkOptions spark;

    @Override
    public Integer call() {
        PartnerCount count = MineInputs.partnerCount(partners, fraction);
        if (by != By.xvector && embeddings != null) {
            throw new ConfigException("--embeddings is for --by xvector, not --by " + by);
        }
        if (by != By.pitch && pitch != null) {
            throw new ConfigException("--pitch is for --by pitch, not --by " + by);
        }
        if (by != By.xvector && (kernel != null || block != null)) {
            throw new ConfigException((kernel != null ? "--kernel" : "--block") + " is for --by xvector, not --by " + by);
        }
        if (block != null && (block < 1 || block > 46_340)) {
            throw new ConfigException("--block must be in [1, 46340], got " + block);
        }
        if (by == By.xvector && embeddings == null) {
            throw new ConfigException("--by xvector needs --embeddings FILE (a Kaldi text ark from 'sampler embed')");
        }
        spark.check();
        Map<Path, Format> outputs = MineInputs.outputs(out, format == null ? null : format.name());
        outputs.keySet().forEach(AtomicFiles::checkTarget);
        Corpus corpus = CorpusReader.read(data);
        MineInputs.checkPartners(partners, corpus, i -> true, "");
        List<String> ids = new ArrayList<>(corpus.size());
        List<String> speakers = new ArrayList<>(corpus.size());
        for (Utterance u : corpus.utterances()) {
            ids.add(u.id());
            speakers.add(u.speaker());
        }
        MiningResult r;
        String what;
        if (by == By.pitch) {
            double[] v;
            if (pitch != null) {
                v = MineInputs.aligned(PitchTable.read(pitch), corpus, pitch, "pitch table");
                MineInputs.checkPartners(partners, corpus, i -> !Double.isNaN(v[i]), "voiced ");
            } else {
                SparkPitchCommand.checkPitchRate(SparkPitch.yin(0.1), corpus);
                List<PitchStats> stats = SparkJobs.run(spark.master(), "sampler-spark mine", spark.connectSeconds,
                        sc -> SparkPitch.stats(sc, corpus.utterances(), 0.1,
                                SparkJobs.partitions(sc, spark.partitions, corpus.size())));
                v = stats.stream().mapToDouble(PitchStats::medianF0Hz).toArray();
                MineInputs.checkPartners(partners, corpus, i -> !Double.isNaN(v[i]), "voiced ");
            }
            r = ScalarParameterMiner.pitch(count).mine(ids, speakers, v);
            what = "median f0 difference (Hz)";
        } else {
            Map<String, float[]> x = KaldiVectors.read(embeddings);
            MineInputs.checkIds(x.keySet(), corpus, embeddings, "embeddings");
            float[][] rows = new float[corpus.size()][];
            for (int i = 0; i < rows.length; i++) {
                rows[i] = x.get(ids.get(i));
            }
            MineInputs.checkPartners(partners, corpus, i -> MineInputs.hasNonZero(rows[i]), "non-zero ");
            EmbeddingMiner.Kernel k = kernel == KernelName.java ? EmbeddingMiner.Kernel.JAVA
                    : kernel == KernelName.engine ? EmbeddingMiner.Kernel.ENGINE : EmbeddingMiner.Kernel.byDefault();
            int b = block != null ? block : k.defaultBlock();
            r = SparkJobs.run(spark.master(), "sampler-spark mine", spark.connectSeconds,
                    sc -> SparkXvectorMining.mine(sc, ids, speakers, rows, count, k, b, spark.partitions));
            what = "x-vector cosine distance, " + k.name().toLowerCase(Locale.ROOT) + " kernel";
        }
        MineInputs.writeAndReport(r, what, count, ids, corpus, data, out, outputs, excludedReason());
        return 0;
    }

    private String excludedReason() {
        return by == By.pitch ? " (unvoiced: no median f0)" : " (zero or non-finite vector)";
    }

}
