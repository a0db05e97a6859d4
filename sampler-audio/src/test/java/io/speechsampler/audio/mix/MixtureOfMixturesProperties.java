package io.speechsampler.audio.mix;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.speechsampler.api.config.ConfigException;
import io.speechsampler.api.config.RunConfig;
import io.speechsampler.api.corpus.Corpus;
import io.speechsampler.api.draw.Batch;
import io.speechsampler.api.draw.Draw;
import io.speechsampler.api.draw.MixtureDraw;
import io.speechsampler.api.draw.Source;
import io.speechsampler.api.registry.ProviderRegistry;
import io.speechsampler.core.pipeline.Pipeline;
import io.speechsampler.testkit.GoodnessOfFit;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.ShrinkingMode;
import net.jqwik.api.constraints.IntRange;

/**
 * Properties of {@code mixture-of-mixtures} with {@code sources_per_mixture} (two dynamic
 * mixtures of a labelled corpus) and of {@code recordings}.
 *
 * <p>Designed false-failure rate: one statistical property of 3 tries, each try one confirmed
 * chi-square test ({@link GoodnessOfFit#assertUniform(String, java.util.function.IntFunction)}:
 * two independent samples must both reject at alpha 0.001): at most {@code 3 x 1e-6} per run. The
 * other properties cannot fail by chance.
 */
class MixtureOfMixturesProperties {

    private static final ProviderRegistry REGISTRY = ProviderRegistry.load();
    private static final Corpus CORPUS = TestCorpora.uneven(3, 4, 5, 6, 7, 8);

    private static List<MixtureDraw> epoch(String sampler, long seed, int epochs) {
        RunConfig config = RunConfig.parse("seed: " + seed + "\nsampler: " + sampler + "\nbatch: {name: fixed, size: 1}\n",
                "test.yaml", Path.of("."));
        Pipeline p = Pipeline.build(config, CORPUS, REGISTRY, 0, 1);
        List<MixtureDraw> out = new ArrayList<>();
        for (int e = 0; e < epochs; e++) {
            Optional<Batch> b;
            while ((b = p.nextInEpoch()).isPresent()) {
                for (Draw d : b.get().draws()) {
                    out.add((MixtureDraw) d);
                }
            }
            p.finishEpoch();
        }
        return out;
    }

    private static int[] sizes(MixtureDraw d) {
        String tag = d.tags().stream().filter(t -> t.startsWith(MixtureRenderer.REFERENCES_TAG_PREFIX)).findFirst()
                .orElseThrow();
        String[] parts = tag.substring(MixtureRenderer.REFERENCES_TAG_PREFIX.length()).split("\\+");
        return new int[] {Integer.parseInt(parts[0]), Integer.parseInt(parts[1])};
    }

    @Property(tries = 20)
    void twoMixturesOfOneToTwoSourcesOfDifferentSpeakers(@ForAll long seed,
                                                         @ForAll @IntRange(min = 1, max = 2) int high) {
        List<MixtureDraw> draws = epoch("{name: mixture-of-mixtures, segment_seconds: 2.0, sources_per_mixture: [1, "
                + high + "]}", seed, 1);
        assertEquals(CORPUS.size(), draws.size(), "every utterance is the first source of one draw per epoch");
        for (MixtureDraw d : draws) {
            int[] k = sizes(d);
            assertTrue(k[0] >= 1 && k[0] <= high && k[1] >= 1 && k[1] <= high, d.toString());
            assertEquals(k[0] + k[1], d.sources().size());
            assertTrue(d.tags().contains(MixtureRenderer.PEAK_NORMALISE_TAG));
            assertEquals(2000, d.length());
            Set<String> speakers = new HashSet<>();
            for (Source s : d.sources()) {
                assertTrue(speakers.add(CORPUS.require(s.id()).speaker()), "one source per speaker: " + d);
                assertTrue(s.gainDb() >= -5 && s.gainDb() <= 5);
            }
        }
    }

    /** (K1, K2) is uniform over {1, 2}^2: 4 bins, 10 epochs of 33 draws (expected 82.5 a bin). */
    @Property(tries = 3, shrinking = ShrinkingMode.OFF)
    void mixtureSizesAreUniform(@ForAll long seed) {
        GoodnessOfFit.assertUniform("mixture sizes (K1, K2)", k -> {
            long[] bins = new long[4];
            for (MixtureDraw d : epoch("{name: mixture-of-mixtures, segment_seconds: 1.0, sources_per_mixture: [1, 2]}",
                    GoodnessOfFit.sampleSeed(seed, k), 10)) {
                int[] s = sizes(d);
                bins[(s[0] - 1) * 2 + s[1] - 1]++;
            }
            return bins;
        });
    }

    @Property(tries = 20)
    void recordingsAreEachDrawnOnceAsOneSourceCrops(@ForAll long seed) {
        List<MixtureDraw> draws = epoch("{name: recordings, segment_seconds: 2.0}", seed, 1);
        Set<String> ids = new HashSet<>();
        for (MixtureDraw d : draws) {
            assertEquals(1, d.sources().size());
            assertEquals(2000, d.length());
            Source s = d.sources().get(0);
            long n = CORPUS.require(s.id()).numSamples();
            assertTrue(n > 2000 ? s.offset() + 2000 <= n : s.offset() == 0, s.toString());
            ids.add(s.id());
        }
        assertEquals(CORPUS.size(), ids.size());
    }

    @Example
    void badSizesAndTooFewSpeakersAreOneLineNamingTheKey() {
        for (String bad : List.of("[0, 2]", "[2, 1]", "[1, 5]", "[1.5, 2]", "[1]")) {
            ConfigException e = assertThrows(ConfigException.class, () -> epoch("{name: mixture-of-mixtures, "
                    + "sources_per_mixture: " + bad + "}", 1, 1));
            assertTrue(e.getMessage().contains("sampler.sources_per_mixture") && !e.getMessage().contains("\n"),
                    e.getMessage());
        }
        ConfigException e = assertThrows(ConfigException.class, () -> epoch("{name: mixture-of-mixtures, "
                + "sources_per_mixture: [1, 4]}", 1, 1));
        assertTrue(e.getMessage().contains("needs 8 speakers") && e.getMessage().contains("has 6"), e.getMessage());
    }
}
