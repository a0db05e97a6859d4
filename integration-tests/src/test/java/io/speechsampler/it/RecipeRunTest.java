package io.speechsampler.it;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.speechsampler.audio.synth.ProgressListener;
import io.speechsampler.audio.synth.SynthSpec;
import io.speechsampler.audio.synth.SyntheticCorpus;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Recipes from {@code sampler train}: the shipped two-phase and round-based examples run (with
 * {@code --set} to keep them short), each phase in its own folder, the second phase from the first's
 * best checkpoint; a run killed with SIGKILL inside the second round of a repeat resumes there and trains what an
 * uninterrupted run trains, loss for loss; {@code evaluate} takes the recipe's run folder.
 */
class RecipeRunTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    static Path tmp;

    static Path corpus;

    @BeforeAll
    static void corpus() {
        corpus = tmp.resolve("corpus");
        SyntheticCorpus.write(new SynthSpec(8, 4, 0.5, 8000, 5, 2, 2), corpus, ProgressListener.NONE);
    }

    private static Path example(String name) {
        return Path.of("..", "examples", "recipes", name).toAbsolutePath().normalize();
    }

    @Test
    void theTwoPhaseExampleTrainsEachPhaseInItsFolderAndEvaluates() throws IOException {
        Path run = tmp.resolve("sep-ft");
        CliRun r = CliRun.of("train", "--config", example("separation-finetune.yaml"), "--data", corpus.resolve("train"),
                "--valid", corpus.resolve("valid"), "--out", run, "--set", "train.epochs=1",
                "--set", "train.max_steps_per_epoch=2", "--set", "phases[1].end.epochs=1",
                "--set", "sampler.segment_seconds=0.25", "--set", "phases[1].sampler.segment_seconds=0.5");
        assertEquals(0, r.code(), r.err());
        String recipe = Files.readString(run.resolve("recipe.yaml"));
        assertTrue(recipe.contains("segment_seconds: 0.25"), "the --set values are recorded:\n" + recipe);
        for (String phase : List.of("00-separation", "01-finetune")) {
            Path dir = run.resolve("phases").resolve(phase);
            for (String f : List.of("config.yaml", "metrics.jsonl", "batches.jsonl", "checkpoints/best", "phase.json")) {
                assertTrue(Files.exists(dir.resolve(f)), phase + "/" + f);
            }
        }
        assertTrue(r.err().contains("phase 2/2: finetune, from phases/00-separation/checkpoints/step-"), r.err());
        assertTrue(Files.readString(run.resolve("phases/01-finetune/config.yaml")).contains("info-batch"));
        assertTrue(Files.readString(run.resolve("phases/01-finetune/config.yaml")).contains("segment_seconds: 0.5"),
                "the fine-tune's own sampler");
        assertTrue(Files.readString(run.resolve("phases/01-finetune/config.yaml")).contains("lr: 5.0E-4")
                || Files.readString(run.resolve("phases/01-finetune/config.yaml")).contains("lr: 0.0005"));

        CliRun again = CliRun.of("train", "--config", example("separation-finetune.yaml"), "--data",
                corpus.resolve("train"), "--out", run);
        assertEquals(2, again.code(), "a recipe run is not overwritten");
        CliRun eval = CliRun.of("evaluate", "--checkpoint", run, "--data", corpus.resolve("test"), "--out",
                tmp.resolve("sep-ft-eval"));
        assertEquals(0, eval.code(), eval.err());
        JsonNode s = JSON.readTree(tmp.resolve("sep-ft-eval/summary.json").toFile());
        assertTrue(s.get("checkpoint").asText().contains("01-finetune"), "the last phase's model: " + s);
    }

    @Test
    void theRoundsExampleRunsEveryRoundsPhasesInOrder() throws IOException {
        Path run = tmp.resolve("rounds");
        CliRun r = CliRun.of("train", "--config", example("rounds.yaml"), "--data", corpus.resolve("train"), "--valid",
                corpus.resolve("valid"), "--out", run, "--set", "phases[0].end.epochs=1",
                "--set", "train.max_steps_per_epoch=2", "--set", "sampler.segment_seconds=0.25");
        assertEquals(0, r.code(), r.err());
        for (String phase : List.of("00-rounds/round-1/00-full", "00-rounds/round-1/01-pruned",
                "00-rounds/round-2/00-full", "00-rounds/round-2/01-pruned")) {
            assertTrue(Files.isRegularFile(run.resolve("phases").resolve(phase).resolve("phase.json")), phase);
        }
        assertTrue(Files.readString(run.resolve("phases/00-rounds/round-2/01-pruned/config.yaml"))
                .contains("prune_ratio: 0.5"), "round 2's value");
        CliRun resumed = CliRun.of("train", "--config", example("rounds.yaml"), "--data", corpus.resolve("train"),
                "--valid", corpus.resolve("valid"), "--out", run, "--resume", "--set", "phases[0].end.epochs=1",
                "--set", "train.max_steps_per_epoch=2", "--set", "sampler.segment_seconds=0.25");
        assertEquals(0, resumed.code(), resumed.err());
        assertTrue(resumed.out().contains("every phase had ended"), resumed.out());
    }

    @Test
    void aRecipeKilledInItsSecondRoundResumesThereAndTrainsWhatAnUninterruptedRunTrains() throws Exception {
        Path config = tmp.resolve("kill-recipe.yaml");
        Files.writeString(config, """
                seed: 3
                sampler: {name: dynamic-mixing, speakers: 2, segment_seconds: 0.25}
                batch: {name: fixed, size: 2}
                model: {name: conv-tasnet, preset: tiny, sources: 2}
                train: {epochs: 1, lr: 0.001, checkpoint_every: 3, validate_every: 0}
                phases:
                  - name: first
                    end: {steps: 4}
                  - name: rounds
                    repeat: 2
                    init_from: {phase: first, checkpoint: last}
                    phases:
                      - name: tune
                        train: {lr: {per_round: [0.0005, 0.00025]}}
                        end: {epochs: 2}
                """);
        Path run = tmp.resolve("killed-recipe");
        Path log = tmp.resolve("killed-recipe.log");
        Process p = KillAndResumeTest.cliProcess(log, List.of(), "train", "--config", config.toString(), "--data",
                corpus.resolve("train").toString(), "--out", run.toString());
        Path second = run.resolve("phases/01-rounds/round-2/00-tune");
        KillAndResumeTest.killAfterCheckpoint(p, second, 2, log, 240);
        assertTrue(Files.isRegularFile(run.resolve("phases/00-first/phase.json")), "the first phase had ended");
        assertTrue(Files.isRegularFile(run.resolve("phases/01-rounds/round-1/00-tune/phase.json")), "and round 1");

        CliRun resumed = CliRun.of("train", "--config", config, "--data", corpus.resolve("train"), "--out", run,
                "--resume");
        assertEquals(0, resumed.code(), resumed.err());
        assertTrue(!resumed.err().contains("phase 1/3") && !resumed.err().contains("phase 2/3"),
                "the ended phases are not trained again: " + resumed.err());
        assertTrue(resumed.err().contains("resuming at step "), resumed.err());

        Path whole = tmp.resolve("whole-recipe");
        CliRun uninterrupted = CliRun.of("train", "--config", config, "--data", corpus.resolve("train"), "--out", whole);
        assertEquals(0, uninterrupted.code(), uninterrupted.err());
        for (String phase : List.of("00-first", "01-rounds/round-1/00-tune", "01-rounds/round-2/00-tune")) {
            Path a = run.resolve("phases").resolve(phase);
            Path b = whole.resolve("phases").resolve(phase);
            assertArrayEquals(Files.readAllBytes(b.resolve("batches.jsonl")), Files.readAllBytes(a.resolve("batches.jsonl")),
                    phase + ": the same batches");
            assertEquals(KillAndResumeTest.lossesOf(b.resolve("metrics.jsonl")),
                    KillAndResumeTest.lossesOf(a.resolve("metrics.jsonl")), phase + ": the same loss at every step");
        }
        assertEquals(4, KillAndResumeTest.lines(whole.resolve("phases/00-first/batches.jsonl")), "end: {steps: 4}");
        assertEquals(16, KillAndResumeTest.lines(whole.resolve("phases/01-rounds/round-2/00-tune/batches.jsonl")),
                "end: {epochs: 2} of 8 steps");
    }
}
