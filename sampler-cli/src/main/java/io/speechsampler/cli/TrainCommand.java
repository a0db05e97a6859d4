package io.speechsampler.cli;

import io.speechsampler.run.TrainingRun;
import io.speechsampler.api.config.Phase;
import io.speechsampler.api.config.Recipe;
import io.speechsampler.run.RecipeRun;
import java.util.ArrayList;
import java.util.List;
import io.speechsampler.api.io.AtomicFiles;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code sampler train}: one DJL training loop fed by the config's pipeline. */
@Command(name = "train", header = "Trains the config's model on the pipeline's batches.", mixinStandardHelpOptions = true,
        description = {"Trains the config's model (Conv-TasNet, TSE or x-vector) on the pipeline's batches,",
                "feeding per-sample outcomes back to the samplers; writes config.yaml, model.json,",
                "checkpoints/, metrics.jsonl, batches.jsonl (each step's batch, as plan writes it) and",
                "report/loss.png into --out."})
final class TrainCommand implements Callable<Integer> {

    @Option(names = "--config", required = true, description = "run config (YAML) with model and train sections")
    Path config;

    @Option(names = "--data", paramLabel = "[NAME=]DIR", description = "training corpus; overrides the config's "
            + "corpus (repeatable as NAME=DIR: the corpus of the phases whose corpus is \"data:NAME\", e.g. "
            + "--data unlabelled=DIR --data supervised=DIR for examples/mixit/teacher-student.yaml)")
    List<String> data = new ArrayList<>();

    @Option(names = "--valid", description = "validation corpus (mixtures or utterances drawn as in training)")
    Path valid;

    @Option(names = "--out", required = true, description = "run folder")
    Path out;

    @Option(names = "--resume", description = "continue the run in --out from its latest checkpoint (a recipe: its "
            + "first unfinished phase); the config must be the run's, except that train.epochs may be raised to "
            + "extend a single-phase run")
    boolean resume;

    @Option(names = "--set", paramLabel = "KEY=VALUE", description = "override a config value (repeatable): dotted "
            + "and indexed paths such as train.epochs=3 or phases[1].train.lr=0.0005, values read as YAML; recorded "
            + "in the run's config")
    List<String> set = new ArrayList<>();

    @Override
    public Integer call() throws Exception {
        AtomicFiles.checkFolder(out);
        Recipe recipe = Recipe.load(config, set);
        java.util.Map<String, Path> corpora = RecipeRun.corpusArguments(data);
        Path unnamed = corpora.remove(null);
        List<Phase> phases = RecipeRun.withCorpora(recipe, unnamed, corpora);
        RecipeRun.Result result = RecipeRun.train(phases, recipe.toYaml(), valid, out, resume);
        if (result.phases().size() > 1) {
            for (RecipeRun.PhaseResult p : result.phases()) {
                System.out.printf("phase %s: %s%n", p.phase().path(), p.result() == null ? "ended before this run"
                        : String.format("%d steps, %d epochs%s", p.result().summary().steps(),
                        p.result().summary().epochsDone(), Double.isFinite(p.result().summary().bestScore())
                                ? String.format("; best validation score %.3f", p.result().summary().bestScore())
                                : ""));
            }
        }
        TrainingRun.Result r = result.last();
        if (r == null) {
            System.out.println("every phase had ended; nothing to train");
            System.out.println("run folder: " + out.toAbsolutePath());
            return 0;
        }
        System.out.printf("trained %d steps over %d epochs; last loss %.3f%s%n", r.summary().steps(),
                r.summary().epochsDone(), r.summary().lastLoss(), Double.isFinite(r.summary().bestScore())
                        ? String.format("; best validation score %.3f", r.summary().bestScore()) : "");
        System.out.println("run folder: " + out.toAbsolutePath());
        return 0;
    }
}
