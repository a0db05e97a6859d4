package io.speechsampler.cli;

import io.speechsampler.run.Progress;
import io.speechsampler.api.io.AtomicFiles;
import io.speechsampler.api.config.ConfigException;
import io.speechsampler.api.corpus.Corpus;
import io.speechsampler.api.corpus.CorpusReader;
import io.speechsampler.api.corpus.Utterance;
import io.speechsampler.audio.pitch.PitchStats;
import io.speechsampler.audio.pitch.PitchTable;
import io.speechsampler.audio.pitch.Yin;
import io.speechsampler.audio.wav.WavReader;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import me.tongfei.progressbar.ProgressBar;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code sampler pitch}: YIN median f0 and voiced fraction of every utterance of a corpus. */
@Command(name = "pitch", header = "Writes each utterance's YIN median f0 and voiced fraction.", mixinStandardHelpOptions = true,
        description = "For every utterance of the corpus, in corpus order, writes one line "
                + "<id>TAB<median_f0_hz>TAB<voiced_fraction> (no header; 'nan' when no frame is voiced): "
                + "YIN (de Cheveigne and Kawahara 2002; 40 ms window, 10 ms hop, f0 in [50, 500] Hz) median f0 "
                + "over voiced frames. The file is written whole or not at all; the output does not depend "
                + "on --threads.")
final class PitchCommand implements Callable<Integer> {

    @Option(names = "--data", required = true, description = "corpus (Kaldi dir or JSONL manifest)")
    Path data;

    @Option(names = "--out", required = true, description = "output TSV file")
    Path out;

    @Option(names = "--threshold", defaultValue = "0.1",
            description = "YIN absolute threshold on the normalised difference, in (0, 1) (default ${DEFAULT-VALUE})")
    double threshold;

    @Option(names = "--threads", description = "worker threads, at least 1 (default: available processors)")
    Integer threads;

    @Override
    public Integer call() throws InterruptedException {
        if (!(threshold > 0 && threshold < 1)) {
            throw new ConfigException("--threshold is not in (0, 1): " + threshold);
        }
        int workers = threads != null ? threads : Runtime.getRuntime().availableProcessors();
        if (workers < 1) {
            throw new ConfigException("--threads is not at least 1: " + workers);
        }
        Yin.Settings d = Yin.Settings.defaults();
        Yin yin = Yin.of(new Yin.Settings(d.frameSeconds(), d.hopSeconds(), d.minF0Hz(), d.maxF0Hz(), threshold));
        AtomicFiles.checkTarget(out);
        Corpus corpus = CorpusReader.read(data);
        UtteranceFeatures.checkPitchRate(yin, corpus);
        List<Utterance> utterances = corpus.utterances();
        PitchStats[] stats = new PitchStats[utterances.size()];
        ExecutorService pool = Executors.newFixedThreadPool(workers);
        try (ProgressBar bar = Progress.bar("pitch", utterances.size(), "utt")) {
            List<Future<?>> futures = new ArrayList<>(utterances.size());
            for (int i = 0; i < utterances.size(); i++) {
                int k = i;
                futures.add(pool.submit(() -> {
                    Utterance u = utterances.get(k);
                    stats[k] = yin.stats(WavReader.read(u), u.sampleRate());
                    bar.step();
                }));
            }
            // Waiting in corpus order reports the first bad utterance in corpus order, whatever the thread count.
            for (Future<?> f : futures) {
                try {
                    f.get();
                } catch (ExecutionException e) {
                    if (e.getCause() instanceof RuntimeException r) {
                        throw r;
                    }
                    throw new IllegalStateException("pitch failed: " + e.getCause(), e.getCause());
                }
            }
        } finally {
            pool.shutdownNow();
        }
        long voiced = 0;
        for (PitchStats s : stats) {
            if (!Double.isNaN(s.medianF0Hz())) {
                voiced++;
            }
        }
        AtomicFiles.writeString(out, PitchTable.format(utterances.stream().map(Utterance::id).toList(), List.of(stats)));
        System.err.printf(Locale.ROOT, "pitch: %d utterances (%d with voiced frames) written to %s%n", stats.length,
                voiced, out);
        return 0;
    }
}
