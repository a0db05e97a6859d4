package io.speechsampler.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.speechsampler.api.corpus.Corpus;
import io.speechsampler.api.corpus.CorpusReader;
import io.speechsampler.audio.synth.ProgressListener;
import io.speechsampler.audio.synth.SynthSpec;
import io.speechsampler.audio.synth.SyntheticCorpus;
import io.speechsampler.cli.Main;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 14's bad input for {@code examples/lgl/lgl.yaml}: K above the utterances, a gate that is
 * not positive, a round list of the wrong length, a label file naming utterances the corpus lacks,
 * crops longer than the shortest utterance. Each is one line, exit 2, and nothing in the run folder:
 * refused before the contrastive stage trains (these tests train nothing).
 */
class LossGatedLearningBadInputTest {

    @TempDir
    static Path tmp;

    static Path corpus;
    /** The training corpus's shortest utterance: its id, and its length to 3 decimals (rounded down). */
    static String shortestId;
    static String shortestSeconds;
    static int utterances;
    /** Where the training corpus was read from, as messages name it. */
    static Path source;

    @BeforeAll
    static void corpus() {
        corpus = tmp.resolve("corpus");
        // 6 training speakers x 3 utterances of 2 to 3 s (the example's 1.8 s crops fit), 2 validation speakers
        SyntheticCorpus.write(new SynthSpec(8, 3, 2.5, 8000, 3, 2, 0), corpus, ProgressListener.NONE);
        Corpus train = CorpusReader.read(corpus.resolve("train"));
        utterances = train.size();
        source = train.source();
        int i = train.shortest();
        shortestId = train.get(i).id();
        shortestSeconds = String.format(Locale.ROOT, "%.3f", Math.floor(train.get(i).numSamples() / 8.0) / 1000);
    }

    /** {@code sampler train} of the example with {@code sets} added, into a fresh folder under {@code tmp}. */
    private static CliRun train(Path out, String... sets) {
        return train(corpus.resolve("valid"), out, sets);
    }

    private static CliRun train(Path valid, Path out, String... sets) {
        List<Object> a = new ArrayList<>(List.of("train", "--config", Path.of("..", "examples", "lgl", "lgl.yaml"),
                "--data", corpus.resolve("train"), "--valid", valid, "--out", out,
                "--set", "batch.size=4", "--set", "phases[1].before[0].clusters=4"));
        for (String s : sets) {
            a.add("--set");
            a.add(s);
        }
        return CliRun.of(a.toArray());
    }

    /** One error line holding every part, exit 2, no stack trace, and no run folder at all. */
    private static void refusedBeforeAnythingIsWritten(CliRun r, Path out, String... parts) {
        assertEquals(Main.BAD_INPUT, r.code(), r.err());
        List<String> errors = r.err().lines().filter(l -> l.startsWith("error: ")).toList();
        assertEquals(1, errors.size(), "one error line: " + r.err());
        for (String p : parts) {
            assertTrue(errors.get(0).contains(p), "'" + p + "' in: " + errors.get(0));
        }
        assertFalse(r.err().contains("\tat ") || r.err().contains("Exception"), r.err());
        assertFalse(Files.exists(out), "nothing written (no recipe.yaml, phases/ or labels-*.tsv): " + out);
    }

    @Test
    void moreClustersThanUtterancesAreRefusedBeforeTheContrastiveStageTrains() {
        Path out = tmp.resolve("k");
        CliRun r = train(out, "phases[1].before[0].clusters=100000");
        refusedBeforeAnythingIsWritten(r, out, "phase 'lgl/round-1/open'", "before[0].clusters' 100000",
                "more than the corpus's " + utterances + " utterances");
    }

    @Test
    void aGateOfZeroInAnyRoundIsRefusedBeforeTheContrastiveStageTrains() {
        Path out = tmp.resolve("gate");
        CliRun r = train(out, "phases[1].phases[1].weighting.gate.per_round=[1, 3, 0, 5, 6]");
        refusedBeforeAnythingIsWritten(r, out, "phase 'lgl/round-3/gated'", "'weighting.gate' is not > 0: 0");
    }

    @Test
    void aRoundListOfTheWrongLengthIsRefusedAtLoad() {
        Path out = tmp.resolve("rounds");
        CliRun r = train(out, "phases[1].phases[1].weighting.gate.per_round=[1, 3, 5, 6]");
        refusedBeforeAnythingIsWritten(r, out, "'weighting.gate.per_round' has 4 values; expected 5, one per round "
                + "of 'lgl' (repeat: 5)");
    }

    @Test
    void aLabelFileNamingAnUtteranceTheCorpusLacksIsRefusedBeforeTheContrastiveStageTrains() throws IOException {
        Path labels = Files.writeString(tmp.resolve("stranger.tsv"), shortestId + "\tc0\nnobody-001\tc1\n");
        Path out = tmp.resolve("labels");
        CliRun r = train(out, "phases[1].sampler.labels=" + labels.toAbsolutePath());
        refusedBeforeAnythingIsWritten(r, out, "phase 'lgl/round-1/open'", "'sampler.labels': ",
                "stranger.tsv line 2: utterance 'nobody-001' is not in the corpus");
    }

    @Test
    void aCropLongerThanTheShortestUtteranceIsRefusedBeforeTheContrastiveStageTrains() {
        String shortest = "longer than the shortest utterance of corpus " + source + ", '" + shortestId + "' ("
                + shortestSeconds + " s, ";
        Path twoView = tmp.resolve("two-view");
        refusedBeforeAnythingIsWritten(train(twoView, "phases[0].sampler.crop_seconds=30"), twoView,
                "phase 'contrastive'", "'sampler.crop_seconds' 30.0 s is " + shortest, "expected at most "
                        + shortestSeconds, "sampler 'two-view' takes every crop inside its utterance");
        Path classBalanced = tmp.resolve("class-balanced");
        refusedBeforeAnythingIsWritten(train(classBalanced, "phases[1].sampler.crop_seconds=3.5"), classBalanced,
                "phase 'lgl/round-1/open'", "'sampler.crop_seconds' 3.5 s is " + shortest,
                "sampler 'class-balanced' takes every crop inside its utterance");
        // the contrastive phase has no validation protocol: it validates on its own two-view draws over --valid
        Path shortValid = tmp.resolve("short-valid");
        SyntheticCorpus.write(new SynthSpec(4, 2, 1.0, 8000, 4, 2, 0), shortValid, ProgressListener.NONE);
        Corpus valid = CorpusReader.read(shortValid.resolve("valid"));
        Path validation = tmp.resolve("validation");
        refusedBeforeAnythingIsWritten(train(shortValid.resolve("valid"), validation), validation,
                "phase 'contrastive'", "'sampler.crop_seconds' 1.8 s is longer than the shortest utterance of corpus "
                        + valid.source() + ", '" + valid.get(valid.shortest()).id() + "'",
                "sampler 'two-view' takes every crop inside its utterance");
        // the contrastive model embeds every utterance for the first round's clusters as its crop from the start
        Path model = tmp.resolve("model");
        refusedBeforeAnythingIsWritten(train(model, "model.crop_seconds=3.5"), model, "phase 'contrastive'",
                "'model.crop_seconds' 3.5 s is " + shortest,
                "embed-and-cluster before phase 'lgl/round-1/open' embeds every utterance as this model's crop");
    }
}
