package io.speechsampler.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
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
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code train}, {@code evaluate} and {@code embed} on the shipped example configs, on a small
 * synthetic corpus, for a few steps each: the commands run end to end and write what the README
 * says. (Whether a model learns is tested in sampler-djl; here the plumbing is.)
 */
class TrainEvaluateEmbedTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    static Path tmp;

    static Path corpus;

    @BeforeAll
    static void corpus() {
        corpus = tmp.resolve("corpus");
        SyntheticCorpus.write(new SynthSpec(10, 4, 1.0, 8000, 5, 2, 2), corpus, ProgressListener.NONE);
    }

    /** An example config with a short training section, next to the original so relative paths hold. */
    private static Path shortened(String example, String train) throws IOException {
        String yaml = Files.readString(Path.of("..", "examples", example));
        yaml = yaml.replaceAll("(?m)^train: .*$", "train: " + train);
        Path p = tmp.resolve(example);
        Files.writeString(p, yaml);
        return p;
    }

    @Test
    void separationTrainsEvaluatesAndResumes() throws IOException {
        Path cfg = shortened("separation.yaml", "{epochs: 1, max_steps_per_epoch: 2, validate_every: 1}");
        Path run = tmp.resolve("sep");
        assertEquals(0, Main.run("train", "--config", cfg.toString(), "--data", corpus.resolve("train").toString(),
                "--valid", corpus.resolve("valid").toString(), "--out", run.toString()));
        for (String f : List.of("config.yaml", "model.json", "metrics.jsonl", "checkpoints/latest", "checkpoints/best")) {
            assertTrue(Files.exists(run.resolve(f)), f);
        }
        List<String> metrics = Files.readAllLines(run.resolve("metrics.jsonl"));
        assertEquals(2, metrics.stream().filter(l -> l.contains("\"type\":\"step\"")).count());
        assertEquals(1, metrics.stream().filter(l -> l.contains("\"type\":\"validation\"")).count());

        Path eval = tmp.resolve("sep-eval");
        assertEquals(0, Main.run("evaluate", "--checkpoint", run.toString(), "--data",
                corpus.resolve("test").toString(), "--out", eval.toString()));
        JsonNode s = JSON.readTree(eval.resolve("summary.json").toFile());
        assertTrue(s.get("si_snri_db").isNumber() && Double.isFinite(s.get("si_snri_db").asDouble()), s.toString());
        assertTrue(s.get("hsr5_percent").asDouble() >= 0 && s.get("hsr10_percent").asDouble() <= 100);
        assertEquals(8, s.get("mixtures").asInt(), "one mixture per test utterance");
        assertEquals(9, Files.readAllLines(eval.resolve("si_snri.csv")).size());
        assertTrue(Files.size(eval.resolve("si_snri_sorted.png")) > 1000);

        assertEquals(Main.BAD_INPUT, Main.run("train", "--config", cfg.toString(), "--data",
                corpus.resolve("train").toString(), "--out", run.toString()), "refuses to overwrite a run");
    }

    @Test
    void targetSpeakerExtractionTrains() throws IOException {
        Path cfg = shortened("tse.yaml", "{epochs: 1, max_steps_per_epoch: 2}");
        Path run = tmp.resolve("tse");
        assertEquals(0, Main.run("train", "--config", cfg.toString(), "--data", corpus.resolve("train").toString(),
                "--out", run.toString()));
        assertTrue(Files.exists(run.resolve("checkpoints/latest")));
        // the trained block holds the speaker loss's classifier: loading rebuilds it from model.json's classes
        Path eval = tmp.resolve("tse-eval");
        assertEquals(0, Main.run("evaluate", "--checkpoint", run.toString(), "--data",
                corpus.resolve("test").toString(), "--out", eval.toString()));
        JsonNode s = JSON.readTree(eval.resolve("summary.json").toFile());
        assertTrue(s.get("si_snri_db").isNumber() && Double.isFinite(s.get("si_snri_db").asDouble()), s.toString());
    }

    @Test
    void xvectorTrainsEmbedsAndScoresEer() throws IOException {
        Path cfg = shortened("xvector.yaml", "{epochs: 1, max_steps_per_epoch: 2, validate_every: 0}");
        String yaml = Files.readString(cfg).replace("classes_per_batch: 8", "classes_per_batch: 4")
                .replace("size: 8", "size: 4");
        Files.writeString(cfg, yaml);
        Path run = tmp.resolve("xvec");
        assertEquals(0, Main.run("train", "--config", cfg.toString(), "--data", corpus.resolve("train").toString(),
                "--out", run.toString()));
        Path ark = tmp.resolve("x.ark");
        assertEquals(0, Main.run("embed", "--checkpoint", run.toString(), "--data", corpus.resolve("train").toString(),
                "--out", ark.toString()));
        List<String> lines = Files.readAllLines(ark);
        assertEquals(6 * 4, lines.size());
        String[] first = lines.get(0).split("\\s+");
        assertEquals("[", first[1]);
        assertEquals("]", first[first.length - 1]);
        assertEquals(64 + 3, first.length, "id, '[', 64 values of the tiny x-vector, ']'");

        Path eval = tmp.resolve("xvec-eval");
        assertEquals(0, Main.run("evaluate", "--checkpoint", run.toString(), "--data",
                corpus.resolve("test").toString(), "--out", eval.toString()));
        JsonNode s = JSON.readTree(eval.resolve("summary.json").toFile());
        double eer = s.get("eer_percent").asDouble();
        assertTrue(eer >= 0 && eer <= 100, s.toString());

        // with a trials protocol every run is scored on the protocol's fixed trials, whatever its seed
        Files.writeString(cfg, yaml + "validation: {protocol: trials, count: 40, seed: 7}\n");
        List<String> pairs = new java.util.ArrayList<>();
        for (String seed : new String[] {"1", "2"}) {
            Path r = tmp.resolve("xvec-trials-" + seed);
            assertEquals(0, Main.run("train", "--config", cfg.toString(), "--data", corpus.resolve("train").toString(),
                    "--valid", corpus.resolve("test").toString(), "--out", r.toString(), "--set", "seed=" + seed));
            Path e = tmp.resolve("xvec-trials-eval-" + seed);
            assertEquals(0, Main.run("evaluate", "--checkpoint", r.toString(), "--data", corpus.resolve("test").toString(),
                    "--out", e.toString()));
            assertEquals(40, JSON.readTree(e.resolve("summary.json").toFile()).get("trials").asInt());
            pairs.add(Files.readAllLines(e.resolve("trials.csv")).stream()
                    .map(l -> l.substring(0, l.lastIndexOf(','))).collect(java.util.stream.Collectors.joining("\n")));
        }
        assertEquals(pairs.get(0), pairs.get(1), "both seeds scored on the same trials");
    }

    /**
     * {@code examples/lossgate.yaml} with a gate no loss passes: the open epoch trains, then every
     * step keeps no sample, and the loop skips its update (the step's loss is null).
     */
    @Test
    void lossGateTrainsOpenEpochsThenOnlyWhatPassesTheGate() throws IOException {
        Path cfg = shortened("lossgate.yaml", "{epochs: 2, max_steps_per_epoch: 2, validate_every: 0}");
        String yaml = Files.readString(cfg).replace("classes_per_batch: 8", "classes_per_batch: 4")
                .replace("size: 8", "size: 4").replace("gate: 20.0", "gate: 0.001").replace("open_epochs: 2", "open_epochs: 1");
        Files.writeString(cfg, yaml);
        Path run = tmp.resolve("lgl");
        assertEquals(0, Main.run("train", "--config", cfg.toString(), "--data", corpus.resolve("train").toString(),
                "--out", run.toString()));
        List<JsonNode> steps = Files.readAllLines(run.resolve("metrics.jsonl")).stream().map(l -> {
            try {
                return JSON.readTree(l);
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
        }).filter(n -> n.get("type").asText().equals("step")).toList();
        assertEquals(4, steps.size());
        for (JsonNode st : steps) {
            boolean open = st.get("epoch").asInt() == 0;
            assertEquals(open, st.get("loss").isNumber(), st.toString());
            assertTrue(st.get("mean_loss").isNumber(), "the per-sample losses are still measured: " + st);
        }
    }

    @Test
    void unknownModelAndTrainKeysAreNamed() throws IOException {
        Path cfg = tmp.resolve("bad-model.yaml");
        Files.writeString(cfg, "sampler: {name: dynamic-mixing}\nbatch: {name: fixed, size: 2}\n"
                + "model: {name: conv-tasnet, preset: huge}\n");
        assertEquals(Main.BAD_INPUT, Main.run("train", "--config", cfg.toString(), "--data",
                corpus.resolve("train").toString(), "--out", tmp.resolve("bad1").toString()));
        Files.writeString(cfg, "sampler: {name: dynamic-mixing}\nbatch: {name: fixed, size: 2}\n"
                + "model: {name: conv-tasnet}\ntrain: {epoch: 3}\n");
        assertEquals(Main.BAD_INPUT, Main.run("train", "--config", cfg.toString(), "--data",
                corpus.resolve("train").toString(), "--out", tmp.resolve("bad2").toString()));
        assertTrue(!Files.exists(tmp.resolve("bad2/config.yaml")), "nothing written for a bad config");
    }
}
