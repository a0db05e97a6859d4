package io.speechsampler.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.speechsampler.audio.synth.ProgressListener;
import io.speechsampler.audio.synth.SynthSpec;
import io.speechsampler.audio.synth.SyntheticCorpus;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code examples/dropclass/dropadapt.yaml} as a user runs it (shortened with {@code --set}): the
 * adapt phase starts from the base phase's checkpoint, drops classes by the model's posteriors over
 * the enrolment speakers, cumulatively, never draws a dropped speaker afterwards, and records every
 * period in {@code drops.jsonl}; without init_from it is refused before anything trains.
 */
class DropAdaptRunTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    static Path tmp;

    static Path corpus;

    @BeforeAll
    static void corpus() {
        corpus = tmp.resolve("corpus");
        // 10 training speakers x 4 utterances, 2 test speakers as the enrolment set
        SyntheticCorpus.write(new SynthSpec(14, 4, 0.5, 8000, 6, 2, 2), corpus, ProgressListener.NONE);
    }

    private static List<Object> args(Path run, String... more) {
        List<Object> a = new ArrayList<>(List.of("train", "--config",
                Path.of("..", "examples", "dropclass", "dropadapt.yaml"), "--data", corpus.resolve("train"), "--out", run,
                "--set", "batch.size=4", "--set", "sampler.classes_per_batch=4",
                "--set", "phases[1].sampler.classes_per_batch=4", "--set", "model.crop_seconds=0.5",
                "--set", "train.epochs=1", "--set", "phases[1].end.epochs=1",
                "--set", "phases[1].components.da.num_drop=2", "--set", "phases[1].components.da.steps_per_drop=3",
                "--set", "phases[1].components.da.max_drop=4",
                "--set", "phases[1].components.da.enrolment=" + corpus.resolve("test").toAbsolutePath()));
        a.addAll(List.of((Object[]) more));
        return a;
    }

    @Test
    void theAdaptPhaseDropsByPosteriorMassCumulativelyAndNeverDrawsADroppedSpeaker() throws IOException {
        Path run = tmp.resolve("adapt");
        CliRun r = CliRun.of(args(run).toArray());
        assertEquals(0, r.code(), r.err());
        Path adapt = run.resolve("phases/01-adapt");
        List<String> drops = Files.readAllLines(adapt.resolve("drops.jsonl"));
        assertTrue(drops.size() >= 2, "periods at steps 0 and 3: " + drops);
        JsonNode first = JSON.readTree(drops.get(0));
        JsonNode second = JSON.readTree(drops.get(1));
        assertEquals(2, first.get("num_dropped").asInt());
        assertEquals(4, second.get("num_dropped").asInt(), "cumulative: " + drops);
        Set<String> firstDropped = new HashSet<>();
        first.get("speakers").forEach(s -> firstDropped.add(s.asText()));
        Set<String> secondDropped = new HashSet<>();
        second.get("speakers").forEach(s -> secondDropped.add(s.asText()));
        assertTrue(secondDropped.containsAll(firstDropped), "a dropped class stays dropped");
        for (String line : Files.readAllLines(adapt.resolve("batches.jsonl"))) {
            JsonNode b = JSON.readTree(line);
            Set<String> dropped = b.get("step").asLong() < second.get("step").asLong() ? firstDropped : secondDropped;
            for (JsonNode d : b.get("draws")) {
                String speaker = d.get("id").asText().replaceAll("-[^-]*$", "");
                assertFalse(dropped.contains(speaker), "step " + b.get("step") + " drew dropped " + d);
            }
        }
        assertTrue(r.err().contains("phase 2/2: adapt, from phases/00-base/checkpoints/step-"), r.err());
    }

    @Test
    void theRandomControlRunsWithoutAnEnrolmentSetAndAFreshStartIsRefused() throws IOException {
        Path run = tmp.resolve("random");
        List<Object> a = args(run, "--set", "phases[1].components.da.mode=random");
        int i = a.indexOf("phases[1].components.da.enrolment=" + corpus.resolve("test").toAbsolutePath());
        a.set(i, "phases[1].components.da.enrolment=null");
        CliRun r = CliRun.of(a.toArray());
        assertEquals(0, r.code(), r.err());
        assertTrue(Files.readAllLines(run.resolve("phases/01-adapt/drops.jsonl")).size() >= 2);

        CliRun fresh = CliRun.of(args(tmp.resolve("fresh"), "--set", "phases[1].init_from=none").toArray());
        assertEquals(2, fresh.code(), fresh.err());
        assertTrue(fresh.err().contains("adapts a trained model"), fresh.err());
        assertFalse(Files.exists(tmp.resolve("fresh/phases")), "nothing trained");

        // an enrolment set at another rate, or none at all, is refused before the base phase trains
        Path c16 = tmp.resolve("c16");
        SyntheticCorpus.write(new SynthSpec(3, 2, 0.5, 16000, 7, 0, 0), c16, ProgressListener.NONE);
        Path empty = Files.createDirectories(tmp.resolve("no-corpus"));
        String[][] cases = {
                {c16.resolve("train").toAbsolutePath().toString(), "is at 16000 Hz, the training corpus at 8000 Hz"},
                {empty.toAbsolutePath().toString(), "neither wav.scp nor manifest.jsonl found"}};
        for (String[] c : cases) {
            Path out = tmp.resolve("bad-enrolment");
            CliRun bad = CliRun.of(args(out, "--set", "phases[1].components.da.enrolment=" + c[0]).toArray());
            assertEquals(2, bad.code(), bad.err());
            assertTrue(bad.err().contains(c[1]), bad.err());
            assertEquals(1, bad.err().strip().lines().filter(l -> l.startsWith("error:")).count(), bad.err());
            assertFalse(Files.exists(out), "nothing written: " + c[0]);
        }
    }
}
