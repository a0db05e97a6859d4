package io.speechsampler.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.speechsampler.api.config.Phase;
import io.speechsampler.api.config.Recipe;
import io.speechsampler.api.config.RunConfig;
import io.speechsampler.api.corpus.Corpus;
import io.speechsampler.api.corpus.CorpusReader;
import io.speechsampler.api.registry.ProviderRegistry;
import io.speechsampler.audio.synth.ProgressListener;
import io.speechsampler.audio.synth.SynthSpec;
import io.speechsampler.audio.synth.SyntheticCorpus;
import io.speechsampler.core.pipeline.Pipeline;
import io.speechsampler.djl.run.CorpusBatchRenderer;
import io.speechsampler.djl.spi.Trainables;
import io.speechsampler.djl.train.StepReport;
import io.speechsampler.djl.train.TrainSettings;
import io.speechsampler.djl.train.TrainingLoop;
import io.speechsampler.run.Evaluation;
import io.speechsampler.run.RecipeRun;
import io.speechsampler.run.TrainingRun;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The README's "Using it as a library" snippets, as written there, on a small corpus. */
class LibraryUsageTest {

    @TempDir
    Path tmp;

    @Test
    void theWholeRunAndTheLoopDrivenByOwnCode() throws IOException {
        Path data = tmp.resolve("data");
        SyntheticCorpus.write(new SynthSpec(8, 4, 0.5, 8000, 5, 2, 2), data, ProgressListener.NONE);
        Path yaml = tmp.resolve("recipe.yaml");
        Files.writeString(yaml, """
                seed: 1
                corpus: data/train
                sampler: {name: dynamic-mixing, speakers: 2, segment_seconds: 0.25}
                batch: {name: fixed, size: 2}
                model: {name: conv-tasnet, sources: 2}
                train: {epochs: 1, max_steps_per_epoch: 2}
                phases:
                  - {name: a}
                  - {name: b, train: {lr: 0.0005}}
                """);

        Recipe recipe = Recipe.load(yaml, List.of("train.epochs=1"));
        List<Phase> phases = RecipeRun.withCorpus(recipe, data.resolve("train"));
        RecipeRun.Result r = RecipeRun.train(phases, recipe.toYaml(), data.resolve("valid"), tmp.resolve("runs/a"),
                false);
        ObjectNode report = Evaluation.evaluate(tmp.resolve("runs/a"), data.resolve("test"),
                tmp.resolve("runs/a/test"), null);
        assertEquals(2, r.phases().size());
        assertTrue(report.get("si_snri_db").isNumber());

        RunConfig cfg = RunConfig.load(yaml);
        Corpus corpus = CorpusReader.read(cfg.corpusPath());
        Pipeline pipeline = Pipeline.build(cfg, corpus, ProviderRegistry.load(), 0, 1);
        Trainables.Trainable t = Trainables.load().build(cfg, corpus.sampleRate(), corpus.numSpeakers(), corpus);
        List<StepReport> log = new ArrayList<>();
        try (TrainingLoop loop = TrainingLoop.builder().setPipeline(pipeline).setBlock(t.network().block())
                .setTask(t.loss()).setRenderer(CorpusBatchRenderer.of(corpus, null, t.render(), 600))
                .setSettings(TrainSettings.fromConfig(cfg)).optListener(log::add).build()) {
            loop.run();
        }
        assertEquals(2, log.size());

        // the run as ./sampler train does it, with a listener of one's own told of every step
        List<StepReport> seen = new ArrayList<>();
        TrainingRun.train(cfg, null, tmp.resolve("runs/plain"), false,
                TrainingRun.Options.NONE.withListener(seen::add));
        assertEquals(2, seen.size());
        assertEquals(2, Files.readAllLines(tmp.resolve("runs/plain").resolve(TrainingRun.METRICS)).stream()
                .filter(l -> l.contains("\"type\":\"step\"")).count());
    }
}
