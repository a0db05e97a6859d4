package io.speechsampler.cli;

import io.speechsampler.api.config.ConfigException;
import io.speechsampler.api.corpus.Corpus;
import io.speechsampler.api.corpus.CorpusReader;
import io.speechsampler.api.io.AtomicFiles;
import io.speechsampler.audio.mix.DynamicMixingSettings;
import io.speechsampler.audio.mix.MixtureCorpus;
import io.speechsampler.run.Progress;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import me.tongfei.progressbar.ProgressBar;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code sampler corpus mix}: a corpus of mixture recordings, no references kept (unlabelled data). */
@Command(name = "mix", mixinStandardHelpOptions = true,
        header = "Renders a corpus of mixture recordings from a corpus of single-speaker utterances.",
        description = {"Renders --count dynamic mixtures of --speakers speakers from --data into --out: wav/, wav.scp,",
                "utt2spk, spk2utt and manifest.jsonl, like any corpus; no references are kept (each recording",
                "is its own speaker), so it stands in for a pile of recorded mixtures (teacher-student MixIT).",
                "The same options give byte-identical files."})
final class CorpusMixCommand implements Callable<Integer> {

    @Option(names = "--data", required = true, description = "corpus of single-speaker utterances")
    Path data;

    @Option(names = "--speakers", defaultValue = "2", description = "speakers per mixture, at least 2 (default ${DEFAULT-VALUE})")
    int speakers;

    @Option(names = "--count", required = true, description = "mixture recordings to write, at least 1")
    int count;

    @Option(names = "--seconds", defaultValue = "4",
            description = "recording length in seconds, sources cropped at uniform offsets; 0: whole utterances "
                    + "(default ${DEFAULT-VALUE}, the authors' 4 s)")
    double seconds;

    @Option(names = "--gain-db", defaultValue = "5", description = "source gains uniform in [-G, G] dB (default ${DEFAULT-VALUE})")
    double gainDb;

    @Option(names = "--seed", defaultValue = "1", description = "seed of every random draw (default ${DEFAULT-VALUE})")
    long seed;

    @Option(names = "--out", required = true, description = "output directory; must be absent or empty")
    Path out;

    @Override
    public Integer call() {
        if (speakers < 2) {
            throw new ConfigException("--speakers must be at least 2, got " + speakers);
        }
        if (count < 1) {
            throw new ConfigException("--count must be at least 1, got " + count);
        }
        if (!(seconds >= 0 && seconds <= 3600)) {
            throw new ConfigException("--seconds must be in [0, 3600], got " + seconds);
        }
        if (!(gainDb >= 0 && gainDb <= 60)) {
            throw new ConfigException("--gain-db must be in [0, 60], got " + gainDb);
        }
        Corpus source = CorpusReader.read(data);
        if (source.numSpeakers() < speakers) {
            throw new ConfigException(data + ": mixtures of " + speakers + " speakers need at least " + speakers
                    + " speakers, the corpus has " + source.numSpeakers());
        }
        CorpusCommand.checkEmptyOut(out);
        AtomicFiles.checkFolder(out);
        DynamicMixingSettings settings = new DynamicMixingSettings(speakers, -gainDb, gainDb, seconds, 1.0, 10, 20);
        int n;
        try (ProgressBar bar = Progress.bar("corpus mix", count, "mix")) {
            n = MixtureCorpus.write(source, settings, count, seed, out, (done, total) -> bar.stepTo(done));
        }
        System.out.println("corpus mix: " + n + " mixture recordings of " + speakers + " speakers written to "
                + out.toAbsolutePath());
        return 0;
    }
}
