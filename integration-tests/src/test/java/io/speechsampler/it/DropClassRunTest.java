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
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code drop-class} in real x-vector training runs, configured as {@code examples/dropclass/dropclass.yaml}
 * is: listed by {@code providers}; {@code drops.jsonl} holds one line per period, and no batch of a
 * period draws one of its dropped speakers; a resumed run (lines a killed process wrote past its
 * checkpoint included) holds every period once, as the uninterrupted run; bad input is one line,
 * exit 2, and nothing is written.
 */
class DropClassRunTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    static Path tmp;

    static Path train;

    @BeforeAll
    static void corpus() {
        Path corpus = tmp.resolve("corpus");
        // 10 training speakers x 4 utterances: batches of 4, 10 an epoch
        SyntheticCorpus.write(new SynthSpec(14, 4, 0.5, 8000, 6, 2, 2), corpus, ProgressListener.NONE);
        train = corpus.resolve("train");
    }

    /** The example with 4 of 10 speakers dropped every 3 batches, batches of 4 and a short training section. */
    private static Path config(String name, int epochs, String drop) throws IOException {
        String yaml = Files.readString(Path.of("..", "examples", "dropclass", "dropclass.yaml"))
                .replace("num_drop: 10, steps_per_drop: 20", drop).replace("size: 8", "size: 4")
                .replace("crop_seconds: 2.0", "crop_seconds: 0.5")
                .replaceAll("(?m)^train: .*$", "train: {epochs: " + epochs + ", lr: 0.001, validate_every: 0}");
        return Files.writeString(tmp.resolve(name + ".yaml"), yaml);
    }

    private static CliRun train(Path config, Path run, boolean resume) {
        return resume ? CliRun.of("train", "--config", config, "--data", train, "--out", run, "--resume")
                : CliRun.of("train", "--config", config, "--data", train, "--out", run);
    }

    private static List<JsonNode> jsonLines(Path f) throws IOException {
        List<JsonNode> out = new ArrayList<>();
        for (String l : Files.readAllLines(f)) {
            out.add(JSON.readTree(l));
        }
        return out;
    }

    @Test
    void providersListsIt() {
        CliRun r = CliRun.of("providers");
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("#### `drop-class` (mask)"), r.out());
    }

    @Test
    void dropsJsonlHasEveryPeriodOnceAndNoBatchDrawsItsDroppedSpeakers() throws IOException {
        Path whole = tmp.resolve("whole");
        Path cfg = config("whole", 2, "num_drop: 4, steps_per_drop: 3");
        CliRun r = train(cfg, whole, false);
        assertEquals(0, r.code(), r.err());
        List<JsonNode> drops = jsonLines(whole.resolve("drops.jsonl"));
        List<JsonNode> batches = jsonLines(whole.resolve("batches.jsonl"));
        assertEquals(20, batches.size());
        assertEquals(List.of(0L, 3L, 6L, 9L, 12L, 15L, 18L), drops.stream().map(d -> d.get("step").asLong()).toList());
        for (JsonNode d : drops) {
            assertEquals(4, d.get("num_dropped").asInt());
            assertEquals(4, d.get("speakers").size());
            Set<String> dropped = new HashSet<>();
            d.get("speakers").forEach(s -> dropped.add(s.asText()));
            long step = d.get("step").asLong();
            for (JsonNode b : batches.subList((int) step, (int) Math.min(step + 3, batches.size()))) {
                for (JsonNode draw : b.get("draws")) {
                    String speaker = draw.get("id").asText().replaceAll("-.*", "");
                    assertFalse(dropped.contains(speaker), "step " + b.get("step") + " draws " + speaker
                            + ", dropped at step " + step);
                }
            }
        }
        Path plan = tmp.resolve("plan.jsonl");
        assertEquals(0, CliRun.of("plan", "--config", cfg, "--data", train, "--epochs", 2, "--out", plan).code());
        assertEquals(Files.readAllLines(plan), Files.readAllLines(whole.resolve("batches.jsonl")),
                "train trained the batches plan prints");

        // one epoch, then lines a killed process could have written past its checkpoint, then --resume to 2
        Path part = tmp.resolve("part");
        assertEquals(0, train(config("part", 1, "num_drop: 4, steps_per_drop: 3"), part, false).code());
        Files.writeString(part.resolve("drops.jsonl"), "{\"step\":12,\"dropped\":[0]}\n{\"step\":1",
                StandardOpenOption.APPEND);
        r = train(cfg, part, true);
        assertEquals(0, r.code(), r.err());
        assertEquals(Files.readAllLines(whole.resolve("drops.jsonl")), Files.readAllLines(part.resolve("drops.jsonl")));
        assertEquals(Files.readAllLines(whole.resolve("batches.jsonl")),
                Files.readAllLines(part.resolve("batches.jsonl")));
    }

    @Test
    void badInputIsOneLineExitTwoAndNothingIsWritten() throws IOException {
        for (String[] bad : new String[][] {
                {"num_drop: 10, steps_per_drop: 3", "'components.dc.num_drop' is not < the number of classes (10 speakers): 10"},
                {"num_drop: 7, steps_per_drop: 3", "'components.dc.num_drop' 7 leaves 3 of 10 classes live, fewer than the 4"},
                {"num_drop: 4, steps_per_drop: 0", "'components.dc.steps_per_drop' is not >= 1: 0"}}) {
            Path run = tmp.resolve("bad");
            CliRun r = train(config("bad", 1, bad[0]), run, false);
            assertEquals(Main.BAD_INPUT, r.code(), r.err());
            List<String> lines = r.err().strip().lines().toList();
            assertEquals(1, lines.size(), r.err());
            assertTrue(lines.get(0).startsWith("error: ") && lines.get(0).contains(bad[1]), lines.get(0));
            assertFalse(Files.exists(run), "nothing written for " + bad[0]);
        }
    }
}
