package io.speechsampler.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.speechsampler.api.corpus.Corpus;
import io.speechsampler.api.corpus.CorpusReader;
import io.speechsampler.api.corpus.Labels;
import io.speechsampler.api.draw.DrawJson;
import io.speechsampler.audio.synth.ProgressListener;
import io.speechsampler.audio.synth.SynthSpec;
import io.speechsampler.audio.synth.SyntheticCorpus;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
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
        SyntheticCorpus.write(new SynthSpec(8, 4, 0.7, 8000, 5, 2, 2), corpus, ProgressListener.NONE);
        Path run = tmp.resolve("lgl");
        CliRun r = CliRun.of("train", "--config", Path.of("..", "examples", "lgl", "lgl.yaml"), "--data",
                corpus.resolve("train"), "--valid", corpus.resolve("valid"), "--out", run,
                "--set", "batch.size=4", "--set", "model.crop_seconds=0.5", "--set", "train.max_steps_per_epoch=2",
                "--set", "phases[0].end.epochs=1", "--set", "phases[0].sampler.crop_seconds=0.5",
                "--set", "phases[1].repeat=2", "--set", "phases[1].before[0].clusters=4",
                "--set", "phases[1].sampler.crop_seconds=0.5", "--set", "phases[1].validation.count=40",
                "--set", "phases[1].end={epochs: 1}",
                "--set", "phases[1].phases[0].weighting.gate={per_round: [1, 3]}",
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
        theGateIsMeasuredAndReported(corpus.resolve("train"), run);
    }

    /**
     * The gate's epoch lines in {@code metrics.jsonl} survive a resume that extends the run: each
     * epoch's line once, those before the checkpoint kept, the new epoch's appended.
     */
    @Test
    void aResumedRunKeepsOneGateLinePerEpoch() throws IOException {
        Path corpus = tmp.resolve("corpus");
        SyntheticCorpus.write(new SynthSpec(8, 4, 0.5, 8000, 5, 2, 2), corpus, ProgressListener.NONE);
        Path run = tmp.resolve("gate");
        List<Object> common = List.of("--config", Path.of("..", "examples", "lossgate.yaml"), "--data",
                corpus.resolve("train"), "--out", run, "--set", "batch.size=4", "--set", "sampler.classes_per_batch=4",
                "--set", "model.crop_seconds=0.5", "--set", "train.max_steps_per_epoch=2", "--set",
                "weighting.open_epochs=1");
        List<Object> first = new ArrayList<>(List.of("train"));
        first.addAll(common);
        first.addAll(List.of("--set", "train.epochs=2"));
        CliRun r = CliRun.of(first.toArray());
        assertEquals(0, r.code(), r.err());
        List<Object> more = new ArrayList<>(List.of("train"));
        more.addAll(common);
        more.addAll(List.of("--set", "train.epochs=3", "--resume"));
        r = CliRun.of(more.toArray());
        assertEquals(0, r.code(), r.err());
        List<Integer> epochs = new ArrayList<>();
        for (String line : Files.readAllLines(run.resolve("metrics.jsonl"))) {
            JsonNode o = JSON.readTree(line);
            if (o.get("type").asText().equals("gate")) {
                epochs.add(o.get("epoch").asInt());
                assertEquals(8, o.get("seen").asInt(), line);
                assertEquals(o.get("epoch").asInt() == 0 ? 1 : 0, o.get("open").asInt(), line);
                assertFalse(o.has("under_purity"), "no labels, no purity: " + line);
            }
        }
        assertEquals(List.of(0, 1, 2), epochs);
    }

    /**
     * Section 4 of issue 14 on the run above: each phase's gate lines agree with what it trained
     * (batches.jsonl), the pseudo-labels (labels-R.tsv) and the true speakers, recounted here; the
     * report's summary holds the same numbers, and its figures are there.
     */
    private static void theGateIsMeasuredAndReported(Path train, Path run) throws IOException {
        Corpus corpus = CorpusReader.read(train);
        List<String> summary = Files.readAllLines(run.resolve("report/lgl/rounds.csv"));
        assertEquals(3, summary.size(), "a header and two rounds: " + summary);
        List<String> header = List.of(summary.get(0).split(",", -1));
        for (int round = 1; round <= 2; round++) {
            Labels labels = Labels.read(run.resolve("labels-" + round + ".tsv"), corpus);
            int[] clusters = new int[corpus.size()];
            int[] speakers = new int[corpus.size()];
            for (int i = 0; i < clusters.length; i++) {
                clusters[i] = labels.classOf(i);
                speakers[i] = corpus.speakerOf(i);
            }
            // the right label of an utterance: its cluster's majority speaker (recounted, not the library's)
            Map<Integer, Map<Integer, Integer>> counts = new HashMap<>();
            for (int i = 0; i < clusters.length; i++) {
                counts.computeIfAbsent(clusters[i], c -> new TreeMap<>()).merge(speakers[i], 1, Integer::sum);
            }
            Map<Integer, Integer> majority = new HashMap<>();
            counts.forEach((c, bySpeaker) -> {
                int best = -1;
                for (var e : bySpeaker.entrySet()) { // speakers in increasing order: a tie keeps the smaller
                    if (best < 0 || e.getValue() > bySpeaker.get(best)) {
                        best = e.getKey();
                    }
                }
                majority.put(c, best);
            });
            List<String> row = List.of(summary.get(round).split(",", -1));
            JsonNode quality = JSON.readTree(run.resolve("labels-" + round + ".tsv.json").toFile());
            assertEquals(quality.get("nmi").asDouble(), Double.parseDouble(row.get(header.indexOf("nmi"))), 1e-12);
            for (String sub : List.of("open", "gated")) {
                Path phase = run.resolve("phases/01-lgl/round-" + round + "/" + (sub.equals("open") ? "00-" : "01-")
                        + sub);
                List<JsonNode> gateLines = new ArrayList<>();
                double bestEer = Double.POSITIVE_INFINITY;
                for (String line : Files.readAllLines(phase.resolve("metrics.jsonl"))) {
                    JsonNode o = JSON.readTree(line);
                    if (o.get("type").asText().equals("gate")) {
                        gateLines.add(o);
                    } else if (o.get("type").asText().equals("validation")) {
                        bestEer = Math.min(bestEer, -o.get("score").asDouble());
                    }
                }
                assertEquals(1, gateLines.size(), "one epoch, one gate line: " + gateLines);
                JsonNode g = gateLines.get(0);
                int right = 0;
                int seen = 0;
                for (String line : Files.readAllLines(phase.resolve("batches.jsonl"))) {
                    for (JsonNode d : JSON.readTree(line).get("draws")) {
                        int u = corpus.indexOf(DrawJson.fromJson(d).utteranceIds().get(0)).getAsInt();
                        right += majority.get(clusters[u]) == speakers[u] ? 1 : 0;
                        seen++;
                    }
                }
                assertEquals(8, seen, "2 steps of 4");
                assertEquals(seen, g.get("seen").asInt());
                int under = g.get("under").asInt();
                assertEquals(sub.equals("open") ? seen : under, g.get("trained").asInt(),
                        sub + ": open trains all, gated those under the gate");
                assertEquals(round == 1 ? 1.0 : 3.0, g.get("gate").asDouble());
                assertEquals(under / 8.0, g.get("under_share").asDouble(), 1e-12);
                double rightUnder = under == 0 ? 0 : g.get("under_purity").asDouble() * under;
                double rightAbove = under == seen ? 0 : g.get("above_purity").asDouble() * (seen - under);
                assertEquals(right, rightUnder + rightAbove, 1e-9,
                        sub + " round " + round + ": right labels under and above the gate add up to those trained on");
                assertEquals(bestEer, Double.parseDouble(row.get(header.indexOf(sub + "_best_eer"))), 1e-9);
                assertEquals(g.get("under_share").asDouble(),
                        Double.parseDouble(row.get(header.indexOf(sub + "_under_share_last"))), 1e-12);
            }
            for (String f : List.of("round.json", "eer.png", "eer.csv", "gate.png", "gate.csv")) {
                assertTrue(Files.size(run.resolve("report/lgl/round-" + round + "/" + f)) > 0, f);
            }
        }
        for (String f : List.of("eer", "nmi", "gate-share", "gate-purity")) {
            assertTrue(Files.size(run.resolve("report/lgl/" + f + ".png")) > 0, f);
            assertEquals(3, Files.readAllLines(run.resolve("report/lgl/" + f + ".csv")).size(), f + ".csv: two rounds");
        }
    }
}
