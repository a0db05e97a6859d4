package io.speechsampler.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.speechsampler.audio.synth.ProgressListener;
import io.speechsampler.audio.synth.SynthSpec;
import io.speechsampler.audio.synth.SyntheticCorpus;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A phase's {@code before:} hook writes a file into the run folder that the phase then reads
 * ({@code run:PATH}); the hook sees the checkpoint the phase starts from; its files are recorded
 * with their SHA-256 and a resumed phase reuses them unless they changed.
 */
class RecipeHookTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path tmp;

    @Test
    void aHookWritesWhatThePhaseReadsAndRunsOnceUnlessItsFilesChanged() throws IOException {
        Path corpus = tmp.resolve("corpus");
        SyntheticCorpus.write(new SynthSpec(8, 4, 0.5, 8000, 5, 2, 2), corpus, ProgressListener.NONE);
        Path cfg = tmp.resolve("recipe.yaml");
        Files.writeString(cfg, """
                seed: 2
                sampler: {name: class-balanced, classes_per_batch: 4}
                batch: {name: fixed, size: 4}
                model: {name: xvector, crop_seconds: 0.5}
                train: {epochs: 1, max_steps_per_epoch: 2, validate_every: 0}
                phases:
                  - name: first
                  - name: second
                    before: [{name: test-weights, out: weights.tsv}]
                    sampler: {name: weighted, weights: "run:weights.tsv", num_draws: 16}
                """);
        Path run = tmp.resolve("run");
        int before = WeightsHook.RUNS.get();
        CliRun r = CliRun.of("train", "--config", cfg, "--data", corpus.resolve("train"), "--out", run);
        assertEquals(0, r.code(), r.err());
        assertEquals(before + 1, WeightsHook.RUNS.get());
        assertTrue(Files.readString(run.resolve("weights.tsv.from")).contains("00-first"),
                "the hook sees the checkpoint the phase starts from");
        JsonNode record = JSON.readTree(run.resolve("phases/01-second/hooks.json").toFile());
        assertEquals(64, record.get(0).get("files").get("weights.tsv").asText().length(), record.toString());
        // only the even speakers (weight 1) are drawn in the second phase
        for (String line : Files.readAllLines(run.resolve("phases/01-second/batches.jsonl"))) {
            for (JsonNode d : JSON.readTree(line).get("draws")) {
                int speaker = Integer.parseInt(d.get("id").asText().replaceAll("^spk0*(\\d+)-.*$", "$1"));
                assertEquals(1, speaker % 2, "spk numbers start at 1, so an even index is an odd number: " + d);
            }
        }

        // a second phase killed before it ended: the hook's files are intact and reused
        resetSecondPhase(run);
        CliRun again = CliRun.of("train", "--config", cfg, "--data", corpus.resolve("train"), "--out", run, "--resume");
        assertEquals(0, again.code(), again.err());
        assertEquals(before + 1, WeightsHook.RUNS.get(), "not run again: " + again.err());
        // a changed file makes the hook run again
        resetSecondPhase(run);
        Files.writeString(run.resolve("weights.tsv"), "changed\n");
        CliRun changed = CliRun.of("train", "--config", cfg, "--data", corpus.resolve("train"), "--out", run, "--resume");
        assertEquals(0, changed.code(), changed.err());
        assertEquals(before + 2, WeightsHook.RUNS.get());
    }

    private static void resetSecondPhase(Path run) throws IOException {
        Path second = run.resolve("phases/01-second");
        try (Stream<Path> s = Files.list(second)) {
            for (Path p : s.toList()) {
                if (!p.getFileName().toString().equals("hooks.json")) {
                    deleteTree(p);
                }
            }
        }
    }

    private static void deleteTree(Path p) throws IOException {
        try (Stream<Path> s = Files.walk(p)) {
            for (Path q : s.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.delete(q);
            }
        }
    }
}
