package io.speechsampler.it;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.speechsampler.audio.synth.ProgressListener;
import io.speechsampler.audio.synth.SynthSpec;
import io.speechsampler.audio.synth.SyntheticCorpus;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.LongStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A real {@code sampler train} process killed with SIGKILL after a checkpoint and some steps past
 * it, then {@code train --resume}: the run's {@code batches.jsonl} is byte for byte the one an
 * uninterrupted run writes (and what {@code plan} prints), {@code metrics.jsonl} holds every step
 * once, and no temporary file is left. Losses are not compared: CPU training is not yet
 * bit-reproducible (issue 9, the DJL scalar use-after-free).
 */
class KillAndResumeTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    /** 16 training utterances in mixtures of 2, batches of 2: 8 steps an epoch, 24 in all. */
    private static final int STEPS = 24;

    @TempDir
    static Path tmp;

    static Path train;
    static Path config;

    @BeforeAll
    static void corpusAndConfig() throws IOException {
        Path corpus = tmp.resolve("corpus");
        SyntheticCorpus.write(new SynthSpec(8, 4, 0.5, 8000, 5, 2, 2), corpus, ProgressListener.NONE);
        train = corpus.resolve("train");
        config = tmp.resolve("kill.yaml");
        Files.writeString(config, """
                seed: 3
                sampler: {name: dynamic-mixing, speakers: 2, segment_seconds: 0.25}
                batch: {name: fixed, size: 2}
                model: {name: conv-tasnet, preset: tiny, sources: 2}
                train: {epochs: 3, lr: 0.001, checkpoint_every: 3, validate_every: 0}
                """);
    }

    @Test
    void aKilledTrainingResumesToTheBatchesOfAnUninterruptedRun() throws Exception {
        Path run = tmp.resolve("killed");
        long start = System.nanoTime();
        Path log = tmp.resolve("killed.log");
        Process p = trainProcess(run, log);
        long checkpointStep = waitForCheckpointAndTwoStepsPast(p, run, log);
        p.destroyForcibly();
        assertTrue(p.waitFor(60, TimeUnit.SECONDS), "the killed process ended");
        assertEquals(128 + 9, p.exitValue(), "ended by SIGKILL");
        double killedAfter = (System.nanoTime() - start) / 1e9;
        long tracedBeforeResume = lines(run.resolve("batches.jsonl"));
        assertTrue(tracedBeforeResume > checkpointStep, "steps past the checkpoint were traced before the kill: "
                + tracedBeforeResume + " lines, checkpoint at step " + checkpointStep);

        // what a killed process may leave: a half-written checkpoint folder, temporaries of logs and
        // pointers, and the .tmp- names of earlier versions
        Path ckpts = run.resolve("checkpoints");
        Path halfCheckpoint = Files.createDirectories(ckpts.resolve(".step-0000000099.4242-1.tmp"));
        Files.write(halfCheckpoint.resolve("optimizer.bin"), new byte[] {0, 0, 0, 1, 0});
        Files.createDirectories(ckpts.resolve(".tmp-123456")).resolve("optimizer.bin").toFile().createNewFile();
        Files.writeString(ckpts.resolve(".latest.4242-2.tmp"), "step-00000");
        Files.writeString(run.resolve(".metrics.jsonl.4242-3.tmp"), "{\"type\":");

        long resumeStart = System.nanoTime();
        CliRun resumed = CliRun.of("train", "--config", config, "--data", train, "--out", run, "--resume");
        double resumeSeconds = (System.nanoTime() - resumeStart) / 1e9;
        assertEquals(0, resumed.code(), resumed.err());
        long resumedAt = Long.parseLong(Files.readString(ckpts.resolve("latest")).trim().substring(5));
        assertTrue(resumed.err().contains("resuming at step "), resumed.err());
        long from = Long.parseLong(resumed.err().replaceAll("(?s).*resuming at step (\\d+).*", "$1"));
        assertTrue(from >= checkpointStep && from < STEPS, "resumed from the last complete checkpoint: " + from);
        assertEquals(STEPS, resumedAt, "the resumed run finished");
        // the bar redraws on a timer, so its first drawing may come a few steps after the resume point
        java.util.regex.Matcher bar = java.util.regex.Pattern.compile(" (\\d+)/" + STEPS + " steps").matcher(resumed.err());
        assertTrue(bar.find() && Long.parseLong(bar.group(1)) >= from, "the progress bar starts at step " + from
                + " or later: " + resumed.err());
        assertFalse(resumed.err().contains(" 0/" + STEPS + " steps"), "the progress bar does not start at 0");

        Path whole = tmp.resolve("uninterrupted");
        CliRun uninterrupted = CliRun.of("train", "--config", config, "--data", train, "--out", whole);
        assertEquals(0, uninterrupted.code(), uninterrupted.err());

        byte[] trace = Files.readAllBytes(run.resolve("batches.jsonl"));
        assertArrayEquals(Files.readAllBytes(whole.resolve("batches.jsonl")), trace,
                "the killed and resumed run trained the batches of the uninterrupted run");
        assertEquals(STEPS, lines(run.resolve("batches.jsonl")));
        Path plan = tmp.resolve("plan.jsonl");
        assertEquals(0, CliRun.of("plan", "--config", config, "--data", train, "--epochs", 3, "--out", plan).code());
        assertArrayEquals(Files.readAllBytes(plan), trace, "batches.jsonl is what plan prints for the run");

        assertEquals(LongStream.range(0, STEPS).boxed().toList(), stepsOf(run.resolve("metrics.jsonl")),
                "metrics.jsonl holds every step once, in order");
        assertEquals(lossesOf(whole.resolve("metrics.jsonl")), lossesOf(run.resolve("metrics.jsonl")),
                "training replays exactly from the checkpoint: the same loss at every step");
        List<String> leftovers = new ArrayList<>();
        try (Stream<Path> s = Files.walk(run)) {
            s.map(x -> x.getFileName().toString()).filter(n -> n.endsWith(".tmp") || n.startsWith(".tmp-"))
                    .forEach(leftovers::add);
        }
        assertEquals(List.of(), leftovers, "no temporary file is left");
        System.out.printf("kill -9 and resume: killed %.1f s after the start (checkpoint at step %d, %d steps traced),"
                + " resumed from step %d in %.1f s%n", killedAfter, checkpointStep, tracedBeforeResume, from,
                resumeSeconds);
    }

    @Test
    void twoRunsOfOneConfigWriteTheSameLossAtEveryStepWhateverTheGarbageCollector() throws Exception {
        // one JVM as the launcher starts it, one with a 4 MiB young generation: a GC every few
        // allocations, between every forward and backward (DJL freed graph scalars on GC: issue 9)
        Path quiet = tmp.resolve("replay-a");
        Path busy = tmp.resolve("replay-b");
        Process a = trainProcess(quiet, tmp.resolve("replay-a.log"));
        assertTrue(a.waitFor(240, TimeUnit.SECONDS) && a.exitValue() == 0, Files.readString(tmp.resolve("replay-a.log")));
        Process b = trainProcess(busy, tmp.resolve("replay-b.log"), "-Xmn4m", "-verbose:gc");
        assertTrue(b.waitFor(240, TimeUnit.SECONDS) && b.exitValue() == 0, Files.readString(tmp.resolve("replay-b.log")));
        assertTrue(Files.readString(tmp.resolve("replay-b.log")).split("Pause Young", -1).length > STEPS,
                "the second run collected garbage more often than it stepped");
        List<Double> first = lossesOf(quiet.resolve("metrics.jsonl"));
        assertEquals(STEPS, first.size());
        assertEquals(first, lossesOf(busy.resolve("metrics.jsonl")), "identical losses at every step");
        assertFalse(Files.readString(tmp.resolve("replay-b.log")).contains("non-finite"), "no update skipped");
    }

    /** {@code sampler train} in a JVM of its own, as the launcher runs it, one PyTorch thread. */
    private static Process trainProcess(Path run, Path log, String... jvmOptions) throws IOException {
        return cliProcess(log, List.of(jvmOptions), "train", "--config", config.toString(), "--data", train.toString(),
                "--out", run.toString());
    }

    /** A {@code sampler} command in a JVM of its own, as the launcher runs it, one PyTorch thread. */
    static Process cliProcess(Path log, List<String> jvmOptions, String... args) throws IOException {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        String classPath = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        List<String> command = new ArrayList<>(List.of(java, "-Xmx1g"));
        command.addAll(jvmOptions);
        command.addAll(List.of("-Dai.djl.offline=true",
                "-Dai.djl.pytorch.num_threads=1", "-Dai.djl.pytorch.num_interop_threads=1", "-cp", classPath,
                "io.speechsampler.cli.Main"));
        command.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(command);
        pb.environment().put("OPT_OUT_TRACKING", "true");
        pb.environment().put("DJL_OFFLINE", "true");
        pb.redirectErrorStream(true).redirectOutput(log.toFile());
        return pb.start();
    }

    /** The step of the first checkpoint that has two traced steps after it; fails if training ends first. */
    private static long waitForCheckpointAndTwoStepsPast(Process p, Path run, Path log) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(240);
        Path latest = run.resolve("checkpoints/latest");
        while (System.nanoTime() < deadline) {
            if (!p.isAlive()) {
                fail("training ended (exit " + p.exitValue() + ") before it could be killed:\n" + Files.readString(log));
            }
            if (Files.isRegularFile(latest)) {
                String name = Files.readString(latest).trim();
                if (name.startsWith("step-")) {
                    long step = Long.parseLong(name.substring(5));
                    if (step > 0 && lines(run.resolve("batches.jsonl")) >= step + 2) {
                        return step;
                    }
                }
            }
            Thread.sleep(20);
        }
        p.destroyForcibly();
        fail("no checkpoint within 240 s:\n" + Files.readString(log));
        return -1;
    }

    /** Finished lines of a file (an unfinished last one not counted). */
    /**
     * Waits until the run in {@code phase} has a checkpoint and at least {@code beyond} steps past it
     * in {@code batches.jsonl}, then kills {@code p} (a watchdog of {@code seconds}, not a speed check:
     * it fails the test instead of hanging it when the run never gets there).
     */
    static void killAfterCheckpoint(Process p, Path phase, long beyond, Path log, int seconds) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        while (true) {
            if (!p.isAlive()) {
                fail("training ended before it could be killed:\n" + Files.readString(log));
            }
            Path latest = phase.resolve("checkpoints/latest");
            if (Files.isRegularFile(latest) && Files.readString(latest).trim().startsWith("step-")
                    && lines(phase.resolve("batches.jsonl"))
                    >= Long.parseLong(Files.readString(latest).trim().substring(5)) + beyond) {
                break;
            }
            if (System.nanoTime() > deadline) {
                p.destroyForcibly();
                fail("no checkpoint in " + phase.getFileName() + " within " + seconds + " s:\n" + Files.readString(log));
            }
            Thread.sleep(20);
        }
        p.destroyForcibly();
        assertTrue(p.waitFor(60, TimeUnit.SECONDS));
    }

    static long lines(Path f) throws IOException {
        if (!Files.exists(f)) {
            return 0;
        }
        byte[] b = Files.readAllBytes(f);
        long n = 0;
        for (byte x : b) {
            if (x == '\n') {
                n++;
            }
        }
        return n;
    }

    /** The optimised loss of every step, in order (null for a step that trained nothing). */
    static List<Double> lossesOf(Path metrics) throws IOException {
        List<Double> losses = new ArrayList<>();
        for (String line : Files.readAllLines(metrics, StandardCharsets.UTF_8)) {
            JsonNode o = JSON.readTree(line);
            if (o.get("type").asText().equals("step")) {
                losses.add(o.get("loss").isNull() ? null : o.get("loss").asDouble());
            }
        }
        return losses;
    }

    private static List<Long> stepsOf(Path metrics) throws IOException {
        List<Long> steps = new ArrayList<>();
        for (String line : Files.readAllLines(metrics, StandardCharsets.UTF_8)) {
            JsonNode o = JSON.readTree(line);
            if (o.get("type").asText().equals("step")) {
                steps.add(o.get("step").asLong());
            }
        }
        return steps;
    }
}
