package io.speechsampler.cli;

import io.speechsampler.api.config.ConfigException;
import io.speechsampler.api.config.RunConfig;
import io.speechsampler.api.corpus.Corpus;
import io.speechsampler.api.corpus.CorpusReader;
import io.speechsampler.api.registry.ProviderRegistry;
import io.speechsampler.core.pipeline.Pipeline;
import io.speechsampler.djl.spi.Trainables;
import io.speechsampler.djl.train.TrainSettings;
import java.nio.file.Path;

/** Config + corpus + providers → a pipeline, with the messages a user needs when one is missing. */
final class Pipelines {

    private Pipelines() {
    }

    static RunConfig config(Path configFile, Path data) {
        RunConfig cfg = RunConfig.load(configFile);
        if (data != null) {
            cfg = cfg.withCorpus(data.toAbsolutePath().normalize().toString());
        }
        if (cfg.corpus() == null) {
            throw new ConfigException(configFile + ": no corpus: set 'corpus' in the config or pass --data DIR");
        }
        return cfg;
    }

    /**
     * The {@code model} and {@code train} sections validated as {@code train} validates them, so that a
     * config {@code plan} accepts is one {@code train} accepts; a plan-only config may leave out
     * {@code model}.
     */
    static void checkTrainerSections(RunConfig cfg) {
        if (!cfg.model().isEmpty()) {
            Trainables.load().choose(cfg);
        }
        TrainSettings.fromConfig(cfg);
    }

    static Pipeline open(Path configFile, Path data, int rank, int world) {
        if (world < 1 || rank < 0 || rank >= world) {
            throw new ConfigException("--rank must be in [0, --world) and --world at least 1: rank " + rank
                    + ", world " + world);
        }
        RunConfig cfg = config(configFile, data);
        checkTrainerSections(cfg);
        Corpus corpus = CorpusReader.read(cfg.corpusPath());
        ProviderRegistry registry = ProviderRegistry.load();
        for (String problem : registry.problems()) {
            System.err.println("warning: " + problem);
        }
        return Pipeline.build(cfg, corpus, registry, rank, world);
    }
}
