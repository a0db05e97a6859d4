package io.speechsampler.curriculum.mixing;

import io.speechsampler.api.config.RunConfig;
import io.speechsampler.api.corpus.Corpus;
import io.speechsampler.api.corpus.CorpusReader;
import io.speechsampler.api.draw.DomainCorpus;
import io.speechsampler.api.io.AtomicFiles;
import io.speechsampler.api.random.RandomStreams;
import io.speechsampler.api.registry.ProviderRegistry;
import io.speechsampler.core.pipeline.Pipeline;
import io.speechsampler.testkit.TestCorpora;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import org.apache.commons.rng.UniformRandomProvider;

/**
 * Pipelines with {@code multi-factor-curriculum} built as a user configures them, over an in-memory
 * training corpus and a second ("real") corpus written once as a manifest (with empty placeholder
 * audio files: sampling never reads audio); {@link #REAL} is it as draws name it ({@code real:ID}).
 */
final class CurriculumPipelines {

    static final ProviderRegistry REGISTRY = ProviderRegistry.load();
    static final Corpus CORPUS = TestCorpora.synthetic(6, 5, 13);
    static final Path DIR;
    static final Corpus REAL;

    static {
        try {
            DIR = Files.createTempDirectory("curriculum-test");
            DIR.toFile().deleteOnExit();
            Path real = DIR.resolve("real");
            Files.createDirectories(real);
            StringBuilder manifest = new StringBuilder();
            UniformRandomProvider rng = RandomStreams.of(3, "real-corpus", 0);
            for (int s = 0; s < 5; s++) {
                for (int u = 0; u < 3; u++) {
                    String id = String.format(Locale.ROOT, "real%02d-%d", s, u);
                    Files.write(real.resolve(id + ".wav"), new byte[0]);
                    long n = 8000 + rng.nextInt(100_000);
                    manifest.append("{\"id\":\"").append(id).append("\",\"speaker\":\"real").append(s)
                            .append("\",\"path\":\"").append(id).append(".wav\",\"num_samples\":").append(n)
                            .append(",\"sample_rate\":16000}\n");
                }
            }
            AtomicFiles.writeString(real.resolve(CorpusReader.MANIFEST), manifest.toString());
            REAL = DomainCorpus.prefixed(CorpusReader.read(real.resolve(CorpusReader.MANIFEST)), "real");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Every factor moving, each with its own pacing, and a second corpus. */
    static final String MULTI = "sampler: {name: multi-factor-curriculum, segment_seconds: 0.25, steps_per_segment: 3,"
            + " speakers: [2, 3, 4], speaker_shares: [[1, 0, 0], [0.5, 0.5, 0], [0.2, 0.3, 0.5]],"
            + " snr_db: [[5, 10], [-5, 5]], snr_pacing: {name: root-p, c0: 0.1, p: 3},"
            + " overlap: [[0.2, 0.5], [0.7, 1.0]], real_share: [0, 0.5], real_share_pacing: {name: geometric, c0: 0.1},"
            + " real_corpus: real/manifest.jsonl, pacing: {name: linear, c0: 0}}\n";

    private CurriculumPipelines() {
    }

    static RunConfig config(String yaml, long seed) {
        return RunConfig.parse("seed: " + seed + "\n" + yaml, "test.yaml", DIR);
    }

    static Pipeline build(String yaml, long seed, int rank, int world, int epochs) {
        Pipeline p = Pipeline.build(config(yaml, seed), CORPUS, REGISTRY, rank, world);
        p.plan(epochs, 0);
        return p;
    }
}
