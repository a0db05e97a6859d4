package io.speechsampler.it;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.speechsampler.api.corpus.Corpus;
import io.speechsampler.api.corpus.CorpusReader;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code sampler corpus synth} as a user runs it. */
class CorpusSynthCommandTest {

    @TempDir
    static Path tmp;

    static Path first;
    static CliRun firstRun;

    @BeforeAll
    static void synth() {
        first = tmp.resolve("a");
        firstRun = synth(first);
    }

    private static CliRun synth(Path out, Object... extra) {
        List<Object> args = new java.util.ArrayList<>(List.of("corpus", "synth", "--speakers", 8, "--utterances", 3,
                "--seconds", 1, "--sample-rate", 8000, "--seed", 5, "--valid-speakers", 2, "--test-speakers", 1,
                "--out", out));
        args.addAll(List.of(extra));
        return CliRun.of(args.toArray());
    }

    @Test
    void writesSpeakerDisjointSplitsAndSummary() {
        assertEquals(0, firstRun.code(), firstRun.err());
        Set<String> seen = new HashSet<>();
        int[] expected = {5, 2, 1};
        String[] splits = {"train", "valid", "test"};
        for (int k = 0; k < splits.length; k++) {
            Corpus kaldi = CorpusReader.read(first.resolve(splits[k]));
            Corpus manifest = CorpusReader.read(first.resolve(splits[k]).resolve("manifest.jsonl"));
            assertEquals(expected[k], kaldi.speakers().size(), splits[k]);
            assertEquals(3 * expected[k], kaldi.size(), splits[k]);
            assertEquals(kaldi.size(), manifest.size(), splits[k]);
            for (String s : kaldi.speakers()) {
                assertTrue(seen.add(s), "speaker " + s + " is in two splits");
            }
        }
        String summary = firstRun.out();
        assertTrue(summary.contains("24 utterances") && summary.contains("train 5 speakers / 15 utterances")
                && summary.contains("valid 2 / 6") && summary.contains("test 1 / 3") && summary.contains("hours"),
                summary);
        assertTrue(firstRun.err().contains("utt/s"), "a progress bar with a rate: " + firstRun.err());
    }

    @Test
    void sameSeedGivesByteIdenticalFiles() throws IOException {
        Path second = tmp.resolve("b");
        assertEquals(0, synth(second).code());
        for (String f : List.of("train/manifest.jsonl", "test/manifest.jsonl", "train/wav.scp", "valid/spk2utt",
                "speakers.tsv", "wav/spk001-001.wav", "wav/spk004-003.wav", "wav/spk008-002.wav")) {
            assertArrayEquals(Files.readAllBytes(first.resolve(f)), Files.readAllBytes(second.resolve(f)), f);
        }
        Path other = tmp.resolve("c");
        assertEquals(0, CliRun.of("corpus", "synth", "--speakers", 8, "--utterances", 3, "--seconds", 1,
                "--seed", 6, "--out", other).code());
        assertTrue(!java.util.Arrays.equals(Files.readAllBytes(first.resolve("wav/spk001-001.wav")),
                Files.readAllBytes(other.resolve("wav/spk001-001.wav"))), "another seed gives other audio");
    }

    @Test
    void refusesANonEmptyOutUnlessForcedAndKeepsOtherFiles() throws IOException {
        Path dir = tmp.resolve("existing");
        Files.createDirectories(dir);
        Path mine = Files.writeString(dir.resolve("notes.txt"), "keep me");
        CliRun refused = synth(dir);
        assertEquals(2, refused.code());
        assertTrue(refused.err().startsWith("error: --out " + dir) && refused.err().contains("not empty")
                && refused.err().contains("--force"), refused.err());
        assertEquals(List.of(mine), Files.list(dir).toList(), "nothing written on refusal");
        assertEquals(0, synth(dir, "--force").code());
        assertEquals("keep me", Files.readString(mine));
        assertArrayEquals(Files.readAllBytes(first.resolve("train/manifest.jsonl")),
                Files.readAllBytes(dir.resolve("train/manifest.jsonl")));
    }

    @Test
    void badValuesNameTheOptionRuleAndValue() {
        assertBad("error: --speakers is not in [2, 100000]: 1", "--speakers", 1);
        assertBad("error: --seconds is not in [0.5, 600]: 0.1", "--seconds", 0.1);
        assertBad("error: --sample-rate is not in [8000, 48000]: 4000", "--sample-rate", 4000);
        assertBad("error: --test-speakers is negative: -1", "--test-speakers", -1);
        assertBad("error: --speakers minus --valid-speakers minus --test-speakers (the train speakers) is not at "
                + "least 2: 4 - 1 - 2", "--speakers", 4, "--valid-speakers", 1, "--test-speakers", 2);
    }

    private static void assertBad(String message, Object... options) {
        List<Object> args = new java.util.ArrayList<>(List.of("corpus", "synth", "--out", tmp.resolve("bad")));
        args.addAll(List.of(options));
        CliRun r = CliRun.of(args.toArray());
        assertEquals(2, r.code(), r.err());
        assertEquals(message, r.err().strip());
        assertTrue(Files.notExists(tmp.resolve("bad")), "nothing written for bad input");
    }
}
