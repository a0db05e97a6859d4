package io.speechsampler.it;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.speechsampler.audio.synth.ProgressListener;
import io.speechsampler.audio.synth.SynthSpec;
import io.speechsampler.audio.synth.SyntheticCorpus;
import io.speechsampler.cli.Main;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Consumer;
import java.util.stream.LongStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What a user sees when a resume is refused or a run folder is damaged: one {@code error:} line
 * naming the file and what was expected, exit 2, and the run folder exactly as it was; raising
 * {@code train.epochs} extends a run; an evaluation report that cannot be written whole leaves the
 * previous one whole; files are made with the user's umask.
 */
class RunFolderFaultsTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    private static final String CONFIG = """
            seed: 4
            sampler: {name: dynamic-mixing, speakers: 2, segment_seconds: 0.25}
            batch: {name: fixed, size: 2}
            model: {name: conv-tasnet, preset: tiny, sources: 2}
            train: {epochs: 1, max_steps_per_epoch: 3, lr: 0.001, checkpoint_every: 2, validate_every: 0}
            """;

    @TempDir
    static Path tmp;

    static Path corpus;
    static Path config;
    /** A finished run of 3 steps; latest checkpoint at step 3 (the mid-epoch one at 2 is pruned). */
    static Path base;

    @BeforeAll
    static void baseRun() throws IOException {
        corpus = tmp.resolve("corpus");
        SyntheticCorpus.write(new SynthSpec(8, 4, 0.5, 8000, 6, 2, 2), corpus, ProgressListener.NONE);
        config = write("run.yaml", CONFIG);
        base = tmp.resolve("base");
        CliRun r = train(config, base, false);
        assertEquals(0, r.code(), r.err());
    }

    private static Path write(String name, String text) throws IOException {
        return Files.writeString(tmp.resolve(name), text);
    }

    private static CliRun train(Path cfg, Path run, boolean resume) {
        List<Object> args = new ArrayList<>(List.of("train", "--config", cfg, "--data", corpus.resolve("train"),
                "--out", run));
        if (resume) {
            args.add("--resume");
        }
        return CliRun.of(args.toArray());
    }

    @Test
    void anotherConfigIsRefusedNamingTheKeysAndChangesNothing() throws IOException {
        Path run = copy(base, "refused");
        Map<String, String> before = snapshot(run);
        Path other = write("other.yaml", CONFIG.replace("size: 2", "size: 4").replace("lr: 0.001", "lr: 0.002"));
        CliRun r = train(other, run, true);
        assertOneErrorLine(r, run.resolve("config.yaml") + ": the run was trained with another config; batch.size, "
                + "train.lr differ (only train.epochs may be raised, to extend the run)");
        assertEquals(before, snapshot(run), "the refused resume changed nothing in the run folder");
    }

    @Test
    void raisingEpochsExtendsTheRunAsIfItHadBeenLongerFromTheStart() throws IOException {
        Path run = copy(base, "extended");
        Path longer = write("longer.yaml", CONFIG.replace("epochs: 1", "epochs: 2"));
        CliRun r = train(longer, run, true);
        assertEquals(0, r.code(), r.err());
        assertTrue(r.err().contains("resuming at step 3 (epoch 1)"), r.err());
        assertTrue(Files.readString(run.resolve("config.yaml")).contains("epochs: 2"), "the run's config is the new one");
        assertEquals(LongStream.range(0, 6).boxed().toList(), steps(run.resolve("metrics.jsonl")));
        Path whole = tmp.resolve("two-epochs");
        assertEquals(0, train(longer, whole, false).code());
        assertArrayEquals(Files.readAllBytes(whole.resolve("batches.jsonl")), Files.readAllBytes(run.resolve(
                "batches.jsonl")), "the extended run trained the batches of a run of 2 epochs");
    }

    @Test
    void eachDamagedCheckpointIsOneLineAndExit2AndChangesNothing() throws IOException {
        String latest = Files.readString(base.resolve("checkpoints/latest")).trim();
        assertEquals("step-0000000003", latest);
        String ckpt = "checkpoints/" + latest + "/";
        damaged("state-truncated", run -> truncate(run.resolve(ckpt + "state.json")),
                ckpt + "state.json: ends early at line");
        damaged("optimizer-truncated", run -> truncate(run.resolve(ckpt + "optimizer.bin")),
                ckpt + "optimizer.bin: cannot load the optimizer state (it ends early: truncated)");
        damaged("optimizer-missing", run -> delete(run.resolve(ckpt + "optimizer.bin")),
                ckpt + "optimizer.bin: not found; expected the checkpoint's optimizer state");
        damaged("params-truncated", run -> truncate(run.resolve(ckpt + "model.params")),
                ckpt + "model.params: cannot load model parameters");
        damaged("latest-missing-step", run -> overwrite(run.resolve("checkpoints/latest"), "step-0000000009\n"),
                "checkpoints/latest: names checkpoint step-0000000009, which does not exist");
        damaged("latest-garbage", run -> overwrite(run.resolve("checkpoints/latest"), "../../etc\n"),
                "checkpoints/latest: expected the name of a checkpoint folder (step-NNNNNNNNNN), got '../../etc'");
        damaged("steps-missing", run -> editState(run.resolve(ckpt + "state.json"), s -> s.remove("steps")),
                ckpt + "state.json: missing 'steps'; expected a whole number >= 0");
        damaged("steps-x", run -> editState(run.resolve(ckpt + "state.json"), s -> s.put("steps_in_epoch", "x")),
                ckpt + "state.json: 'steps_in_epoch' must be a whole number >= 0, got \"x\"");
        damaged("position-negative", run -> editState(run.resolve(ckpt + "state.json"),
                s -> ((ObjectNode) s.get("pipeline")).put("position", -3)),
                ckpt + "state.json: the pipeline state is refused: 'position' must be a whole number >= 0, got -3");
        damaged("epoch-5", run -> editState(run.resolve(ckpt + "state.json"),
                s -> ((ObjectNode) s.get("pipeline")).put("epoch", 5)),
                ckpt + "state.json: the pipeline is at epoch 5, past the run's 1 epochs (train.epochs)");
        damaged("steps-edited", run -> editState(run.resolve(ckpt + "state.json"), s -> s.put("steps", 7)),
                ckpt + "state.json: 'steps' 7 and 'steps_in_epoch' 0 do not match the pipeline's step 3");
        damaged("no-config", run -> delete(run.resolve("config.yaml")),
                "no run to resume (expected config.yaml from an earlier 'sampler train' into this folder)");
    }

    /** Damages a copy of the base run, resumes it: one error line containing {@code expected}, nothing changed. */
    private static void damaged(String name, Consumer<Path> damage, String expected) throws IOException {
        Path run = copy(base, name);
        damage.accept(run);
        Map<String, String> before = snapshot(run);
        CliRun r = train(config, run, true);
        assertOneErrorLine(r, expected);
        assertEquals(before, snapshot(run), name + ": the refused resume changed nothing in the run folder");
    }

    private static void assertOneErrorLine(CliRun r, String expected) {
        assertEquals(Main.BAD_INPUT, r.code(), r.err());
        List<String> lines = r.err().strip().lines().toList();
        assertEquals(1, lines.size(), "one line: " + r.err());
        String line = lines.get(0);
        assertTrue(line.startsWith("error: "), line);
        assertTrue(line.contains(expected), "expected '" + expected + "' in: " + line);
        assertFalse(line.contains("Exception") || line.contains("null"), "no Java class names or null: " + line);
    }

    @Test
    void checkpointsAndLogsHaveTheUmasksPermissions() throws IOException {
        Set<PosixFilePermission> file = Files.getPosixFilePermissions(Files.createFile(tmp.resolve("probe-file")));
        Set<PosixFilePermission> folder = Files.getPosixFilePermissions(Files.createDirectory(tmp.resolve("probe-dir")));
        for (String f : List.of("checkpoints/latest", "checkpoints/step-0000000003/state.json",
                "checkpoints/step-0000000003/optimizer.bin", "config.yaml", "model.json", "metrics.jsonl",
                "batches.jsonl")) {
            assertEquals(file, Files.getPosixFilePermissions(base.resolve(f)), f + ": as a file the user makes");
        }
        assertEquals(folder, Files.getPosixFilePermissions(base.resolve("checkpoints/step-0000000003")),
                "a checkpoint folder: as a folder the user makes");
    }

    @Test
    void aReportThatCannotBeWrittenWholeLeavesThePreviousReportWhole() throws IOException {
        Path eval = tmp.resolve("eval");
        CliRun first = CliRun.of("evaluate", "--checkpoint", base, "--data", corpus.resolve("test"), "--out", eval);
        assertEquals(0, first.code(), first.err());
        Files.delete(eval.resolve("si_snri_sorted.png"));
        Files.createDirectory(eval.resolve("si_snri_sorted.png"));
        Map<String, String> before = snapshot(eval);
        CliRun second = CliRun.of("evaluate", "--checkpoint", base, "--data", corpus.resolve("valid"), "--out", eval);
        assertOneErrorLine(second, eval.resolve("si_snri_sorted.png") + ": cannot write: it is a folder");
        assertEquals(before, snapshot(eval), "si_snri.csv and summary.json are still the first report's");

        Files.delete(eval.resolve("si_snri_sorted.png"));
        CliRun third = CliRun.of("evaluate", "--checkpoint", base, "--data", corpus.resolve("valid"), "--out", eval);
        assertEquals(0, third.code(), third.err());
        JsonNode summary = JSON.readTree(eval.resolve("summary.json").toFile());
        assertTrue(summary.get("data").asText().endsWith("valid"), summary.toString());
        assertEquals(Set.of("si_snri.csv", "si_snri_sorted.png", "summary.json"), snapshot(eval).keySet(),
                "the new report whole, no temporary file");
    }

    private static Path copy(Path from, String name) throws IOException {
        Path to = tmp.resolve(name);
        try (Stream<Path> s = Files.walk(from)) {
            for (Path p : s.toList()) {
                Path t = to.resolve(from.relativize(p).toString());
                if (Files.isDirectory(p)) {
                    Files.createDirectories(t);
                } else {
                    Files.copy(p, t);
                }
            }
        }
        return to;
    }

    /** Every file under {@code dir} (relative path) with its SHA-256; folders with "dir". */
    private static Map<String, String> snapshot(Path dir) throws IOException {
        Map<String, String> out = new TreeMap<>();
        try (Stream<Path> s = Files.walk(dir)) {
            for (Path p : s.filter(x -> !x.equals(dir)).toList()) {
                out.put(dir.relativize(p).toString(), Files.isDirectory(p) ? "dir" : sha256(Files.readAllBytes(p)));
            }
        }
        return out;
    }

    private static String sha256(byte[] b) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(b));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static List<Long> steps(Path metrics) throws IOException {
        List<Long> out = new ArrayList<>();
        for (String line : Files.readAllLines(metrics)) {
            JsonNode o = JSON.readTree(line);
            if (o.get("type").asText().equals("step")) {
                out.add(o.get("step").asLong());
            }
        }
        return out;
    }

    private static void truncate(Path f) {
        try {
            byte[] b = Files.readAllBytes(f);
            Files.write(f, java.util.Arrays.copyOf(b, b.length / 2));
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void delete(Path f) {
        try {
            Files.delete(f);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void overwrite(Path f, String text) {
        try {
            Files.writeString(f, text);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void editState(Path f, Consumer<ObjectNode> edit) {
        try {
            ObjectNode s = (ObjectNode) JSON.readTree(f.toFile());
            edit.accept(s);
            JSON.writerWithDefaultPrettyPrinter().writeValue(f.toFile(), s);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void aStartRefusedBeforeItsFirstStepCanBeCorrectedInTheSameFolder() throws IOException {
        Path run = tmp.resolve("refused-start");
        // an x-vector model cannot train on mixtures: refused when the first batch is rendered
        Path wrong = write("wrong-model.yaml", CONFIG.replace("model: {name: conv-tasnet, preset: tiny, sources: 2}",
                "model: {name: xvector}"));
        CliRun refused = train(wrong, run, false);
        assertEquals(2, refused.code(), refused.err());
        CliRun corrected = train(config, run, false);
        assertEquals(0, corrected.code(), "a folder holding only a refused start is not a run: " + corrected.err());
        CliRun again = train(config, run, false);
        assertEquals(2, again.code());
        assertTrue(again.err().contains("already holds a run"), again.err());
    }
}
