package io.speechsampler.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

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
 * Models and tasks are plugins picked by name: MixIT, 4-speaker PIT and a classification head
 * with its own scale and margin train from {@code sampler train}; {@code providers} lists them;
 * a task that does not fit its model is one line and exit 2.
 */
class TasksAndModelsTest {

    @TempDir
    static Path tmp;

    static Path corpus;

    @BeforeAll
    static void corpus() {
        corpus = tmp.resolve("corpus");
        SyntheticCorpus.write(new SynthSpec(10, 4, 1.0, 8000, 5, 2, 2), corpus, ProgressListener.NONE);
    }

    private static int train(String yaml, String name) throws IOException {
        Path cfg = tmp.resolve(name + ".yaml");
        Files.writeString(cfg, yaml);
        return Main.run("train", "--config", cfg.toString(), "--data", corpus.resolve("train").toString(),
                "--out", tmp.resolve(name).toString());
    }

    private static long steps(String name) throws IOException {
        return Files.readAllLines(tmp.resolve(name).resolve("metrics.jsonl")).stream()
                .filter(l -> l.contains("\"type\":\"step\"") && !l.contains("\"loss\":null")).count();
    }

    @Test
    void mixitTrainsFromTheShippedExample() throws IOException {
        String yaml = Files.readString(Path.of("..", "examples", "mixit.yaml"))
                .replaceAll("(?m)^train: .*$", "train: {epochs: 1, max_steps_per_epoch: 2}");
        assertEquals(0, train(yaml, "mixit"));
        assertEquals(2, steps("mixit"), "two steps with finite losses");
    }

    @Test
    void fourSpeakerSeparationTrains() throws IOException {
        assertEquals(0, train("seed: 1\nsampler: {name: dynamic-mixing, speakers: 4, segment_seconds: 0.5}\n"
                + "batch: {name: fixed, size: 2}\nmodel: {name: conv-tasnet, sources: 4}\ntask: {name: separation}\n"
                + "train: {epochs: 1, max_steps_per_epoch: 2}\n", "pit4"));
        assertEquals(2, steps("pit4"));
    }

    @Test
    void classificationHeadTakesItsScaleAndMargin() throws IOException {
        assertEquals(0, train("seed: 1\nsampler: {name: class-balanced, classes_per_batch: 4}\n"
                + "batch: {name: fixed, size: 4}\nmodel: {name: xvector, head: aam, crop_seconds: 0.5}\n"
                + "task: {name: classification, head: aam, scale: 30, margin: 0.2}\n"
                + "train: {epochs: 1, max_steps_per_epoch: 2}\n", "aam"));
        assertEquals(2, steps("aam"));
        assertTrue(Files.readString(tmp.resolve("aam/config.yaml")).contains("margin"), "the task is recorded");
    }

    @Test
    void aTaskThatDoesNotFitItsModelIsRefused() throws IOException {
        List<String> bad = List.of(
                // separation enumerates permutations of at most 4 outputs
                "model: {name: conv-tasnet, sources: 5}\ntask: {name: separation}\n",
                // a classification task on a separator
                "model: {name: conv-tasnet}\ntask: {name: classification}\n",
                // unknown task, unknown key
                "model: {name: conv-tasnet}\ntask: {name: distillation}\n",
                "model: {name: conv-tasnet}\ntask: {name: mixit, consistency: true}\n");
        for (int i = 0; i < bad.size(); i++) {
            String yaml = "sampler: {name: dynamic-mixing}\nbatch: {name: fixed, size: 2}\n" + bad.get(i);
            assertEquals(Main.BAD_INPUT, train(yaml, "bad" + i), bad.get(i));
            assertTrue(!Files.exists(tmp.resolve("bad" + i).resolve("metrics.jsonl")), "nothing trained: " + i);
        }
    }
}
