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
import io.speechsampler.hardmining.mining.HardPairTable;
import io.speechsampler.hardmining.mining.HardPairTable.Format;
import io.speechsampler.hardmining.mining.MiningResult;
import io.speechsampler.hardmining.mining.PartnerCount;
import io.speechsampler.hardmining.mining.ScalarParameterMiner;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.function.IntPredicate;
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
        if (fraction != null && partners != null) {
            throw new ConfigException("--partners and --fraction are mutually exclusive: give --partners M (the M nearest)"
                    + " or --fraction P_M (the paper's share), not both");
        }
        if (fraction == null && partners == null) {
            throw new ConfigException("mine needs --partners M (each utterance's M nearest) or --fraction P_M (the paper's"
                    + " share of each utterance's other-speaker utterances)");
        }
        if (fraction != null && !(fraction > 0 && fraction <= 1)) {
            throw new ConfigException("--fraction (P_M) must be in (0, 1], got " + fraction);
        }
        if (partners != null && partners < 1) {
            throw new ConfigException("--partners (M) must be at least 1, got " + partners);
        }
        PartnerCount count = partners != null ? PartnerCount.nearest(partners) : PartnerCount.fraction(fraction);
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
        Map<Path, Format> outputs = outputs();
        outputs.keySet().forEach(AtomicFiles::checkTarget);
        Corpus corpus = CorpusReader.read(data);
        checkPartners(corpus, i -> true, "");
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
                v = aligned(PitchTable.read(pitch), corpus, pitch, "pitch table");
                checkPartners(corpus, i -> !Double.isNaN(v[i]), "voiced ");
            } else {
                SparkPitchCommand.checkPitchRate(SparkPitch.yin(0.1), corpus);
                List<PitchStats> stats = SparkJobs.run(spark.master(), "sampler-spark mine", spark.connectSeconds,
                        sc -> SparkPitch.stats(sc, corpus.utterances(), 0.1,
                                SparkJobs.partitions(sc, spark.partitions, corpus.size())));
                v = stats.stream().mapToDouble(PitchStats::medianF0Hz).toArray();
                checkPartners(corpus, i -> !Double.isNaN(v[i]), "voiced ");
            }
            r = ScalarParameterMiner.pitch(count).mine(ids, speakers, v);
            what = "median f0 difference (Hz)";
        } else {
            Map<String, float[]> x = KaldiVectors.read(embeddings);
            checkIds(x.keySet(), corpus, embeddings, "embeddings");
            float[][] rows = new float[corpus.size()][];
            for (int i = 0; i < rows.length; i++) {
                rows[i] = x.get(ids.get(i));
            }
            checkPartners(corpus, i -> hasNonZero(rows[i]), "non-zero ");
            EmbeddingMiner.Kernel k = kernel == KernelName.java ? EmbeddingMiner.Kernel.JAVA
                    : kernel == KernelName.engine ? EmbeddingMiner.Kernel.ENGINE : EmbeddingMiner.Kernel.byDefault();
            int b = block != null ? block : k.defaultBlock();
            r = SparkJobs.run(spark.master(), "sampler-spark mine", spark.connectSeconds,
                    sc -> SparkXvectorMining.mine(sc, ids, speakers, rows, count, k, b, spark.partitions));
            what = "x-vector cosine distance, " + k.name().toLowerCase(Locale.ROOT) + " kernel";
        }
        if (r.table().pairCount() == 0) {
            throw new ConfigException(data + ": no hard pairs (" + what + ") to write to " + out + ": "
                    + r.excluded().size() + " of " + corpus.size() + " utterances excluded" + excludedReason()
                    + "; expected utterances of at least two speakers that can be compared");
        }
        write(r.table(), outputs);
        long withPartners = ids.stream().filter(r.table()::hasPartners).count();
        System.out.printf(Locale.ROOT, "mine: %d hard pairs (%s, %s) for %d of %d utterances written to %s%n",
                r.table().pairCount(), what, count, withPartners, corpus.size(),
                String.join(" and ", outputs.keySet().stream().map(Path::toString).toList()));
        System.out.printf(Locale.ROOT, "mine: %d excluded%s%n", r.excluded().size(), r.excluded().isEmpty() ? ""
                : excludedReason());
        return 0;
    }

    private String excludedReason() {
        return by == By.pitch ? " (unvoiced: no median f0)" : " (zero or non-finite vector)";
    }

    /** As {@code sampler mine}: the files to write and their formats, from {@code --out} and {@code --format}. */
    private Map<Path, Format> outputs() {
        Map<Path, Format> files = new LinkedHashMap<>();
        Format named = Format.byName(out);
        if (format == null) {
            files.put(out, named);
        } else if (format == FormatName.both) {
            String name = out.getFileName().toString();
            String lower = name.toLowerCase(Locale.ROOT);
            String stem = lower.endsWith(Format.TSV.extension()) || lower.endsWith(Format.BIN.extension())
                    ? name.substring(0, name.length() - 4) : name;
            files.put(out.resolveSibling(stem + Format.TSV.extension()), Format.TSV);
            files.put(out.resolveSibling(stem + Format.BIN.extension()), Format.BIN);
        } else {
            Format wanted = format == FormatName.bin ? Format.BIN : Format.TSV;
            boolean tsvName = out.getFileName().toString().toLowerCase(Locale.ROOT).endsWith(Format.TSV.extension());
            if (wanted == Format.TSV && named == Format.BIN || wanted == Format.BIN && tsvName) {
                throw new ConfigException("--format " + format + " but --out " + out + " is named as a "
                        + (named == Format.BIN ? "binary" : "TSV") + " table; expected a name ending in "
                        + wanted.extension() + " (or --format both)");
            }
            files.put(out, wanted);
        }
        return files;
    }

    /** Writes the table to every output; several appear together or not at all. */
    private static void write(HardPairTable table, Map<Path, Format> outputs) {
        try (AtomicFiles.FileSet files = AtomicFiles.fileSet()) {
            outputs.forEach((file, f) -> files.write(file, stream -> table.writeTo(stream, f)));
            files.commit();
        }
    }

    /** As {@code sampler mine}: refuses {@code --partners M} above what some mined utterance can have. */
    private void checkPartners(Corpus corpus, IntPredicate mined, String what) {
        if (partners == null) {
            return;
        }
        int[] perSpeaker = new int[corpus.numSpeakers()];
        int total = 0;
        for (int i = 0; i < corpus.size(); i++) {
            if (mined.test(i)) {
                perSpeaker[corpus.speakerOf(i)]++;
                total++;
            }
        }
        int fewest = Integer.MAX_VALUE;
        int speaker = -1;
        for (int s = 0; s < perSpeaker.length; s++) {
            if (perSpeaker[s] > 0 && total - perSpeaker[s] < fewest) {
                fewest = total - perSpeaker[s];
                speaker = s;
            }
        }
        if (speaker >= 0 && partners > fewest) {
            String who = corpus.speakers().get(speaker);
            throw new ConfigException(fewest == 0
                    ? "--partners " + partners + ": all " + total + " " + what + "utterances are of speaker '" + who
                            + "', so none has a partner of another speaker; expected utterances of at least two speakers"
                    : "--partners " + partners + " is more than the " + fewest + " " + what + "utterances of other"
                            + " speakers than '" + who + "' (each of its utterances can have at most " + fewest
                            + " partners); expected --partners in [1, " + fewest + "]");
        }
    }

    private static boolean hasNonZero(float[] x) {
        for (float v : x) {
            if (v != 0) {
                return true;
            }
        }
        return false;
    }

    private static double[] aligned(Map<String, Double> values, Corpus corpus, Path file, String what) {
        checkIds(values.keySet(), corpus, file, what);
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
