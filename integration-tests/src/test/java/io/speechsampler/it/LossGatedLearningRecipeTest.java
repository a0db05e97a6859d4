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
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code examples/lgl/lgl.yaml} as a user runs it, shortened with {@code --set}: the contrastive
 * stage, then two rounds of embed-and-cluster, an open phase and a gated phase on the round's
 * pseudo-labels, validated by EER on a fixed trial list; the classifier starts from the contrastive
 * weights with a fresh head.
 */
class LossGatedLearningRecipeTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path tmp;

    @Test
    void theRecipeClustersEveryRoundAndTrainsOnThePseudoLabels() throws IOException {
        Path corpus = tmp.resolve("corpus");
        SyntheticCorpus.write(new SynthSpec(8, 4, 0.5, 8000, 5, 2, 2), corpus, ProgressListener.NONE);
        Path run = tmp.resolve("lgl");
        CliRun r = CliRun.of("train", "--config", Path.of("..", "examples", "lgl", "lgl.yaml"), "--data",
                corpus.resolve("train"), "--valid", corpus.resolve("valid"), "--out", run,
                "--set", "batch.size=4", "--set", "model.crop_seconds=0.5", "--set", "train.max_steps_per_epoch=2",
                "--set", "phases[0].end.epochs=1", "--set", "phases[0].sampler.crop_seconds=0.5",
                "--set", "phases[1].repeat=2", "--set", "phases[1].before[0].clusters=4",
                "--set", "phases[1].sampler.crop_seconds=0.5", "--set", "phases[1].validation.count=40",
                "--set", "phases[1].end={epochs: 1}",
                "--set", "phases[1].phases[1].weighting.gate={per_round: [1, 3]}");
        assertEquals(0, r.code(), r.err());
        for (int round = 1; round <= 2; round++) {
            List<String> labels = Files.readAllLines(run.resolve("labels-" + round + ".tsv"));
            assertEquals(16, labels.size(), "every training utterance");
            Set<String> clusters = new HashSet<>();
            labels.forEach(l -> clusters.add(l.split("\t")[1]));
            assertTrue(clusters.size() <= 4 && clusters.size() >= 1, clusters.toString());
            JsonNode q = JSON.readTree(run.resolve("labels-" + round + ".tsv.json").toFile());
            assertTrue(q.get("purity").asDouble() > 0 && q.get("purity").asDouble() <= 1, q.toString());
            assertTrue(q.get("nmi").asDouble() >= 0 && q.get("nmi").asDouble() <= 1 + 1e-9, q.toString());
            for (String sub : List.of("00-open", "01-gated")) {
                Path phase = run.resolve("phases/01-lgl/round-" + round + "/" + sub);
                assertTrue(Files.isRegularFile(phase.resolve("phase.json")), phase.toString());
                assertTrue(Files.readString(phase.resolve("config.yaml")).contains(
                        run.resolve("labels-" + round + ".tsv").toAbsolutePath().toString()), "run: path resolved");
                assertTrue(Files.readString(phase.resolve("metrics.jsonl")).contains("\"type\":\"validation\""));
            }
        }
        assertTrue(Files.readString(run.resolve("labels-2.tsv.json")).contains("round-1"),
                "round 2 clusters with the model round 1 ended with");
        assertTrue(r.err().contains("freshly initialised"), "the head starts fresh: " + r.err());
        assertTrue(r.err().contains("phase 4/5: lgl/round-2/open, from phases/00-contrastive/"), r.err());
        assertTrue(r.err().contains("phase 5/5: lgl/round-2/gated, from phases/01-lgl/round-2/00-open/"), r.err());
        assertTrue(Files.readString(run.resolve("phases/01-lgl/round-2/01-gated/config.yaml")).contains("gate: 3"),
                "round 2's gate");
    }
}
