package io.speechsampler.cli;

import io.speechsampler.run.TrainingRun;
import io.speechsampler.api.config.RunConfig;
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

    @Option(names = "--data", description = "training corpus; overrides the config's corpus")
    Path data;

    @Option(names = "--valid", description = "validation corpus (mixtures or utterances drawn as in training)")
    Path valid;

    @Option(names = "--out", required = true, description = "run folder")
    Path out;

    @Option(names = "--resume", description = "continue the run in --out from its latest checkpoint; the config must "
            + "be the run's, except that train.epochs may be raised to extend it")
    boolean resume;

    @Override
    public Integer call() throws Exception {
        AtomicFiles.checkFolder(out);
        RunConfig cfg = Pipelines.config(config, data);
        cfg = cfg.withCorpus(cfg.corpusPath().toAbsolutePath().toString());
        TrainingRun.Result r = TrainingRun.train(cfg, valid, out, resume);
        System.out.printf("trained %d steps over %d epochs; last loss %.3f%s%n", r.summary().steps(),
                r.summary().epochsDone(), r.summary().lastLoss(), Double.isFinite(r.summary().bestScore())
                        ? String.format("; best validation score %.3f", r.summary().bestScore()) : "");
        System.out.println("run folder: " + out.toAbsolutePath());
        return 0;
    }
}
