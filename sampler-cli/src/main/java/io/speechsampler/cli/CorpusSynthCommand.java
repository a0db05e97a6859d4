package io.speechsampler.cli;

import io.speechsampler.run.Progress;
import io.speechsampler.api.config.ConfigException;
import io.speechsampler.api.io.AtomicFiles;
import io.speechsampler.api.io.OutputException;
import io.speechsampler.audio.synth.SynthResult;
import io.speechsampler.audio.synth.SynthSpec;
import io.speechsampler.audio.synth.SyntheticCorpus;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import me.tongfei.progressbar.ProgressBar;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code sampler corpus synth}: writes the built-in synthetic corpus (Kaldi dirs plus manifests). */
@Command(name = "synth", header = "Writes a deterministic synthetic multi-speaker corpus.", mixinStandardHelpOptions = true,
        description = "Writes a deterministic synthetic speech corpus (source-filter voices, male and female) "
                + "into --out: wav/<utt>.wav (16-bit PCM mono), one speaker-disjoint Kaldi dir per split "
                + "(train/, valid/, test/ with wav.scp, utt2spk, spk2utt and manifest.jsonl) and speakers.tsv. "
                + "The same options give byte-identical files.")
final class CorpusSynthCommand implements Callable<Integer> {

    @Option(names = "--speakers", defaultValue = "40", description = "speakers, in [2, 100000] (default ${DEFAULT-VALUE})")
    int speakers;

    @Option(names = "--utterances", defaultValue = "12",
            description = "utterances per speaker, in [1, 100000] (default ${DEFAULT-VALUE})")
    int utterances;

    @Option(names = "--seconds", defaultValue = "3",
            description = "mean utterance length in seconds, in [0.5, 600]; each is 0.8 to 1.2 times it "
                    + "(default ${DEFAULT-VALUE})")
    double seconds;

    @Option(names = "--sample-rate", defaultValue = "8000",
            description = "sample rate in Hz, in [8000, 48000] (default ${DEFAULT-VALUE})")
    int sampleRate;

    @Option(names = "--seed", defaultValue = "1", description = "seed of every random draw (default ${DEFAULT-VALUE})")
    long seed;

    @Option(names = "--valid-speakers",
            description = "speakers in valid (default: 10%% of --speakers, at least 1, when there are 6 or more; else 0)")
    Integer validSpeakers;

    @Option(names = "--test-speakers",
            description = "speakers in test (default: as --valid-speakers); at least 2 speakers must stay in train")
    Integer testSpeakers;

    @Option(names = "--out", required = true, description = "output directory; must be absent or empty unless --force")
    Path out;

    @Option(names = "--force",
            description = "write into a non-empty --out: files of the corpus's names are replaced, others are kept")
    boolean force;

    @Override
    public Integer call() {
        SynthSpec spec = spec();
        checkOut();
        AtomicFiles.checkFolder(out);
        SynthResult result;
        long start = System.nanoTime();
        try (ProgressBar bar = Progress.bar("corpus synth", spec.utterances(), "utt")) {
            result = SyntheticCorpus.write(spec, out, (done, total) -> bar.stepTo(done));
        }
        double wall = (System.nanoTime() - start) / 1e9;
        System.out.println(summary(spec, result, wall));
        return 0;
    }

    private SynthSpec spec() {
        range("--speakers", speakers, 2, 100_000);
        range("--utterances", utterances, 1, 100_000);
        if (!(seconds >= 0.5 && seconds <= 600)) {
            throw new ConfigException("--seconds is not in [0.5, 600]: " + seconds);
        }
        range("--sample-rate", sampleRate, 8000, 48_000);
        SynthSpec defaults = SynthSpec.of(speakers, utterances, seconds, sampleRate, seed);
        int valid = validSpeakers != null ? validSpeakers : defaults.validSpeakers();
        int test = testSpeakers != null ? testSpeakers : defaults.testSpeakers();
        if (valid < 0) {
            throw new ConfigException("--valid-speakers is negative: " + valid);
        }
        if (test < 0) {
            throw new ConfigException("--test-speakers is negative: " + test);
        }
        if ((long) speakers - valid - test < 2) {
            throw new ConfigException("--speakers minus --valid-speakers minus --test-speakers (the train speakers) "
                    + "is not at least 2: " + speakers + " - " + valid + " - " + test);
        }
        return new SynthSpec(speakers, utterances, seconds, sampleRate, seed, valid, test);
    }

    private static void range(String option, int value, int lo, int hi) {
        if (value < lo || value > hi) {
            throw new ConfigException(option + " is not in [" + lo + ", " + hi + "]: " + value);
        }
    }

    private void checkOut() {
        if (Files.exists(out) && !Files.isDirectory(out)) {
            throw new ConfigException("--out " + out + " is a file; expected a directory (absent or empty)");
        }
        if (!Files.isDirectory(out) || force) {
            return;
        }
        try (Stream<Path> entries = Files.list(out)) {
            if (entries.findAny().isPresent()) {
                throw new ConfigException("--out " + out + " is not empty; expected an absent or empty directory "
                        + "(--force writes into it, replacing files of the corpus's names and keeping the others)");
            }
        } catch (IOException e) {
            throw new OutputException("--out " + out + ": cannot list the folder: " + AtomicFiles.reason(e), e);
        }
    }

    private static String summary(SynthSpec spec, SynthResult result, double wallSeconds) {
        double hours = result.totalSamples() / (double) spec.sampleRate() / 3600;
        Path dir = result.outDir();
        return String.format(Locale.ROOT,
                "corpus synth: wrote %d utterances (%.2f hours of audio at %d Hz, seed %d) of %d speakers in %.1f s: "
                        + "train %d speakers / %d utterances, valid %d / %d, test %d / %d (speaker-disjoint). "
                        + "Kaldi dirs %s, %s and %s each hold wav.scp, utt2spk, spk2utt and manifest.jsonl; "
                        + "audio is in %s, speaker traits in %s.",
                result.utterances(), hours, spec.sampleRate(), spec.seed(), spec.speakers(), wallSeconds,
                spec.trainSpeakers(), (long) spec.trainSpeakers() * spec.utterancesPerSpeaker(),
                spec.validSpeakers(), (long) spec.validSpeakers() * spec.utterancesPerSpeaker(),
                spec.testSpeakers(), (long) spec.testSpeakers() * spec.utterancesPerSpeaker(),
                dir.resolve("train"), dir.resolve("valid"), dir.resolve("test"), dir.resolve("wav"),
                dir.resolve("speakers.tsv"));
    }
}
