package io.speechsampler.audio.synth;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.speechsampler.api.corpus.Corpus;
import io.speechsampler.api.corpus.CorpusReader;
import io.speechsampler.api.corpus.Utterance;
import io.speechsampler.audio.wav.WavReader;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SyntheticCorpusTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final SynthSpec SPEC = new SynthSpec(8, 3, 0.6, 8000, 42, 2, 1);

    @TempDir
    static Path shared;

    static Path corpus;

    @BeforeAll
    static void writeOnce() {
        corpus = shared.resolve("c1");
        List<long[]> calls = new ArrayList<>();
        SynthResult r = SyntheticCorpus.write(SPEC, corpus, (done, total) -> calls.add(new long[] {done, total}));
        assertEquals(24, r.utterances());
        assertEquals(24, calls.size());
        assertArrayEquals(new long[] {24, 24}, calls.get(23));
    }

    @Test
    void sameSeedGivesByteIdenticalFilesAndAnotherSeedDoesNot() throws IOException {
        Path again = shared.resolve("c2");
        SyntheticCorpus.write(SPEC, again, ProgressListener.NONE);
        List<Path> files = relativeFiles(corpus);
        assertEquals(files, relativeFiles(again));
        assertEquals(24 + 3 * 4 + 1, files.size());
        for (Path f : files) {
            assertArrayEquals(Files.readAllBytes(corpus.resolve(f)), Files.readAllBytes(again.resolve(f)), f.toString());
        }
        Path other = shared.resolve("c3");
        SyntheticCorpus.write(new SynthSpec(8, 3, 0.6, 8000, 43, 2, 1), other, ProgressListener.NONE);
        Path wav = Path.of("wav", "spk001-001.wav");
        assertFalse(java.util.Arrays.equals(Files.readAllBytes(corpus.resolve(wav)),
                Files.readAllBytes(other.resolve(wav))));
    }

    private static List<Path> relativeFiles(Path root) throws IOException {
        try (Stream<Path> s = Files.walk(root)) {
            return s.filter(Files::isRegularFile).map(root::relativize).sorted().toList();
        }
    }

    @Test
    void splitsReadBackThroughManifestAndKaldiFiles() throws IOException {
        Corpus train = CorpusReader.read(corpus.resolve("train"));
        Corpus valid = CorpusReader.read(corpus.resolve("valid"));
        Corpus test = CorpusReader.read(corpus.resolve("test"));
        assertEquals(List.of("spk001", "spk002", "spk003", "spk004", "spk005"), train.speakers());
        assertEquals(List.of("spk006", "spk007"), valid.speakers());
        assertEquals(List.of("spk008"), test.speakers());
        assertEquals(15, train.size());
        assertEquals(8000, train.sampleRate());
        for (Utterance u : train.utterances()) {
            assertEquals(u.numSamples(), WavReader.read(u).length);
            assertTrue(u.numSamples() >= 0.8 * 0.6 * 8000 && u.numSamples() <= 1.2 * 0.6 * 8000 + 1, u.toString());
            assertEquals("synthetic", u.tags().get(0));
        }
        Path copy = shared.resolve("kaldi-copy");
        for (Path f : relativeFiles(corpus)) {
            Files.createDirectories(copy.resolve(f).getParent());
            Files.copy(corpus.resolve(f), copy.resolve(f));
        }
        Files.delete(copy.resolve("train").resolve(CorpusReader.MANIFEST));
        Corpus kaldi = CorpusReader.read(copy.resolve("train"));
        assertEquals(train.size(), kaldi.size());
        for (int i = 0; i < train.size(); i++) {
            Utterance a = train.get(i);
            Utterance b = kaldi.get(i);
            assertEquals(a.id(), b.id());
            assertEquals(a.speaker(), b.speaker());
            assertEquals(a.numSamples(), b.numSamples());
            assertEquals(a.path().getFileName(), b.path().getFileName());
            assertEquals(copy.resolve("wav").resolve(a.id() + ".wav").toAbsolutePath().normalize(), b.path());
        }
        List<String> spk2utt = Files.readAllLines(corpus.resolve("train").resolve("spk2utt"));
        assertEquals("spk001 spk001-001 spk001-002 spk001-003", spk2utt.get(0));
    }

    @Test
    void speakersAlternateSexWithinTheirF0AndTractRanges() throws IOException {
        List<String> lines = Files.readAllLines(corpus.resolve("speakers.tsv"));
        assertEquals("speaker\tsex\tf0_median_hz\ttract_factor\tspeaking_rate\tsplit", lines.get(0));
        assertEquals(9, lines.size());
        Map<String, Double> medianBySpeaker = new HashMap<>();
        Map<String, String> sexBySpeaker = new HashMap<>();
        for (int i = 1; i < lines.size(); i++) {
            String[] f = lines.get(i).split("\t");
            Sex sex = i % 2 == 1 ? Sex.MALE : Sex.FEMALE;
            assertEquals(sex.tag(), f[1]);
            double f0 = Double.parseDouble(f[2]);
            double tract = Double.parseDouble(f[3]);
            assertTrue(f0 >= sex.f0Low() && f0 <= sex.f0High(), lines.get(i));
            assertTrue(tract >= sex.tractLow() && tract <= sex.tractHigh(), lines.get(i));
            medianBySpeaker.put(f[0], f0);
            sexBySpeaker.put(f[0], f[1]);
        }
        // A short utterance has few pitch accents (normal, spread up to 3 semitones), so one
        // utterance's median may sit several semitones off its speaker's; on average it may not.
        double sumAbs = 0;
        int n = 0;
        for (String line : Files.readAllLines(corpus.resolve("train").resolve(CorpusReader.MANIFEST))) {
            JsonNode o = JSON.readTree(line);
            String speaker = o.get("speaker").asText();
            double semitones = 12 * Math.log(o.get("f0_median_hz").asDouble() / medianBySpeaker.get(speaker))
                    / Math.log(2);
            assertTrue(Math.abs(semitones) < 9, line);
            sumAbs += Math.abs(semitones);
            n++;
            assertEquals(List.of("synthetic", sexBySpeaker.get(speaker)),
                    List.of(o.get("tags").get(0).asText(), o.get("tags").get(1).asText()));
        }
        assertTrue(sumAbs / n < 3, "mean |deviation| " + sumAbs / n + " semitones");
    }

    @Test
    void specIsValidatedWithNamedParameters() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new SynthSpec(1, 3, 1, 16000, 1, 0, 0));
        assertEquals("speakers is not in [2, 100000]: 1", e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> new SynthSpec(4, 3, 0.1, 16000, 1, 0, 0));
        assertEquals("seconds is not in [0.5, 600]: 0.1", e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> new SynthSpec(4, 3, 1, 44, 1, 0, 0));
        assertEquals("sampleRate is not in [8000, 48000]: 44", e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> new SynthSpec(4, 3, 1, 16000, 1, 1, 2));
        assertTrue(e.getMessage().startsWith("train speakers"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new SynthSpec(4, 0, 1, 16000, 1, 0, 0));
        assertThrows(IllegalArgumentException.class, () -> new SynthSpec(4, 1, Double.NaN, 16000, 1, 0, 0));
        SynthSpec d = SynthSpec.of(20, 5, 3, 16000, 9);
        assertEquals(2, d.validSpeakers());
        assertEquals(2, d.testSpeakers());
        assertEquals(0, SynthSpec.of(5, 5, 3, 16000, 9).testSpeakers());
        assertNotEquals(SynthSpec.of(20, 5, 3, 16000, 9), SynthSpec.of(20, 5, 3, 16000, 8));
    }
}
