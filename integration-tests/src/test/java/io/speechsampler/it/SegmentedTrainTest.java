package io.speechsampler.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.speechsampler.audio.synth.ProgressListener;
import io.speechsampler.audio.synth.SynthSpec;
import io.speechsampler.audio.synth.SyntheticCorpus;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code train} and {@code plan} with a segmented stage ({@code it-segment-repeat}, test only):
 * the epoch's size is not known in advance, so training shows no total; a run extended by
 * {@code --resume} writes the batches an uninterrupted run writes; {@code plan} resumed inside a
 * segment continues as the whole plan.
 */
class SegmentedTrainTest {

    @TempDir
    static Path tmp;

    static Path train;

    @BeforeAll
    static void corpus() {
        Path corpus = tmp.resolve("corpus");
        SyntheticCorpus.write(new SynthSpec(8, 4, 0.5, 8000, 5, 2, 2), corpus, ProgressListener.NONE);
        train = corpus.resolve("train");
    }

    private static Path config(String name, int epochs) throws IOException {
        Path p = tmp.resolve(name + ".yaml");
        Files.writeString(p, """
                seed: 3
                sampler: {name: dynamic-mixing, speakers: 2, segment_seconds: 0.25}
                stages: [{name: it-segment-repeat, every: 2}]
                batch: {name: fixed, size: 2}
                model: {name: conv-tasnet, preset: tiny, sources: 2}
                train: {epochs: %d, lr: 0.001, max_steps_per_epoch: 5, validate_every: 0}
                """.formatted(epochs));
        return p;
    }

    @Test
    void aSegmentedRunTrainsWithoutATotalAndAnExtendedRunWritesTheSameBatches() throws IOException {
        Path whole = tmp.resolve("whole");
        CliRun w = CliRun.of("train", "--config", config("whole", 2), "--data", train, "--out", whole);
        assertEquals(0, w.code(), w.err());
        assertTrue(w.err().contains("an unknown number of steps per epoch"), w.err());
        List<String> batches = Files.readAllLines(whole.resolve("batches.jsonl"));
        assertEquals(10, batches.size());
        assertTrue(batches.stream().anyMatch(l -> l.contains("\"repeat\"")), "the stage repeats draws");

        Path extended = tmp.resolve("extended");
        assertEquals(0, CliRun.of("train", "--config", config("first", 1), "--data", train, "--out", extended).code());
        CliRun r = CliRun.of("train", "--config", config("whole", 2), "--data", train, "--out", extended, "--resume");
        assertEquals(0, r.code(), r.err());
        assertEquals(batches, Files.readAllLines(extended.resolve("batches.jsonl")));
    }

    @Test
    void aPlanResumedInsideASegmentContinuesAsTheWholePlan() throws IOException {
        Path cfg = config("plan", 2);
        Path full = tmp.resolve("full.jsonl");
        assertEquals(0, CliRun.of("plan", "--config", cfg, "--data", train, "--epochs", 2, "--out", full).code());
        for (int k : new int[] {3, 7, 9}) {
            Path head = tmp.resolve("head" + k + ".jsonl");
            Path tail = tmp.resolve("tail" + k + ".jsonl");
            Path state = tmp.resolve("state" + k + ".json");
            assertEquals(0, CliRun.of("plan", "--config", cfg, "--data", train, "--epochs", 2, "--save-state-at", k,
                    "--state", state, "--out", head).code());
            assertTrue(Files.readString(state).contains("\"segments\""));
            assertEquals(0, CliRun.of("plan", "--config", cfg, "--data", train, "--epochs", 2, "--resume", state,
                    "--out", tail).code());
            List<String> joined = new ArrayList<>(Files.readAllLines(head));
            joined.addAll(Files.readAllLines(tail));
            assertEquals(Files.readAllLines(full), joined, "saved after " + k + " batches");
        }
    }
}
