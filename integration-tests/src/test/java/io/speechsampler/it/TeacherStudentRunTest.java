package io.speechsampler.it;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.speechsampler.api.spi.Outcome;
import io.speechsampler.audio.synth.ProgressListener;
import io.speechsampler.audio.synth.SynthSpec;
import io.speechsampler.audio.synth.SyntheticCorpus;
import io.speechsampler.cli.Main;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code examples/mixit/teacher-student.yaml}, its four phases (the teacher in two parts: a warm-up
 * without the mixture consistency projection, then with it; the student on the unlabelled
 * recordings against the frozen teacher; fine-tuning on a supervised corpus; distillation into a new
 * student) on tiny corpora named on the command line ({@code --data unlabelled=... --data
 * supervised=...}): killed inside the fine-tuning phase and resumed, it ends with the batches,
 * losses and weights of an uninterrupted run; per-sample losses reach the pipeline's observers in
 * every phase; bad input is one line, exit 2, nothing written.
 */
class TeacherStudentRunTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Path CONFIG = Path.of("..", "examples", "mixit", "teacher-student.yaml");
    private static final List<String> PHASES = List.of("00-warmup", "01-teacher", "02-student", "03-finetune",
            "04-distil");

    @TempDir
    static Path tmp;

    static Path corpus;
    static Path mixtures;
    static Path wideband;

    @BeforeAll
    static void corpora() throws IOException {
        corpus = tmp.resolve("corpus");
        SyntheticCorpus.write(new SynthSpec(8, 4, 0.5, 8000, 5, 2, 2), corpus, ProgressListener.NONE);
        mixtures = tmp.resolve("mixtures");
        CliRun mix = CliRun.of("corpus", "mix", "--data", corpus.resolve("train"), "--speakers", 2, "--count", 8,
                "--seconds", 0.5, "--seed", 3, "--out", mixtures);
        assertEquals(0, mix.code(), mix.err());
        wideband = tmp.resolve("wideband");
        SyntheticCorpus.write(new SynthSpec(6, 2, 0.5, 16000, 5, 1, 1), wideband, ProgressListener.NONE);
    }

    /** The arguments of a tiny run: 2 steps a phase, 6 in fine-tuning with a checkpoint every 2. */
    private static List<String> tiny(Path supervised, Path out, String... more) {
        List<String> args = new ArrayList<>(List.of("train", "--config", CONFIG.toString(),
                "--data", "unlabelled=" + mixtures, "--data", "supervised=" + supervised, "--out", out.toString(),
                "--set", "train.epochs=1", "--set", "phases[0].end.epochs=1", "--set", "batch.size=2",
                "--set", "train.max_steps_per_epoch=2", "--set", "phases[3].train.max_steps_per_epoch=6",
                "--set", "train.checkpoint_every=2", "--set", "sampler.segment_seconds=0.25"));
        for (int i : new int[] {0, 1, 3}) {
            args.addAll(List.of("--set", "phases[" + i + "].sampler.segment_seconds=0.25"));
        }
        args.addAll(List.of(more));
        return args;
    }

    private static CliRun cli(List<String> args) {
        return CliRun.of(args.toArray());
    }

    @Test
    void theFourPhasesResumeMidPhaseAndEndAsAnUninterruptedRun() throws Exception {
        Path run = tmp.resolve("killed");
        Path log = tmp.resolve("killed.log");
        Process p = KillAndResumeTest.cliProcess(log, List.of(), tiny(corpus.resolve("train"), run)
                .toArray(String[]::new));
        Path finetune = run.resolve("phases/03-finetune");
        KillAndResumeTest.killAfterCheckpoint(p, finetune, 1, log, 400);
        assertTrue(Files.isRegularFile(run.resolve("phases/02-student/phase.json")), "the student had ended");
        assertFalse(Files.isRegularFile(finetune.resolve("phase.json")), "killed inside the fine-tuning phase");

        CliRun resumed = cli(tiny(corpus.resolve("train"), run, "--resume"));
        assertEquals(0, resumed.code(), resumed.err());
        assertTrue(resumed.err().contains("resuming at step "), resumed.err());
        assertFalse(resumed.err().contains("phase 3/5"), "the ended phases are not trained again: " + resumed.err());

        // the uninterrupted run, with an observer in every phase that keeps the outcomes it is given
        Path whole = tmp.resolve("whole");
        List<String> args = tiny(corpus.resolve("train"), whole);
        for (int i = 0; i < PHASES.size(); i++) {
            args.addAll(List.of("--set", "phases[" + i + "].observers=[{name: it-outcome-log, key: ts-" + i + "}]"));
        }
        CliRun uninterrupted = cli(args);
        assertEquals(0, uninterrupted.code(), uninterrupted.err());
        for (String phase : PHASES) {
            Path a = run.resolve("phases").resolve(phase);
            Path b = whole.resolve("phases").resolve(phase);
            assertArrayEquals(Files.readAllBytes(b.resolve("batches.jsonl")), Files.readAllBytes(a.resolve("batches.jsonl")),
                    phase + ": the same batches");
            assertEquals(KillAndResumeTest.lossesOf(b.resolve("metrics.jsonl")),
                    KillAndResumeTest.lossesOf(a.resolve("metrics.jsonl")), phase + ": the same loss at every step");
        }
        assertEquals(6, KillAndResumeTest.lines(whole.resolve("phases/03-finetune/batches.jsonl")));
        assertArrayEquals(Files.readAllBytes(lastParams(whole.resolve("phases/04-distil"))),
                Files.readAllBytes(lastParams(run.resolve("phases/04-distil"))), "the same final weights");

        String student = Files.readString(whole.resolve("phases/02-student/config.yaml"));
        assertTrue(student.contains(whole.resolve("phases/01-teacher/checkpoints").toAbsolutePath().toString()),
                "the student's teacher resolved to the teacher phase's checkpoint: " + student);
        String distil = Files.readString(whole.resolve("phases/04-distil/config.yaml"));
        assertTrue(distil.contains(whole.resolve("phases/03-finetune/checkpoints").toAbsolutePath().toString()),
                "distillation's teacher is the fine-tuned model: " + distil);
        assertTrue(Files.readString(whole.resolve("phases/03-finetune/config.yaml"))
                .contains(corpus.resolve("train").toAbsolutePath().toString()), "fine-tuning on the supervised corpus");
        assertTrue(Files.readString(whole.resolve("phases/01-teacher/batches.jsonl")).contains("peak-normalise"),
                "the teacher trains on mixtures of mixtures");

        // the teacher's 4 outputs on 2-source test mixtures: best single outputs, oracle merge, over-separation
        Path report = tmp.resolve("teacher-eval");
        CliRun eval = CliRun.of("evaluate", "--checkpoint", whole.resolve("phases/01-teacher"), "--data",
                corpus.resolve("test"), "--out", report);
        assertEquals(0, eval.code(), eval.err());
        JsonNode summary = JSON.readTree(report.resolve("summary.json").toFile());
        assertEquals(4, summary.get("outputs").asInt());
        double over = summary.get("over_separation_percent").asDouble();
        assertTrue(over >= 0 && over <= 100, summary.toString());
        List<String> rows = Files.readAllLines(report.resolve("si_snri.csv"));
        // the example's validation protocol: 300 fixed 2-speaker mixtures, each with its condition
        assertEquals("mixture,sources,gains_db,si_snri_db,merged_si_snri_db,active_outputs,condition", rows.get(0));
        assertEquals(301, rows.size());
        long overRows = rows.stream().skip(1).filter(l -> Integer.parseInt(l.split(",")[5]) >= 3).count();
        assertEquals(over, 100.0 * overRows / (rows.size() - 1), 1e-9, "the rate is the share of rows with 3+ active");
        double merged = rows.stream().skip(1).mapToDouble(l -> Double.parseDouble(l.split(",")[4])).average()
                .orElseThrow();
        assertEquals(summary.get("merged_si_snri_db").asDouble(), merged, 1e-3, "the mean of the rows' merges");

        // per-sample losses reach the observers in every phase: one outcome per draw, whose mean over a
        // step is the step's logged mean loss (MixIT's per-mixture loss in the teacher's phases)
        for (int i = 0; i < PHASES.size(); i++) {
            List<Outcome> seen = OutcomeLogProvider.OBSERVED.get("ts-" + i);
            List<JsonNode> steps = steps(whole.resolve("phases").resolve(PHASES.get(i)).resolve("metrics.jsonl"));
            assertEquals(2L * steps.size(), seen.size(), PHASES.get(i) + ": an outcome per draw");
            for (JsonNode s : steps) {
                double mean = seen.stream().filter(o -> o.step() == s.get("step").asLong()).mapToDouble(Outcome::loss)
                        .average().orElseThrow();
                assertEquals(s.get("mean_loss").asDouble(), mean, 1e-4, PHASES.get(i) + " step " + s);
            }
            if (i < 2) {
                assertTrue(seen.stream().allMatch(o -> o.loss() >= -30 && Double.isNaN(o.metric())),
                        "MixIT: per-mixture losses floored at -30 dB by tau, no metric");
            }
        }
    }

    @Test
    void aTeacherTrainsOnTwoDynamicMixturesOfALabelledCorpus() throws IOException {
        Path cfg = tmp.resolve("labelled-mixit.yaml");
        Files.writeString(cfg, "seed: 1\nsampler: {name: mixture-of-mixtures, segment_seconds: 0.25, "
                + "sources_per_mixture: [1, 2]}\nbatch: {name: fixed, size: 2}\n"
                + "model: {name: conv-tasnet, preset: tiny, sources: 4}\ntask: {name: mixit}\n"
                + "train: {epochs: 1, max_steps_per_epoch: 2}\n");
        Path run = tmp.resolve("labelled-mixit");
        CliRun train = CliRun.of("train", "--config", cfg, "--data", corpus.resolve("train"), "--out", run);
        assertEquals(0, train.code(), train.err());
        String batches = Files.readString(run.resolve("batches.jsonl"));
        assertTrue(batches.contains("mixtures=") && batches.contains("peak-normalise"), batches);
        List<JsonNode> steps = steps(run.resolve("metrics.jsonl"));
        assertEquals(2, steps.size());
        for (JsonNode s : steps) {
            assertTrue(s.get("loss").isNumber() && s.get("loss").asDouble() >= -30, s.toString());
        }
    }

    private static List<JsonNode> steps(Path metrics) throws IOException {
        List<JsonNode> out = new ArrayList<>();
        for (String line : Files.readAllLines(metrics)) {
            JsonNode o = JSON.readTree(line);
            if (o.get("type").asText().equals("step")) {
                out.add(o);
            }
        }
        return out;
    }

    private static Path lastParams(Path phase) throws IOException {
        Path ckpt = phase.resolve("checkpoints").resolve(Files.readString(phase.resolve("checkpoints/latest")).trim());
        return ckpt.resolve("model.params");
    }

    /** Exit 2, one error line holding every part, and no run folder. */
    private static void assertRefused(CliRun r, Path out, String... parts) throws IOException {
        assertEquals(Main.BAD_INPUT, r.code(), r.err());
        List<String> errors = r.err().lines().filter(l -> l.startsWith("error: ")).toList();
        assertEquals(1, errors.size(), "one error line: " + r.err());
        for (String part : parts) {
            assertTrue(errors.get(0).contains(part), "'" + part + "' in: " + errors.get(0));
        }
        assertFalse(r.err().contains("\tat "), r.err());
        boolean written = Files.exists(out) && !isEmpty(out);
        assertFalse(written, "nothing written into " + out);
    }

    private static boolean isEmpty(Path dir) throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.findAny().isEmpty();
        }
    }

    @Test
    void badInputIsOneLineAndWritesNothing() throws IOException {
        Path train = corpus.resolve("train");
        Path out = tmp.resolve("bad");
        assertRefused(cli(tiny(train, out, "--set", "phases[0].model.sources=1", "--set", "phases[1].model.sources=1")),
                out, "model.sources", "at least 2");
        assertRefused(cli(tiny(train, out, "--set", "phases[0].model.sources=9", "--set", "phases[1].model.sources=9")),
                out, "model.sources", "9");
        assertRefused(cli(tiny(mixtures, out)), out, "phase 'finetune'", "without references", "tagged 'mixture'");
        Path empty = Files.createDirectories(tmp.resolve("no-checkpoint"));
        assertRefused(cli(tiny(train, out, "--set", "phases[2].task.teacher=" + empty)), out, "no checkpoint",
                empty.toString());
        assertRefused(cli(tiny(train, out, "--set", "phases[2].task.teacher=null")), out, "phase 'student'",
                "'recordings'", "task.teacher");
        assertRefused(cli(tiny(train, out, "--set", "phases[0].model.sources=2", "--set", "phases[1].model.sources=2",
                "--set", "phases[2].model.sources=3")), out, "phase 'student'", "2 outputs", "student's 3");
        assertRefused(cli(tiny(wideband.resolve("train"), out)), out, "phase 'finetune'", "16000 Hz", "8000 Hz");

        // the corpora's names: one the recipe does not use, one it needs and is not given, a missing folder
        List<String> extra = tiny(train, out);
        extra.addAll(List.of("--data", "other=" + train));
        assertRefused(cli(extra), out, "--data other=", "no phase", "supervised, unlabelled");
        List<String> missing = tiny(train, out);
        missing.set(missing.indexOf("supervised=" + train), "supervised=" + tmp.resolve("nowhere"));
        assertRefused(cli(missing), out, "supervised=", "does not exist");
        assertRefused(CliRun.of("train", "--config", CONFIG, "--data", "unlabelled=" + mixtures, "--out", out), out,
                "phase 'finetune'", "data:supervised", "--data supervised=DIR");
    }

    /**
     * {@code teacher_consistency} unset follows the teacher's training: a PIT teacher's outputs are
     * taken as they are (the first step's loss equals that of {@code false} and differs from
     * {@code true}).
     */
    @Test
    void aPitTeachersOutputsAreNotProjectedByDefault() throws IOException {
        Path teacherCfg = tmp.resolve("pit-teacher.yaml");
        Files.writeString(teacherCfg, "seed: 1\nsampler: {name: dynamic-mixing, speakers: 2, segment_seconds: 0.25}\n"
                + "batch: {name: fixed, size: 2}\nmodel: {name: conv-tasnet, sources: 2}\n"
                + "train: {epochs: 1, max_steps_per_epoch: 2, validate_every: 0}\n");
        Path teacher = tmp.resolve("pit-teacher");
        CliRun t = CliRun.of("train", "--config", teacherCfg, "--data", corpus.resolve("train"), "--out", teacher);
        assertEquals(0, t.code(), t.err());
        double[] first = new double[3];
        String[] settings = {"", ", teacher_consistency: false", ", teacher_consistency: true"};
        for (int k = 0; k < 3; k++) {
            Path cfg = tmp.resolve("student-" + k + ".yaml");
            Files.writeString(cfg, "seed: 1\nsampler: {name: recordings, segment_seconds: 0.25}\nbatch: {name: fixed, size: 2}\n"
                    + "model: {name: conv-tasnet, sources: 2}\ntask: {name: separation, teacher: " + teacher + settings[k]
                    + "}\ntrain: {epochs: 1, max_steps_per_epoch: 1, validate_every: 0}\n");
            Path out = tmp.resolve("student-" + k);
            CliRun r = CliRun.of("train", "--config", cfg, "--data", mixtures, "--out", out);
            assertEquals(0, r.code(), r.err());
            JsonNode step = Files.readAllLines(out.resolve("metrics.jsonl")).stream().map(l -> {
                try {
                    return JSON.readTree(l);
                } catch (IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            }).filter(n -> n.path("type").asText().equals("step")).findFirst().orElseThrow();
            first[k] = step.get("loss").asDouble();
        }
        assertEquals(first[1], first[0], 0.0, "unset = false for a PIT teacher");
        assertTrue(Math.abs(first[2] - first[0]) > 1e-6, "projecting changes the targets: " + first[2] + " vs " + first[0]);
    }
}
