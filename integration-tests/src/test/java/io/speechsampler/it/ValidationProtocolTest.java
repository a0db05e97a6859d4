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
 * A {@code validation} protocol makes a fixed set of draws from the validation corpus, once,
 * independent of the training sampler and its stages (here a hard-to-validate-on sampler setting:
 * 0.5 s segments in training, 1 s in validation), writes it to {@code validation.jsonl}, and
 * {@code evaluate} reports per condition on the test corpus.
 */
class ValidationProtocolTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    static Path tmp;

    static Path corpus;

    @BeforeAll
    static void corpus() {
        corpus = tmp.resolve("corpus");
        SyntheticCorpus.write(new SynthSpec(10, 4, 1.0, 8000, 5, 2, 2), corpus, ProgressListener.NONE);
    }

    private static Path config(String name, String validation) throws IOException {
        Path cfg = tmp.resolve(name + ".yaml");
        Files.writeString(cfg, "seed: 3\nsampler: {name: dynamic-mixing, speakers: 2, segment_seconds: 0.5}\n"
                + "batch: {name: fixed, size: 4}\nmodel: {name: conv-tasnet, sources: 2}\n"
                + "train: {epochs: 2, max_steps_per_epoch: 2, validate_every: 1}\nvalidation: " + validation + "\n");
        return cfg;
    }

    @Test
    void theProtocolsDrawsAreFixedWrittenAndReportedPerCondition() throws IOException {
        Path cfg = config("proto", "{protocol: mixtures, speakers: [2], count: 12, batch: 4, seed: 11}");
        Path run = tmp.resolve("proto");
        assertEquals(0, Main.run("train", "--config", cfg.toString(), "--data", corpus.resolve("train").toString(),
                "--valid", corpus.resolve("valid").toString(), "--out", run.toString()));
        List<String> lines = Files.readAllLines(run.resolve("validation.jsonl"));
        assertEquals(12, lines.size());
        for (String l : lines) {
            JsonNode o = JSON.readTree(l);
            assertEquals("speakers=2", o.get("condition").asText());
            assertEquals(2, o.get("draw").get("sources").size(), l);
        }
        assertEquals(2, Files.readAllLines(run.resolve("metrics.jsonl")).stream()
                .filter(l -> l.contains("\"type\":\"validation\"")).count());
        // the same protocol in another run (another seed, sampler and batch) draws the same mixtures
        Path other = tmp.resolve("proto-other.yaml");
        Files.writeString(other, Files.readString(cfg).replace("seed: 3", "seed: 4").replace("size: 4", "size: 2"));
        Path run2 = tmp.resolve("proto2");
        assertEquals(0, Main.run("train", "--config", other.toString(), "--data", corpus.resolve("train").toString(),
                "--valid", corpus.resolve("valid").toString(), "--out", run2.toString()));
        assertEquals(lines, Files.readAllLines(run2.resolve("validation.jsonl")));

        Path eval = tmp.resolve("proto-eval");
        assertEquals(0, Main.run("evaluate", "--checkpoint", run.toString(), "--data",
                corpus.resolve("test").toString(), "--out", eval.toString()));
        JsonNode s = JSON.readTree(eval.resolve("summary.json").toFile());
        assertEquals(12, s.get("mixtures").asInt(), s.toString());
        assertEquals(12, s.get("conditions").get("speakers=2").get("mixtures").asInt(), s.toString());
        assertTrue(Files.readAllLines(eval.resolve("si_snri.csv")).get(0).endsWith(",condition"));
    }

    @Test
    void speakerModelsValidateByTheEerOfAFixedTrialListAndAPhaseMayStopOnIt() throws IOException {
        Path cfg = tmp.resolve("trials.yaml");
        Files.writeString(cfg, "seed: 3\nsampler: {name: class-balanced, classes_per_batch: 4}\n"
                + "batch: {name: fixed, size: 4}\nmodel: {name: xvector, crop_seconds: 0.5}\n"
                + "train: {epochs: 6, max_steps_per_epoch: 2, validate_every: 1}\n"
                + "validation: {protocol: trials, count: 40, seed: 5}\n"
                + "phases:\n  - name: xv\n    end: {patience: {metric: eer, min_evaluations: 2, worse_than_best: 1}}\n");
        Path run = tmp.resolve("trials-run");
        CliRun r = CliRun.of("train", "--config", cfg, "--data", corpus.resolve("train"), "--valid",
                corpus.resolve("valid"), "--out", run);
        assertEquals(0, r.code(), r.err());
        Path phase = run.resolve("phases/00-xv");
        List<Double> scores = new java.util.ArrayList<>();
        for (String l : Files.readAllLines(phase.resolve("metrics.jsonl"))) {
            JsonNode o = JSON.readTree(l);
            if (o.get("type").asText().equals("validation")) {
                scores.add(o.get("score").asDouble());
            }
        }
        assertTrue(!scores.isEmpty() && scores.stream().allMatch(x -> x <= 0 && x >= -100), "minus EER %: " + scores);
        // the rule: at least 2 validations, the last 1 worse than the best; else all 6 epochs
        int n = scores.size();
        double best = scores.stream().mapToDouble(Double::doubleValue).max().orElseThrow();
        assertTrue(n == 6 || (n >= 2 && scores.get(n - 1) < best), "stopped by the rule or ran out: " + scores);
        for (int k = 2; k < n; k++) {
            // validation k (from 1) did not end the phase: it was not worse than every earlier one
            double bestBefore = scores.subList(0, k - 1).stream().mapToDouble(Double::doubleValue).max().orElseThrow();
            assertTrue(scores.get(k - 1) >= bestBefore, "it did not stop at validation " + k + ": " + scores);
        }
    }

    @Test
    void aProtocolThatDoesNotFitTheModelIsOneLine() throws IOException {
        for (String bad : List.of("{protocol: mixtures, speakers: [3]}", "{protocol: utterances}",
                "{protocol: mixtures, count: 0}", "{protocol: trials}", "{protocol: mixtures, spekers: [2]}")) {
            Path cfg = config("bad", bad);
            assertEquals(Main.BAD_INPUT, Main.run("train", "--config", cfg.toString(), "--data",
                    corpus.resolve("train").toString(), "--valid", corpus.resolve("valid").toString(), "--out",
                    tmp.resolve("bad-run").toString()), bad);
            assertTrue(!Files.exists(tmp.resolve("bad-run/metrics.jsonl")), bad);
        }
    }
}
