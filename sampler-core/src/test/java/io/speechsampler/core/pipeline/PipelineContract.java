package io.speechsampler.core.pipeline;

import io.speechsampler.api.corpus.Corpus;
import io.speechsampler.api.draw.BatchStream;
import io.speechsampler.testkit.FeedbackContract;
import java.nio.file.Path;

/**
 * The sampler contract, with feedback, for a pipeline built from a YAML snippet over a fixed
 * corpus.
 */
public interface PipelineContract extends FeedbackContract {

    /** The config without {@code seed}, e.g. {@code sampler: shuffle} and a {@code batch} line. */
    String configYaml();

    /** The corpus every stream reads; build it once. */
    Corpus corpus();

    /** Directory relative paths in the config resolve against. */
    default Path baseDir() {
        return Path.of(".");
    }

    @Override
    default BatchStream stream(long seed, int rank, int worldSize) {
        return TestPipelines.build(configYaml(), baseDir(), corpus(), seed, rank, worldSize);
    }
}
