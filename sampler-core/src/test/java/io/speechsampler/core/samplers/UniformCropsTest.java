package io.speechsampler.core.samplers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.speechsampler.api.config.ConfigException;
import io.speechsampler.api.corpus.Corpus;
import io.speechsampler.api.draw.Batch;
import io.speechsampler.api.draw.Draw;
import io.speechsampler.api.draw.ItemDraw;
import io.speechsampler.api.draw.TwoViewDraw;
import io.speechsampler.core.pipeline.TestPipelines;
import io.speechsampler.testkit.TestCorpora;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Examples of {@code crop_seconds}, {@code two-view} and class-balanced {@code labels}: values, errors. */
class UniformCropsTest {

    private static final Corpus CORPUS = TestCorpora.synthetic(5, 4, 51);

    @TempDir
    Path dir;

    /** Utterances of 2 s, which the two-view sampler's default 1.8 s crops fit. */
    private static final Corpus LONG = TestCorpora.of("long", List.of(TestCorpora.utterance("a-0", "a", 2.0),
            TestCorpora.utterance("a-1", "a", 2.0), TestCorpora.utterance("b-0", "b", 2.0),
            TestCorpora.utterance("b-1", "b", 2.0)));

    private List<Batch> epoch(String sampler, String batch) {
        return epoch(sampler, batch, CORPUS);
    }

    private List<Batch> epoch(String sampler, String batch, Corpus corpus) {
        return TestPipelines.epoch(TestPipelines.build("sampler: " + sampler + "\nbatch: " + batch + "\n", dir, corpus,
                3, 0, 1));
    }

    private String error(String sampler) {
        return assertThrows(ConfigException.class, () -> epoch(sampler, "{name: fixed, size: 2}")).getMessage();
    }

    @Test
    void cropsAreInsideTheirUtteranceOrStartAtZero() {
        // shuffle pads a crop past a shorter utterance's end; class-balanced takes only crops its utterances hold
        for (double seconds : new double[] {2.5, TestCorpora.MIN_SECONDS}) {
            String sampler = seconds > TestCorpora.MIN_SECONDS ? "shuffle" : "class-balanced";
            long l = Math.round(seconds * TestCorpora.SAMPLE_RATE);
            for (Batch b : epoch("{name: " + sampler + ", crop_seconds: " + seconds + "}", "{name: fixed, size: 2}")) {
                for (Draw d : b.draws()) {
                    ItemDraw item = (ItemDraw) d;
                    long n = CORPUS.require(item.id()).numSamples();
                    assertEquals(l, item.crop().length());
                    assertTrue(item.crop().offset() <= Math.max(0, n - l), item + " in " + n + " samples");
                }
            }
        }
        epoch("shuffle", "{name: fixed, size: 2}").forEach(b -> b.draws().forEach(
                d -> assertTrue(((ItemDraw) d).optCrop().isEmpty(), "no crop_seconds, no crop")));
    }

    @Test
    void aCropLongerThanTheShortestUtteranceIsRefusedByTwoViewAndClassBalancedNamingIt() {
        String id = CORPUS.get(CORPUS.shortest()).id();
        long n = CORPUS.get(CORPUS.shortest()).numSamples();
        String at = String.format(java.util.Locale.ROOT, "%.3f", Math.floor(n / 16.0) / 1000);
        assertTrue(n < Math.round(2.5 * TestCorpora.SAMPLE_RATE), "the corpus has an utterance under 2.5 s: " + n);
        for (String s : List.of("class-balanced", "two-view")) {
            assertEquals("test.yaml line 2: 'sampler.crop_seconds' 2.5 s is longer than the shortest utterance of "
                    + "corpus synthetic, '" + id + "' (" + at + " s, " + n + " samples); expected at most " + at + " s: sampler '"
                    + s + "' takes every crop inside its utterance (no zero padding)",
                    error("{name: " + s + ", crop_seconds: 2.5}"));
        }
        assertEquals("test.yaml: 'sampler.crop_seconds' 1.8 s is longer than the shortest utterance of "
                + "corpus synthetic, '" + id + "' (" + at + " s, " + n + " samples); expected at most " + at + " s: sampler "
                + "'two-view' takes every crop inside its utterance (no zero padding)", error("{name: two-view}"),
                "the default crop too (no line of its own)");
        double fits = Math.floor(n / 16.0) / 1000;
        assertTrue(epoch("{name: two-view, crop_seconds: " + fits + "}", "{name: fixed, size: 2}").size() > 0,
                "a crop as long as the shortest utterance fits");
    }

    @Test
    void twoViewDefaultsToTheAuthors18Seconds() {
        List<Batch> epoch = epoch("two-view", "{name: fixed, size: 4}", LONG);
        Set<String> ids = new HashSet<>();
        for (Batch b : epoch) {
            for (Draw d : b.draws()) {
                TwoViewDraw t = (TwoViewDraw) d;
                assertEquals(Math.round(1.8 * TestCorpora.SAMPLE_RATE), t.first().length());
                assertEquals(t.first().length(), t.second().length());
                ids.add(t.id());
            }
        }
        assertEquals(LONG.size(), ids.size(), "every utterance once");
    }

    @Test
    void aNonPositiveCropIsOneLineNamingTheKey() {
        for (String s : List.of("shuffle", "class-balanced", "two-view")) {
            assertEquals("test.yaml line 2: 'sampler.crop_seconds' must be a positive crop of at least one sample "
                    + "(1 / 16000 s), got 0.0", error("{name: " + s + ", crop_seconds: 0}"));
            assertTrue(error("{name: " + s + ", crop_seconds: -1}").contains("'sampler.crop_seconds'"), s);
            assertTrue(error("{name: " + s + ", crop_seconds: 0.00001}").contains("at least one sample"), s);
        }
    }

    @Test
    void classBalancedBalancesOverTheLabelFileAndDrawsOnlyLabelledUtterances() throws IOException {
        // two labels over the utterances of speakers 0-2; speakers 3 and 4 unlabelled
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < 12; i++) {
            sb.append(CORPUS.get(i).id()).append('\t').append(i % 2 == 0 ? "even" : "odd").append('\n');
        }
        Files.writeString(dir.resolve("labels.tsv"), sb);
        List<Batch> epoch = epoch("{name: class-balanced, labels: labels.tsv}", "{name: fixed, size: 2}");
        assertEquals(12 / 2, epoch.size(), "labelled utterances / classes_per_batch");
        for (Batch b : epoch) {
            int[] parity = b.draws().stream().mapToInt(d -> CORPUS.indexOf(d.key()).getAsInt() % 2).sorted().toArray();
            assertEquals(List.of(0, 1), java.util.Arrays.stream(parity).boxed().toList(), "one of each label: " + b);
            b.draws().forEach(d -> assertTrue(CORPUS.indexOf(d.key()).getAsInt() < 12, "labelled: " + d));
        }
        assertEquals("test.yaml line 2: 'sampler.classes_per_batch' is not <= the number of labels in "
                + dir.resolve("labels.tsv") + " (2): 3", assertThrows(ConfigException.class,
                () -> epoch("{name: class-balanced, labels: labels.tsv, classes_per_batch: 3}",
                        "{name: fixed, size: 3}")).getMessage());
        Files.writeString(dir.resolve("bad.tsv"), CORPUS.get(0).id() + "\tk\nnot-there\tk\n");
        assertEquals("test.yaml line 2: " + dir.resolve("bad.tsv") + " line 2: utterance 'not-there' is not in the "
                + "corpus synthetic", error("{name: class-balanced, labels: bad.tsv}"));
    }
}
