package io.speechsampler.cli;

import io.speechsampler.run.Evaluation;
import io.speechsampler.run.Progress;
import io.speechsampler.run.TrainingRun;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.speechsampler.api.config.RunConfig;
import io.speechsampler.api.io.AtomicFiles;
import io.speechsampler.audio.synth.SynthResult;
import io.speechsampler.audio.synth.SynthSpec;
import io.speechsampler.audio.synth.SyntheticCorpus;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.concurrent.Callable;
import me.tongfei.progressbar.ProgressBar;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code sampler demo}: the main job with no arguments. Makes the built-in synthetic corpus
 * (cached), trains the tiny Conv-TasNet with dynamic mixing, evaluates on held-out speakers and
 * writes a report folder with the sorted SI-SNRi curve.
 */
@Command(name = "demo", header = "The main job: synthetic corpus, tiny Conv-TasNet training, held-out evaluation.", mixinStandardHelpOptions = true,
        description = {"Synthesises the built-in corpus (cached), trains a tiny Conv-TasNet with dynamic mixing,",
                "evaluates it on held-out speakers and prints SI-SNRi, HSR5 and HSR10 with the report folder."})
final class DemoCommand implements Callable<Integer> {

    /** The built-in corpus: 40 speakers (32 train, 4 valid, 4 test) x 12 utterances of about 3 s at 8 kHz. */
    static final SynthSpec CORPUS = new SynthSpec(40, 12, 3.0, 8000, 20261122L, 4, 4);

    /**
     * Written into the cache's {@code .complete} marker with the spec: change it whenever the
     * synthesizer's output changes, so a cached corpus from an older build is made again.
     */
    static final String SYNTH_REVISION = "synth-2";

    @Option(names = "--cache", description = "where the synthetic corpus is kept (default ${DEFAULT-VALUE})",
            defaultValue = "${sys:user.home}/.cache/speech-sampler/demo-corpus-v1")
    Path cache;

    @Option(names = "--out", description = "run folder (default runs/demo-<date-time>)")
    Path out;

    @Option(names = "--epochs", description = "training epochs (default: the demo config's)")
    Integer epochs;

    @Override
    public Integer call() throws Exception {
        Path run = out != null ? out
                : Path.of("runs", "demo-" + LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss")));
        AtomicFiles.checkFolder(run);
        AtomicFiles.checkFolder(cache);
        Path corpus;
        try {
            corpus = ensureCorpus(cache);
        } catch (IOException e) {
            throw AtomicFiles.failure(cache, e);
        }
        String yaml;
        try (InputStream in = DemoCommand.class.getResourceAsStream("demo.yaml")) {
            yaml = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        if (epochs != null) {
            yaml = yaml.replaceFirst("epochs: \\d+", "epochs: " + epochs);
        }
        RunConfig cfg = RunConfig.parse(yaml, "demo.yaml", corpus).withCorpus(corpus.resolve("train").toString());
        TrainingRun.Result trained = TrainingRun.train(cfg, corpus.resolve("valid"), run, false);
        Path report = run.resolve("report");
        ObjectNode s = Evaluation.evaluate(run, corpus.resolve("test"), report);
        System.out.println();
        System.out.printf("demo: tiny Conv-TasNet, %d training steps, evaluated on %d mixtures of held-out speakers%n",
                trained.summary().steps(), s.get("mixtures").asInt());
        System.out.printf("  SI-SNRi  %6.2f dB%n", s.get("si_snri_db").asDouble());
        System.out.printf("  HSR5     %6.1f %%%n", s.get("hsr5_percent").asDouble());
        System.out.printf("  HSR10    %6.1f %%%n", s.get("hsr10_percent").asDouble());
        System.out.println("  summary: " + report.resolve("summary.json").toAbsolutePath());
        System.out.println("  plot:    " + report.resolve("si_snri_sorted.png").toAbsolutePath());
        return 0;
    }

    /** The cached corpus, synthesised into a temporary folder and renamed when complete. */
    static Path ensureCorpus(Path dir) throws IOException {
        String marker = CORPUS + " " + SYNTH_REVISION + "\n";
        Path complete = dir.resolve(".complete");
        if (Files.isRegularFile(complete) && Files.readString(complete).equals(marker)) {
            return dir;
        }
        Path parent = dir.toAbsolutePath().getParent();
        Files.createDirectories(parent);
        Path tmp = Files.createTempDirectory(parent, ".demo-corpus-");
        SynthResult r;
        try (ProgressBar bar = Progress.bar("synthesise", CORPUS.utterances(), "utterances")) {
            r = SyntheticCorpus.write(CORPUS, tmp, (done, total) -> bar.stepTo(done));
        }
        Files.writeString(tmp.resolve(".complete"), marker);
        if (Files.exists(dir)) {
            deleteTree(dir);
        }
        Files.move(tmp, dir);
        System.err.printf("demo: synthesised %d utterances (%.1f minutes of speech) into %s%n", r.utterances(),
                r.totalSamples() / (double) CORPUS.sampleRate() / 60, dir);
        return dir;
    }

    private static void deleteTree(Path p) throws IOException {
        try (var s = Files.walk(p)) {
            for (Path x : s.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.delete(x);
            }
        }
    }
}
