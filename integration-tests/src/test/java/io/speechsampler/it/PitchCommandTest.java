package io.speechsampler.it;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code sampler pitch}, and {@code plan} with dynamic mixing, on a corpus from {@code corpus synth}. */
class PitchCommandTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    static Path tmp;

    static Path corpus;

    @BeforeAll
    static void synth() {
        corpus = tmp.resolve("corpus");
        CliRun r = CliRun.of("corpus", "synth", "--speakers", 10, "--utterances", 6, "--seconds", 2,
                "--sample-rate", 8000, "--seed", 42, "--valid-speakers", 0, "--test-speakers", 0, "--out", corpus);
        assertEquals(0, r.code(), r.err());
    }

    /** Acceptance: YIN's median f0 is within 2% of the synthesizer's own f0_median_hz for 95% of utterances. */
    @Test
    void medianF0MatchesTheSynthesizerWithin2PercentFor95PercentOfUtterances() throws IOException {
        Path out = tmp.resolve("pitch.tsv");
        CliRun r = CliRun.of("pitch", "--data", corpus.resolve("train"), "--out", out, "--threads", 2);
        assertEquals(0, r.code(), r.err());
        Map<String, Double> reference = new HashMap<>();
        List<String> ids = new ArrayList<>();
        for (String line : Files.readAllLines(corpus.resolve("train/manifest.jsonl"))) {
            JsonNode o = JSON.readTree(line);
            reference.put(o.get("id").asText(), o.get("f0_median_hz").asDouble());
            ids.add(o.get("id").asText());
        }
        List<String> lines = Files.readAllLines(out);
        assertEquals(60, lines.size());
        int within = 0;
        List<String> misses = new ArrayList<>();
        for (int i = 0; i < lines.size(); i++) {
            String[] f = lines.get(i).split("\t", -1);
            assertEquals(3, f.length, lines.get(i));
            assertEquals(ids.get(i), f[0], "corpus order");
            double voiced = Double.parseDouble(f[2]);
            assertTrue(voiced >= 0 && voiced <= 1, lines.get(i));
            assertEquals(voiced == 0, f[1].equals("nan"), lines.get(i));
            double ref = reference.get(f[0]);
            if (!f[1].equals("nan") && Math.abs(Double.parseDouble(f[1]) / ref - 1) <= 0.02) {
                within++;
            } else {
                misses.add(lines.get(i) + " (reference " + ref + ")");
            }
        }
        assertTrue(within >= 57, within + " of 60 within 2%; misses: " + misses);
    }

    @Test
    void outputDoesNotDependOnThreadCount() throws IOException {
        Path one = tmp.resolve("one.tsv");
        Path three = tmp.resolve("three.tsv");
        assertEquals(0, CliRun.of("pitch", "--data", corpus.resolve("train"), "--out", one, "--threads", 1).code());
        assertEquals(0, CliRun.of("pitch", "--data", corpus.resolve("train"), "--out", three, "--threads", 3).code());
        assertArrayEquals(Files.readAllBytes(one), Files.readAllBytes(three));
    }

    @Test
    void corruptWavIsOneLineNamingTheFileAndKeepsTheOldOutput() throws IOException {
        Path data = tmp.resolve("broken");
        Files.createDirectories(data);
        Path good = corpus.resolve("wav/spk001-001.wav").toAbsolutePath();
        Path bad = Files.write(data.resolve("bad.wav"), java.util.Arrays.copyOf(Files.readAllBytes(good), 30));
        Files.writeString(data.resolve("wav.scp"), "a " + good + "\nb " + bad + "\n");
        Files.writeString(data.resolve("utt2spk"), "a s1\nb s2\n");
        Path out = Files.writeString(tmp.resolve("old.tsv"), "old contents\n");
        CliRun r = CliRun.of("pitch", "--data", data, "--out", out);
        assertEquals(2, r.code(), r.err());
        assertTrue(r.err().startsWith("error: ") && r.err().contains(bad.toString()), r.err());
        assertEquals(1, r.err().strip().lines().count(), r.err());
        assertEquals("old contents\n", Files.readString(out));
        CliRun threshold = CliRun.of("pitch", "--data", corpus.resolve("train"), "--out", out, "--threshold", 1.5);
        assertEquals(2, threshold.code());
        assertEquals("error: --threshold is not in (0, 1): 1.5", threshold.err().strip());
    }

    @Test
    void planDrawsDynamicMixturesOfTwoDistinctSpeakers() throws IOException {
        Path out = tmp.resolve("plan.jsonl");
        Path config = Path.of("..", "examples", "dynamic-mixing.yaml");
        CliRun r = CliRun.of("plan", "--config", config, "--data", corpus.resolve("train"), "--epochs", 1,
                "--out", out);
        assertEquals(0, r.code(), r.err());
        Map<String, String> speakerOf = new HashMap<>();
        for (String line : Files.readAllLines(corpus.resolve("train/utt2spk"))) {
            String[] f = line.split(" ");
            speakerOf.put(f[0], f[1]);
        }
        int draws = 0;
        for (String line : Files.readAllLines(out)) {
            for (JsonNode d : JSON.readTree(line).get("draws")) {
                JsonNode sources = d.get("sources");
                assertEquals(2, sources.size(), d.toString());
                Set<String> speakers = new HashSet<>();
                for (JsonNode s : sources) {
                    assertTrue(s.get("gain_db").isNumber() && s.get("offset").isNumber(), s.toString());
                    speakers.add(speakerOf.get(s.get("id").asText()));
                }
                assertEquals(2, speakers.size(), "two distinct speakers: " + d);
                assertNotEquals(null, speakerOf.get(sources.get(0).get("id").asText()));
                draws++;
            }
        }
        assertEquals(60, draws, "every training utterance is the first source of one mixture per epoch");
    }
}
