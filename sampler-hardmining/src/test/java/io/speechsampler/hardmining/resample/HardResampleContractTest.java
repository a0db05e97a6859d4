package io.speechsampler.hardmining.resample;

import io.speechsampler.api.config.RunConfig;
import io.speechsampler.api.corpus.Corpus;
import io.speechsampler.api.corpus.Utterance;
import io.speechsampler.api.draw.BatchStream;
import io.speechsampler.api.registry.ProviderRegistry;
import io.speechsampler.core.pipeline.Pipeline;
import io.speechsampler.hardmining.mining.ScalarParameterMiner;
import io.speechsampler.testkit.FeedbackContract;
import io.speechsampler.testkit.TestCorpora;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * The sampler contract with feedback (determinism, resume at any round, sharding, elastic resume)
 * for {@code hard-resample} after {@code dynamic-mixing}, as a user configures it, with a table
 * mined from made-up medians. Not statistical: designed false-failure rate 0.
 */
class HardResampleContractTest implements FeedbackContract {

    private static final ProviderRegistry REGISTRY = ProviderRegistry.load();
    private static final Corpus CORPUS = TestCorpora.synthetic(6, 5, 13);
    private static final Path TABLE = table();

    private static Path table() {
        List<Utterance> u = CORPUS.utterances();
        double[] f0 = new double[u.size()];
        for (int i = 0; i < f0.length; i++) {
            f0[i] = 90 + (i * 37 % 101);
        }
        try {
            Path dir = Files.createTempDirectory("hard-resample-contract");
            dir.toFile().deleteOnExit();
            Path t = dir.resolve("hard.tsv");
            ScalarParameterMiner.pitch(0.2).mine(u.stream().map(Utterance::id).toList(),
                    u.stream().map(Utterance::speaker).toList(), f0).table().write(t);
            t.toFile().deleteOnExit();
            return t;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public BatchStream stream(long seed, int rank, int worldSize) {
        String yaml = "seed: " + seed + "\nsampler: {name: dynamic-mixing, segment_seconds: 1.0}\n"
                + "stages: [{name: hard-resample, table: " + TABLE + ", p_s: 0.5}]\nbatch: {name: fixed, size: 4}\n";
        return Pipeline.build(RunConfig.parse(yaml, "test.yaml", Path.of(".")), CORPUS, REGISTRY, rank, worldSize);
    }

    @Override
    public boolean isRandom() {
        return true;
    }
}
