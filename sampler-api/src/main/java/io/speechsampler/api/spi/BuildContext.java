package io.speechsampler.api.spi;

import io.speechsampler.api.corpus.Corpus;
import java.nio.file.Path;
import java.util.Objects;

/**
 * What a provider may use to build its component.
 *
 * @param corpus    the training corpus
 * @param baseDir   directory that relative paths in the config resolve against
 * @param seed      the run's seed
 * @param batchSize the pipeline's fixed batch size, or -1 when batches are not fixed-size
 * @param key       the component's key in the config, e.g. {@code stages[1]}, for error messages
 */
public record BuildContext(Corpus corpus, Path baseDir, long seed, int batchSize, String key) {

    public BuildContext {
        Objects.requireNonNull(corpus, "corpus");
        Objects.requireNonNull(baseDir, "baseDir");
        Objects.requireNonNull(key, "key");
    }

    public BuildContext withKey(String newKey) {
        return new BuildContext(corpus, baseDir, seed, batchSize, newKey);
    }

    public Path resolve(String path) {
        return baseDir.resolve(path).normalize();
    }
}
