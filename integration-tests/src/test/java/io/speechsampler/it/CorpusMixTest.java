package io.speechsampler.it;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.speechsampler.api.corpus.Corpus;
import io.speechsampler.api.corpus.CorpusReader;
import io.speechsampler.audio.synth.ProgressListener;
import io.speechsampler.audio.synth.SynthSpec;
import io.speechsampler.audio.synth.SyntheticCorpus;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code corpus mix} renders a corpus of mixture recordings (no references), byte-identical for the
 * same options, and MixIT trains on it with the {@code mixture-of-mixtures} sampler from
 * {@code sampler train}.
 */
class CorpusMixTest {

    @TempDir
    Path tmp;

    @Test
    void aMixtureCorpusIsReadableReproducibleAndTrainsMixit() throws IOException {
        Path corpus = tmp.resolve("corpus");
        SyntheticCorpus.write(new SynthSpec(8, 4, 0.5, 8000, 5, 2, 2), corpus, ProgressListener.NONE);
        Path mix = tmp.resolve("mix");
        CliRun r = CliRun.of("corpus", "mix", "--data", corpus.resolve("train"), "--speakers", 2, "--count", 12,
                "--seconds", 0.5, "--seed", 3, "--out", mix);
        assertEquals(0, r.code(), r.err());
        Corpus c = CorpusReader.read(mix);
        assertEquals(12, c.size());
        assertEquals(12, c.numSpeakers(), "each recording is its own speaker");
        assertEquals(4000, c.utterances().get(0).numSamples());
        Path again = tmp.resolve("mix2");
        assertEquals(0, CliRun.of("corpus", "mix", "--data", corpus.resolve("train"), "--speakers", 2, "--count", 12,
                "--seconds", 0.5, "--seed", 3, "--out", again).code());
        assertArrayEquals(Files.readAllBytes(mix.resolve("wav/mix00007.wav")),
                Files.readAllBytes(again.resolve("wav/mix00007.wav")));

        Path cfg = tmp.resolve("mixit.yaml");
        Files.writeString(cfg, "seed: 1\nsampler: {name: mixture-of-mixtures, segment_seconds: 0.5}\n"
                + "batch: {name: fixed, size: 2}\nmodel: {name: conv-tasnet, sources: 4}\ntask: {name: mixit}\n"
                + "train: {epochs: 1, max_steps_per_epoch: 2}\n");
        CliRun train = CliRun.of("train", "--config", cfg, "--data", mix, "--out", tmp.resolve("run"));
        assertEquals(0, train.code(), train.err());
        assertTrue(Files.readString(tmp.resolve("run/batches.jsonl")).contains("peak-normalise"));

        assertEquals(2, CliRun.of("corpus", "mix", "--data", corpus.resolve("train"), "--count", 0, "--out",
                tmp.resolve("bad")).code());
        assertEquals(2, CliRun.of("corpus", "mix", "--data", corpus.resolve("train"), "--count", 2, "--speakers", 9,
                "--out", tmp.resolve("bad")).code());
        assertTrue(!Files.exists(tmp.resolve("bad")), "nothing written");
    }

    /** {@code corpus subset}: a seeded subset, its utterances kept as they were, byte-identical again; bad sizes one line. */
    @Test
    void aSubsetKeepsChosenUtterancesAsTheyWere() throws IOException {
        Path corpus = tmp.resolve("corpus");
        SyntheticCorpus.write(new SynthSpec(8, 4, 0.5, 8000, 5, 2, 2), corpus, ProgressListener.NONE);
        Corpus source = CorpusReader.read(corpus.resolve("train"));
        Path sub = tmp.resolve("sub");
        CliRun r = CliRun.of("corpus", "subset", "--data", corpus.resolve("train"), "--fraction", 0.25, "--seed", 3,
                "--out", sub);
        assertEquals(0, r.code(), r.err());
        Corpus c = CorpusReader.read(sub);
        assertEquals(Math.round(0.25 * source.size()), c.size());
        for (io.speechsampler.api.corpus.Utterance u : c.utterances()) {
            io.speechsampler.api.corpus.Utterance original = source.require(u.id());
            assertEquals(original.speaker(), u.speaker());
            assertArrayEquals(io.speechsampler.audio.wav.WavReader.read(original),
                    io.speechsampler.audio.wav.WavReader.read(u), "the audio of " + u.id());
        }
        Path again = tmp.resolve("sub2");
        assertEquals(0, CliRun.of("corpus", "subset", "--data", corpus.resolve("train"), "--utterances", c.size(),
                "--seed", 3, "--out", again).code());
        assertArrayEquals(Files.readAllBytes(sub.resolve("manifest.jsonl")), Files.readAllBytes(again.resolve("manifest.jsonl")),
                "--fraction 0.25 and --utterances of the same count draw the same subset");
        for (Object[] bad : new Object[][] {{"--fraction", 0}, {"--fraction", 1.5}, {"--utterances", 0},
                {"--utterances", source.size() + 1}}) {
            CliRun b = CliRun.of("corpus", "subset", "--data", corpus.resolve("train"), bad[0], bad[1], "--out",
                    tmp.resolve("bad-sub"));
            assertEquals(2, b.code(), b.err());
            assertEquals(1, b.err().strip().lines().count(), b.err());
            assertTrue(b.err().contains(bad[0].toString()), b.err());
        }
        CliRun none = CliRun.of("corpus", "subset", "--data", corpus.resolve("train"), "--out", tmp.resolve("bad-sub"));
        assertEquals(2, none.code(), none.err());
        assertTrue(none.err().startsWith("error: Missing required argument (specify one of these): "), none.err());
        assertTrue(!Files.exists(tmp.resolve("bad-sub")), "nothing written");
    }
}
