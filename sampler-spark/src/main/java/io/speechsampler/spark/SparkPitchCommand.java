package io.speechsampler.spark;

import io.speechsampler.api.config.ConfigException;
import io.speechsampler.api.corpus.Corpus;
import io.speechsampler.api.corpus.CorpusReader;
import io.speechsampler.api.corpus.Utterance;
import io.speechsampler.api.io.AtomicFiles;
import io.speechsampler.audio.pitch.PitchStats;
import io.speechsampler.audio.pitch.PitchTable;
import io.speechsampler.audio.pitch.Yin;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code sampler-spark pitch}: {@code sampler pitch} as a Spark job, the same file byte for byte. */
@Command(name = "pitch", mixinStandardHelpOptions = true,
        header = "Writes each utterance's YIN median f0 and voiced fraction (Spark).",
        description = "As 'sampler pitch': one line <id>TAB<median_f0_hz>TAB<voiced_fraction> per utterance, in "
                + "corpus order, the same bytes; the utterances are analysed in Spark partitions.")
final class SparkPitchCommand implements Callable<Integer> {

    @Option(names = "--data", required = true, description = "corpus (Kaldi dir or JSONL manifest)")
    Path data;

    @Option(names = "--out", required = true, description = "output TSV file (written on the driver)")
    Path out;

    @Option(names = "--threshold", defaultValue = "0.1",
            description = "YIN absolute threshold on the normalised difference, in (0, 1) (default ${DEFAULT-VALUE})")
    double threshold;

    @Mixin
    SparkMain.SparkOptions spark;

    @Override
    public Integer call() {
        if (!(threshold > 0 && threshold < 1)) {
            throw new ConfigException("--threshold is not in (0, 1): " + threshold);
        }
        spark.check();
        Yin yin = SparkPitch.yin(threshold);
        AtomicFiles.checkTarget(out);
        Corpus corpus = CorpusReader.read(data);
        checkPitchRate(yin, corpus);
        List<Utterance> utterances = corpus.utterances();
        List<PitchStats> stats = SparkJobs.run(spark.master(), "sampler-spark pitch", spark.connectSeconds,
                sc -> SparkPitch.stats(sc, utterances, threshold,
                        SparkJobs.partitions(sc, spark.partitions, utterances.size())));
        AtomicFiles.writeString(out, PitchTable.format(utterances.stream().map(Utterance::id).toList(), stats));
        long voiced = stats.stream().filter(s -> !Double.isNaN(s.medianF0Hz())).count();
        System.err.printf(Locale.ROOT, "pitch: %d utterances (%d with voiced frames) written to %s%n", stats.size(),
                voiced, out);
        return 0;
    }

    /** As {@code sampler pitch}: a corpus whose rate YIN cannot track pitch at is refused before any work. */
    static void checkPitchRate(Yin yin, Corpus corpus) {
        if (!yin.supports(corpus.sampleRate())) {
            throw new ConfigException(corpus.source() + ": the corpus is at " + corpus.sampleRate() + " Hz; "
                    + String.format(Locale.ROOT, "YIN's f0 range [%.0f, %.0f] Hz needs a sample rate of at least "
                    + "%.0f Hz", yin.settings().minF0Hz(), yin.settings().maxF0Hz(), 2 * yin.settings().maxF0Hz()));
        }
    }
}
