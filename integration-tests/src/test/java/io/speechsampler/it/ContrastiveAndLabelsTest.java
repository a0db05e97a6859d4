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
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Loss-gated learning's stage 1 from the shipped {@code examples/lgl/contrastive.yaml} (two-view
 * draws, the contrastive task with learnable w and b), classification on a label file's
 * pseudo-labels, and the bad input of both: one line, exit 2, nothing written.
 */
class ContrastiveAndLabelsTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    static Path tmp;

    static Path train;
    static List<String> ids;

    @BeforeAll
    static void corpus() throws IOException {
        Path corpus = tmp.resolve("corpus");
        // 8 training speakers x 4 utterances of 2 to 3 s (the 1.8 s two-view crops fit inside each): two batches
        // of 16 per epoch
        SyntheticCorpus.write(new SynthSpec(12, 4, 2.5, 8000, 5, 2, 2), corpus, ProgressListener.NONE);
        train = corpus.resolve("train");
        ids = new ArrayList<>();
        for (String line : Files.readAllLines(train.resolve("utt2spk"))) {
            ids.add(line.split("\\s+")[0]);
        }
    }

    private static CliRun train(String yaml, String name) throws IOException {
        Path cfg = tmp.resolve(name + ".yaml");
        Files.writeString(cfg, yaml);
        return CliRun.of("train", "--config", cfg, "--data", train, "--out", tmp.resolve(name));
    }

    private static List<JsonNode> steps(String name) throws IOException {
        List<JsonNode> out = new ArrayList<>();
        for (String l : Files.readAllLines(tmp.resolve(name).resolve("metrics.jsonl"))) {
            JsonNode o = JSON.readTree(l);
            if (o.path("type").asText().equals("step")) {
                out.add(o);
            }
        }
        return out;
    }

    /** Labels {@code k0..k2} by utterance position, for the first {@code count} utterances. */
    private static void labels(String file, int count) throws IOException {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < count; i++) {
            sb.append(ids.get(i)).append('\t').append('k').append(i % 3).append('\n');
        }
        Files.writeString(tmp.resolve(file), sb);
    }

    @Test
    void theShippedContrastiveExampleTrainsTwoStepsAndEmbeds() throws IOException {
        String yaml = Files.readString(Path.of("..", "examples", "lgl", "contrastive.yaml"))
                .replaceAll("(?m)^train: .*$", "train: {epochs: 1, max_steps_per_epoch: 2}");
        CliRun r = train(yaml, "stage1");
        assertEquals(0, r.code(), r.err());
        List<JsonNode> steps = steps("stage1");
        assertEquals(2, steps.size());
        for (JsonNode s : steps) {
            assertTrue(s.get("loss").asDouble() > 0, "a finite positive loss: " + s);
            double accuracy = s.get("mean_metric").asDouble();
            assertTrue(accuracy >= 0 && accuracy <= 1, "accuracy of the matching pair: " + s);
        }
        String batch = Files.readAllLines(tmp.resolve("stage1").resolve("batches.jsonl")).get(0);
        JsonNode first = JSON.readTree(batch).get("draws").get(0);
        assertEquals(2, first.get("views").size(), "two-view draws in batches.jsonl: " + first);
        assertEquals(14400, first.get("views").get(0).get("length").asLong(), "1.8 s at 8 kHz");
        CliRun embed = CliRun.of("embed", "--checkpoint", tmp.resolve("stage1"), "--data", train, "--out",
                tmp.resolve("stage1.ark"));
        assertEquals(0, embed.code(), embed.err());
        assertTrue(Files.size(tmp.resolve("stage1.ark")) > 0);

        // an experiment's trials protocol scores the contrastive model on its fixed trials (it renders
        // two views in training, but evaluation embeds utterances)
        io.speechsampler.run.validation.Protocol trials = io.speechsampler.run.validation.Protocol.fromNode(
                (com.fasterxml.jackson.databind.node.ObjectNode) JSON.readTree("{\"protocol\": \"trials\", \"count\": 30}"),
                io.speechsampler.api.config.ConfigOrigin.NONE, "test");
        JsonNode summary = io.speechsampler.run.Evaluation.evaluate(tmp.resolve("stage1"), train,
                tmp.resolve("stage1-eval"), trials);
        assertEquals(30, summary.get("trials").asInt(), summary.toString());
        assertEquals(15, Files.readAllLines(tmp.resolve("stage1-eval").resolve("trials.csv")).stream().skip(1)
                .filter(l -> l.split(",")[2].equals("1")).count(), "the protocol's trials alternate same-speaker "
                + "and different-speaker");
    }

    @Test
    void classificationTrainsOnALabelFilesClasses() throws IOException {
        labels("pseudo.tsv", ids.size());
        CliRun r = train("seed: 1\nsampler: {name: class-balanced, labels: pseudo.tsv, crop_seconds: 1.0}\n"
                + "batch: {name: fixed, size: 3}\nmodel: {name: xvector, head: aam, crop_seconds: 1.0}\n"
                + "task: {name: classification, labels: pseudo.tsv, scale: 30, margin: 0.2}\n"
                + "train: {epochs: 1, max_steps_per_epoch: 2}\n", "pseudo");
        assertEquals(0, r.code(), r.err());
        assertEquals(2, steps("pseudo").size());
        JsonNode info = JSON.readTree(tmp.resolve("pseudo").resolve("model.json").toFile());
        assertEquals(List.of("k0", "k1", "k2"), JSON.convertValue(info.get("classes"), List.class),
                "model.json names the label file's classes");
        assertTrue(r.err().contains("xvector (tiny, 3 classes)"), r.err());
        CliRun embed = CliRun.of("embed", "--checkpoint", tmp.resolve("pseudo"), "--data", train, "--out",
                tmp.resolve("pseudo.ark"));
        assertEquals(0, embed.code(), "the run loads with the labels' class count: " + embed.err());
    }

    /** Exit 2 and exactly one error line holding every part. */
    private static void assertBadInput(CliRun r, String... parts) {
        assertEquals(Main.BAD_INPUT, r.code(), r.err());
        List<String> errors = r.err().lines().filter(l -> l.startsWith("error: ")).toList();
        assertEquals(1, errors.size(), "one error line: " + r.err());
        for (String p : parts) {
            assertTrue(errors.get(0).contains(p), "'" + p + "' in: " + errors.get(0));
        }
        assertFalse(r.err().contains("\tat ") || r.err().contains("Exception"), r.err());
    }

    @Test
    void aBadLabelFileIsOneLineNamingFileAndLineAndWritesNothing() throws IOException {
        Files.writeString(tmp.resolve("malformed.tsv"), ids.get(0) + "\tk0\n" + ids.get(1) + "\n");
        Files.writeString(tmp.resolve("stranger.tsv"), ids.get(0) + "\tk0\n\nnobody-here\tk1\n");
        String[][] cases = {
                {"malformed.tsv", "malformed.tsv line 2: expected 'utterance<TAB>label'"},
                {"stranger.tsv", "stranger.tsv line 3: utterance 'nobody-here' is not in the corpus"},
                {"absent.tsv", "absent.tsv: label file not found"}};
        for (String[] c : cases) {
            String name = "bad-" + c[0].replace(".tsv", "");
            CliRun r = train("sampler: {name: shuffle}\nbatch: {name: fixed, size: 2}\nmodel: {name: xvector}\n"
                    + "task: {name: classification, labels: " + c[0] + "}\n", name);
            assertBadInput(r, name + ".yaml line 4", c[1]);
            assertFalse(Files.exists(tmp.resolve(name)), "nothing written for " + c[0]);
        }
    }

    @Test
    void aDrawnUtteranceTheLabelFileLeavesOutStopsTheRunBeforeItTrains() throws IOException {
        labels("partial.tsv", 3);
        CliRun r = train("sampler: {name: shuffle}\nbatch: {name: fixed, size: 8}\nmodel: {name: xvector}\n"
                + "task: {name: classification, labels: partial.tsv}\ntrain: {epochs: 1}\n", "partial");
        assertBadInput(r, "partial.tsv: utterance '", "' was drawn but has no label in this file");
        assertTrue(r.err().contains("labels 3 of the corpus's 32 utterances"), "warned at the start: " + r.err());
        assertFalse(Files.exists(tmp.resolve("partial").resolve("checkpoints")), "no checkpoint");
        assertEquals(0, Files.size(tmp.resolve("partial").resolve("metrics.jsonl")), "no step");
    }

    @Test
    void contrastiveRefusesWhatDoesNotFitIt() throws IOException {
        String model = "model: {name: xvector}\ntask: {name: contrastive}\n";
        assertBadInput(train("sampler: {name: two-view, crop_seconds: 0}\nbatch: {name: fixed, size: 4}\n" + model,
                "zero-crop"), "'sampler.crop_seconds' must be a positive crop");
        assertFalse(Files.exists(tmp.resolve("zero-crop")));
        assertBadInput(train("sampler: {name: shuffle, crop_seconds: -1}\nbatch: {name: fixed, size: 4}\n" + model,
                "negative-crop"), "'sampler.crop_seconds'");
        CliRun items = train("sampler: {name: shuffle, crop_seconds: 1.8}\nbatch: {name: fixed, size: 4}\n" + model,
                "items");
        assertBadInput(items, "use the sampler two-view");
        assertEquals(0, Files.size(tmp.resolve("items").resolve("metrics.jsonl")), "nothing trained");
        assertBadInput(train("sampler: {name: two-view}\nbatch: {name: fixed, size: 4}\n"
                + "model: {name: conv-tasnet}\ntask: {name: contrastive}\n", "separator"),
                "task 'contrastive' needs a classifier network");
        Path cfg = Files.writeString(tmp.resolve("protocol.yaml"), "sampler: {name: two-view}\n"
                + "batch: {name: fixed, size: 4}\n" + model + "validation: {protocol: utterances}\n");
        assertBadInput(CliRun.of("train", "--config", cfg, "--data", train, "--valid", train.resolveSibling("valid"),
                "--out", tmp.resolve("protocol")), "which no protocol draws");
        assertFalse(Files.exists(tmp.resolve("protocol")));
    }
}
