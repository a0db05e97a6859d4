package io.speechsampler.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.speechsampler.audio.synth.ProgressListener;
import io.speechsampler.audio.synth.SynthSpec;
import io.speechsampler.audio.synth.SyntheticCorpus;
import io.speechsampler.cli.Main;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code info-batch} in real training runs: listed by {@code providers}; its scores are saved in
 * the checkpoint's {@code state.bin} (state.json holds a reference), restored from it (a run
 * extended by raising {@code train.epochs} trains the batches of a run that was longer from the
 * start, pruned by the restored scores), and a damaged {@code state.bin} is one error line, exit 2.
 */
class InfoBatchRunTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    // prune_ratio 0.9: of the about 6 draws below the mean score, epoch 1 keeps about 1
    private static final String CONFIG = """
            seed: 4
            sampler: {name: dynamic-mixing, speakers: 2, segment_seconds: 0.25}
            stages: [{name: info-batch, prune_ratio: 0.9}]
            batch: {name: fixed, size: 2}
            model: {name: conv-tasnet, preset: tiny, sources: 2}
            train: {epochs: 2, lr: 0.001, validate_every: 0}
            """;

    @TempDir
    static Path tmp;

    static Path corpus;

    @BeforeAll
    static void corpus() throws IOException {
        corpus = tmp.resolve("corpus");
        // 4 training speakers x 3 utterances: 12 mixtures (6 batches) an epoch
        SyntheticCorpus.write(new SynthSpec(8, 3, 0.5, 8000, 6, 2, 2), corpus, ProgressListener.NONE);
    }

    private static CliRun train(String config, Path run, boolean resume) throws IOException {
        Path cfg = Files.writeString(tmp.resolve(run.getFileName() + ".yaml"), config);
        return resume ? CliRun.of("train", "--config", cfg, "--data", corpus.resolve("train"), "--out", run, "--resume")
                : CliRun.of("train", "--config", cfg, "--data", corpus.resolve("train"), "--out", run);
    }

    private static Path latest(Path run) throws IOException {
        return run.resolve("checkpoints").resolve(Files.readString(run.resolve("checkpoints/latest")).trim());
    }

    private static List<JsonNode> batches(Path run) throws IOException {
        try (Stream<String> lines = Files.lines(run.resolve("batches.jsonl"))) {
            return lines.map(l -> {
                try {
                    return JSON.readTree(l);
                } catch (IOException e) {
                    throw new IllegalStateException(e);
                }
            }).toList();
        }
    }

    @Test
    void providersListsIt() {
        CliRun r = CliRun.of("providers");
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("info-batch"), r.out());
    }

    @Test
    void theScoresLiveInStateBinAndAnExtendedRunTrainsTheLongerRunsBatches() throws IOException {
        Path whole = tmp.resolve("whole");
        CliRun r = train(CONFIG, whole, false);
        assertEquals(0, r.code(), r.err());
        List<JsonNode> all = batches(whole);
        int epoch1 = all.stream().filter(b -> b.get("epoch").asInt() == 1).mapToInt(b -> b.get("draws").size()).sum();
        assertTrue(epoch1 < 12, "epoch 1 pruned: " + epoch1 + " draws of 12");
        assertTrue(all.stream().anyMatch(b -> b.toString().contains("rescaled")), "kept well-learned draws are tagged");

        Path part = tmp.resolve("part");
        assertEquals(0, train(CONFIG.replace("epochs: 2", "epochs: 1"), part, false).code());
        Path ckpt = latest(part);
        assertTrue(Files.size(ckpt.resolve("state.bin")) > 12 * 8, "two columns of 12 utterances");
        String state = Files.readString(ckpt.resolve("state.json"));
        assertTrue(state.contains("\"$binary\" : \"state.bin\""), state);
        r = train(CONFIG, part, true);
        assertEquals(0, r.code(), r.err());
        assertEquals(all.stream().map(JsonNode::toString).toList(), batches(part).stream().map(JsonNode::toString).toList(),
                "the extended run trains the batches of the run planned with 2 epochs from the start");
    }

    @Test
    void aDamagedOrMissingStateBinIsOneErrorLine() throws IOException {
        Path run = tmp.resolve("damaged");
        assertEquals(0, train(CONFIG.replace("epochs: 2", "epochs: 1"), run, false).code());
        Path bin = latest(run).resolve("state.bin");
        byte[] whole = Files.readAllBytes(bin);
        Files.write(bin, Arrays.copyOf(whole, whole.length - 5));
        assertOneErrorLine(train(CONFIG, run, true), bin + ": ends at byte ");
        byte[] flipped = whole.clone();
        flipped[whole.length / 2] ^= 4;
        Files.write(bin, flipped);
        assertOneErrorLine(train(CONFIG, run, true), bin + ": the binary part at byte ");
        Files.delete(bin);
        assertOneErrorLine(train(CONFIG, run, true), bin + ": not found; the state names it for its binary part");
    }

    private static void assertOneErrorLine(CliRun r, String expected) {
        assertEquals(Main.BAD_INPUT, r.code(), r.err());
        List<String> lines = r.err().strip().lines().toList();
        assertEquals(1, lines.size(), "one line: " + r.err());
        assertTrue(lines.get(0).startsWith("error: ") && lines.get(0).contains(expected), lines.get(0));
        assertFalse(lines.get(0).contains("Exception"), lines.get(0));
    }
}
