package io.speechsampler.core.pipeline;

import io.speechsampler.api.config.RunConfig;
import io.speechsampler.api.corpus.Corpus;
import io.speechsampler.api.draw.Batch;
import io.speechsampler.api.registry.ProviderRegistry;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** Builds pipelines from YAML snippets for tests. */
public final class TestPipelines {

    /** The providers on the test class path, discovered once. */
    public static final ProviderRegistry REGISTRY = ProviderRegistry.load();

    private TestPipelines() {
    }

    /** A pipeline for {@code yaml} (a config without {@code seed}) seeded with {@code seed}. */
    public static Pipeline build(String yaml, Path baseDir, Corpus corpus, long seed, int rank, int worldSize) {
        RunConfig config = RunConfig.parse("seed: " + seed + "\n" + yaml, "test.yaml", baseDir);
        return Pipeline.build(config, corpus, REGISTRY, rank, worldSize);
    }

    /** The batches of the pipeline's current epoch, then finishes it. */
    public static List<Batch> epoch(Pipeline p) {
        List<Batch> out = new ArrayList<>();
        Optional<Batch> b;
        while ((b = p.nextInEpoch()).isPresent()) {
            out.add(b.get());
        }
        p.finishEpoch();
        return out;
    }
}
