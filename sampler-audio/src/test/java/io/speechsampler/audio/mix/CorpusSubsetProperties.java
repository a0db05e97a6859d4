package io.speechsampler.audio.mix;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.speechsampler.api.config.ConfigException;
import io.speechsampler.testkit.GoodnessOfFit;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.ShrinkingMode;
import net.jqwik.api.constraints.IntRange;

/**
 * {@link CorpusSubset}: the chosen utterances are distinct, ascending and a function of the seed;
 * each utterance is in the subset with probability count / size (uniform without replacement).
 *
 * <p>Designed false-failure rate: one statistical property of 3 tries, each one confirmed
 * chi-square test ({@link GoodnessOfFit#assertUniform(String, java.util.function.IntFunction)}: two
 * independent samples must both reject at alpha 0.001): at most {@code 3 x 1e-6} per run. The other
 * properties cannot fail by chance.
 */
class CorpusSubsetProperties {

    @Property(tries = 50)
    void distinctAscendingAndReplayed(@ForAll @IntRange(min = 1, max = 500) int size, @ForAll long seed,
                                      @ForAll @IntRange(min = 1, max = 500) int wanted) {
        int count = Math.min(size, wanted);
        int[] chosen = CorpusSubset.choose(size, count, seed);
        assertEquals(count, chosen.length);
        for (int i = 0; i < chosen.length; i++) {
            assertTrue(chosen[i] >= 0 && chosen[i] < size);
            assertTrue(i == 0 || chosen[i] > chosen[i - 1], "distinct and ascending");
        }
        assertArrayEquals(chosen, CorpusSubset.choose(size, count, seed), "the same seed, the same subset");
    }

    /**
     * Over many seeds every index is chosen equally often (count / size of the draws each): the
     * inclusion counts of the 40 indexes, over 2,000 subsets of 7, fit the uniform distribution.
     */
    @Property(tries = 3, shrinking = ShrinkingMode.OFF)
    void everyUtteranceIsEquallyLikely(@ForAll long seed) {
        GoodnessOfFit.assertUniform("inclusion counts of 7 of 40", k -> {
            long[] counts = new long[40];
            long base = GoodnessOfFit.sampleSeed(seed, k);
            for (int s = 0; s < 2000; s++) {
                for (int i : CorpusSubset.choose(40, 7, base + s)) {
                    counts[i]++;
                }
            }
            return counts;
        });
    }

    @Example
    void countsFromAFractionOrACount() {
        assertEquals(38, CorpusSubset.count(384, null, 0.1, "", "utterances", "fraction"));
        assertEquals(1, CorpusSubset.count(5, null, 0.01, "", "utterances", "fraction"), "at least one");
        assertEquals(5, CorpusSubset.count(5, 5, null, "", "utterances", "fraction"));
        ConfigException e = assertThrows(ConfigException.class,
                () -> CorpusSubset.count(5, 6, null, "c: ", "utterances", "fraction"));
        assertEquals("c: utterances must be in [1, 5] (the corpus has 5 utterances), got 6", e.getMessage());
        assertThrows(ConfigException.class, () -> CorpusSubset.count(5, null, 0.0, "", "utterances", "fraction"));
        assertThrows(ConfigException.class, () -> CorpusSubset.count(5, null, Double.NaN, "", "utterances", "fraction"));
    }
}
