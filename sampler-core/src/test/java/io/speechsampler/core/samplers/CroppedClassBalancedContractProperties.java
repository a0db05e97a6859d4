package io.speechsampler.core.samplers;

import io.speechsampler.api.corpus.Corpus;
import io.speechsampler.api.corpus.Utterance;
import io.speechsampler.core.pipeline.PipelineContract;
import io.speechsampler.testkit.TestCorpora;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The sampler contract for {@code class-balanced} over a label file's classes with
 * {@code crop_seconds}: deterministic, resumable and sharded with both.
 */
class CroppedClassBalancedContractProperties implements PipelineContract {

    private static final Corpus CORPUS = TestCorpora.synthetic(6, 3, 41);
    private static final Path DIR = labels();

    /** Three labels over the corpus, each utterance labelled by its index mod 3 (speakers mixed). */
    private static Path labels() {
        try {
            Path dir = Files.createTempDirectory("class-balanced-labels");
            dir.toFile().deleteOnExit();
            StringBuilder sb = new StringBuilder();
            for (int i = 0; i < CORPUS.size(); i++) {
                Utterance u = CORPUS.get(i);
                sb.append(u.id()).append('\t').append("k").append(i % 3).append('\n');
            }
            Path f = dir.resolve("labels.tsv");
            Files.writeString(f, sb);
            f.toFile().deleteOnExit();
            return dir;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public String configYaml() {
        return "sampler: {name: class-balanced, labels: labels.tsv, crop_seconds: 0.5}\nbatch: {name: fixed, size: 3}\n";
    }

    @Override
    public Path baseDir() {
        return DIR;
    }

    @Override
    public Corpus corpus() {
        return CORPUS;
    }

    @Override
    public boolean isRandom() {
        return true;
    }
}
