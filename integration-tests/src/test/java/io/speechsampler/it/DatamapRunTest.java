package io.speechsampler.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.speechsampler.api.state.BinarySideFile;
import io.speechsampler.audio.synth.ProgressListener;
import io.speechsampler.audio.synth.SynthSpec;
import io.speechsampler.audio.synth.SyntheticCorpus;
import io.speechsampler.cli.Main;
import io.speechsampler.curriculum.datamap.DatamapTable;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The {@code datamap} observer in a real training run (2 epochs of dynamic mixing): listed by
 * {@code providers}; {@code sampler datamap} writes a CSV that agrees with the state in the run's
 * latest checkpoint, and refuses a run that recorded no datamap with one line, exit 2, nothing
 * written. A curriculum run with a second corpus as {@code real} maps that corpus's targets too.
 */
class DatamapRunTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    private static final String CONFIG = """
            seed: 4
            sampler: {name: dynamic-mixing, speakers: 2, segment_seconds: 0.25}
            batch: {name: fixed, size: 2}
            observers: [{name: datamap, tau: 0.0, kappa: 3.0}]
            model: {name: conv-tasnet, preset: tiny, sources: 2}
            train: {epochs: 2, lr: 0.001, validate_every: 0}
            """;

    @TempDir
    static Path tmp;

    static Path corpus;

    @BeforeAll
    static void corpus() throws IOException {
        corpus = tmp.resolve("corpus");
        // 4 training speakers x 3 utterances: 12 mixtures (6 batches) an epoch
        SyntheticCorpus.write(new SynthSpec(8, 3, 0.5, 8000, 6, 2, 2), corpus, ProgressListener.NONE);
        // the "real" domain: another corpus, other seed, 3 speakers x 3 utterances
        SyntheticCorpus.write(new SynthSpec(3, 3, 0.5, 8000, 77, 0, 0), tmp.resolve("real"), ProgressListener.NONE);
    }

    private static CliRun train(String config, Path run) throws IOException {
        Path cfg = Files.writeString(tmp.resolve(run.getFileName() + ".yaml"), config);
        return CliRun.of("train", "--config", cfg, "--data", corpus.resolve("train"), "--out", run);
    }

    @Test
    void providersListsIt() {
        CliRun r = CliRun.of("providers");
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("datamap"), r.out());
    }

    @Test
    void theCsvIsTheCheckpointsDatamap() throws IOException {
        Path run = tmp.resolve("run");
        CliRun r = train(CONFIG, run);
        assertEquals(0, r.code(), r.err());
        Path out = tmp.resolve("map");
        r = CliRun.of("datamap", "--run", run, "--out", out);
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("12 utterances seen"), r.out());
        for (String f : List.of("datamap.csv", "regions.csv", "datamap.png")) {
            assertTrue(Files.size(out.resolve(f)) > 0, f);
        }
        Path ckpt = run.resolve("checkpoints").resolve(Files.readString(run.resolve("checkpoints/latest")).trim());
        JsonNode observer = JSON.readTree(ckpt.resolve("state.json").toFile()).path("pipeline").path("current")
                .path("observers").get(0);
        DatamapTable t = DatamapTable.fromState(BinarySideFile.internalise(observer, ckpt));
        List<String> lines = Files.readAllLines(out.resolve("datamap.csv"));
        assertEquals("id,speaker,confidence,variability,correctness,region,epochs_seen,snr_db,speakers,overlap,"
                + "real_share", lines.get(0));
        assertEquals(t.size() + 1, lines.size());
        int ambiguous = 0;
        for (int i = 0; i < t.size(); i++) {
            String[] f = lines.get(i + 1).split(",", -1);
            assertEquals(List.of("", "", "", ""), List.of(f).subList(7, 11), "dynamic mixing states no factors");
            assertEquals(2, t.epochsSeen(i), "each utterance is a pivot once an epoch: " + lines.get(i + 1));
            assertEquals(String.format(Locale.ROOT, "%.6f", t.confidence(i)), f[2]);
            assertEquals(String.format(Locale.ROOT, "%.6f", t.variability(i)), f[3]);
            assertEquals(Integer.toString(t.correct(i)), f[4]);
            assertEquals("2", f[6]);
            ambiguous += f[5].equals("ambiguous") ? 1 : 0;
        }
        assertEquals(4, ambiguous, "a third of 12");
        List<String> regions = Files.readAllLines(out.resolve("regions.csv"));
        assertEquals(List.of("region,count,share"), regions.subList(0, 1));
        assertTrue(regions.contains("ambiguous,4,0.3333"), regions.toString());
    }

    /**
     * {@code --data} naming a corpus the run did not train on is refused in one line, even when it
     * has as many utterances as the map (the checkpoint's pipeline fingerprint holds the ids).
     */
    @Test
    void aCorpusTheRunDidNotTrainOnIsRefused() throws IOException {
        Path run = tmp.resolve("fingerprinted");
        assertEquals(0, train(CONFIG.replace("epochs: 2", "epochs: 1"), run).code());
        // the same 12 utterances under other ids: as large as the map, not the run's corpus
        Path other = tmp.resolve("renamed");
        Files.createDirectories(other);
        StringBuilder manifest = new StringBuilder();
        for (String line : Files.readAllLines(corpus.resolve("train/manifest.jsonl"))) {
            JsonNode o = JSON.readTree(line);
            ((com.fasterxml.jackson.databind.node.ObjectNode) o).put("id", "x-" + o.get("id").asText());
            String audio = o.path("path").asText();
            if (!audio.isEmpty() && !Path.of(audio).isAbsolute()) {
                ((com.fasterxml.jackson.databind.node.ObjectNode) o).put("path",
                        corpus.resolve("train").resolve(audio).toAbsolutePath().toString());
            }
            manifest.append(JSON.writeValueAsString(o)).append('\n');
        }
        Path file = Files.writeString(other.resolve("manifest.jsonl"), manifest.toString());
        Path out = tmp.resolve("renamed-map");
        CliRun r = CliRun.of("datamap", "--run", run, "--data", file, "--out", out);
        assertEquals(Main.BAD_INPUT, r.code(), r.err());
        List<String> lines = r.err().strip().lines().toList();
        assertEquals(1, lines.size(), r.err());
        assertTrue(lines.get(0).contains("is not the corpus " + run + " trained on"), lines.get(0));
        assertFalse(Files.exists(out.resolve("datamap.csv")), "nothing written");
    }

    /**
     * Half the mixtures of a {@code multi-factor-curriculum} run take their target from the second
     * corpus ({@code real:ID}): the datamap maps the training corpus's 12 utterances, then the
     * real corpus's 9, its {@code real} rows are drawn only in real mixtures, and regions.csv has
     * domain rows for both. The config names the real corpus by a path relative to itself, which
     * {@code sampler datamap} resolves as the run did (the run records its config's folder).
     */
    @Test
    void aCurriculumRunMapsTheTargetsOfItsRealMixturesToo() throws IOException {
        Path run = tmp.resolve("curriculum");
        CliRun r = train("""
                seed: 3
                sampler:
                  name: multi-factor-curriculum
                  segment_seconds: 0.25
                  speakers: [2]
                  real_share: [0.5, 0.5]
                  real_corpus: real/train
                observers: [{name: datamap, tau: 0.0, kappa: 3.0}]
                batch: {name: fixed, size: 4}
                model: {name: conv-tasnet-tse, preset: tiny, enrolment_seconds: 0.25}
                train: {epochs: 3, lr: 0.001, validate_every: 0}
                """, run);
        assertEquals(0, r.code(), r.err());
        Path out = tmp.resolve("curriculum-map");
        r = CliRun.of("datamap", "--run", run, "--out", out);
        assertEquals(0, r.code(), r.err());
        List<String> lines = Files.readAllLines(out.resolve("datamap.csv"));
        assertEquals(1 + 12 + 9, lines.size(), "the training corpus's 12 utterances, then the real corpus's 9");
        int realSeen = 0;
        int syntheticSeen = 0;
        for (int i = 1; i < lines.size(); i++) {
            String[] f = lines.get(i).split(",", -1);
            boolean real = f[0].startsWith("real:");
            assertEquals(i > 12, real, "training utterances first: " + lines.get(i));
            assertEquals(real, f[1].startsWith("real:"), "the speaker is under the domain's prefix too: " + lines.get(i));
            if (!f[6].equals("0")) {
                // an utterance is the target of real mixtures only if it is in the real corpus
                assertEquals(real ? "1.000000" : "0.000000", f[10], lines.get(i));
                if (real) {
                    realSeen++;
                } else {
                    syntheticSeen++;
                }
            }
        }
        // 3 epochs x 12 mixtures, each real with probability 0.5: P(no real target at all) = 2^-36
        assertTrue(realSeen > 0 && syntheticSeen > 0, "seen: " + realSeen + " real, " + syntheticSeen + " synthetic");
        List<String> regions = Files.readAllLines(out.resolve("regions.csv"));
        assertTrue(regions.stream().anyMatch(l -> l.endsWith(",domain,real")), regions.toString());
        assertTrue(regions.stream().anyMatch(l -> l.endsWith(",domain,synthetic")), regions.toString());
        Path ckpt = run.resolve("checkpoints").resolve(Files.readString(run.resolve("checkpoints/latest")).trim());
        JsonNode observer = JSON.readTree(ckpt.resolve("state.json").toFile()).path("pipeline").path("current")
                .path("observers").get(0);
        assertEquals(21, observer.path("utterances").asInt(), observer.toString());
    }

    @Test
    void aRunWithoutADatamapIsOneErrorLineAndNothingIsWritten() throws IOException {
        Path run = tmp.resolve("plain");
        assertEquals(0, train(CONFIG.replace("observers: [{name: datamap, tau: 0.0, kappa: 3.0}]\n", "")
                .replace("epochs: 2", "epochs: 1"), run).code());
        Path out = tmp.resolve("none");
        CliRun r = CliRun.of("datamap", "--run", run, "--out", out);
        assertEquals(Main.BAD_INPUT, r.code(), r.err());
        List<String> lines = r.err().strip().lines().toList();
        assertEquals(1, lines.size(), r.err());
        assertTrue(lines.get(0).startsWith("error: " + run + ": recorded no datamap"), lines.get(0));
        assertFalse(lines.get(0).contains("Exception"), lines.get(0));
        assertFalse(Files.exists(out.resolve("datamap.csv")), "nothing written");
        r = CliRun.of("datamap", "--run", tmp.resolve("missing"), "--out", out);
        assertEquals(Main.BAD_INPUT, r.code(), r.err());
        assertTrue(r.err().contains("no checkpoint"), r.err());
    }
}
