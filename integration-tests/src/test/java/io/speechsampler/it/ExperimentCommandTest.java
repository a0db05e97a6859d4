package io.speechsampler.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.speechsampler.audio.synth.ProgressListener;
import io.speechsampler.audio.synth.SynthSpec;
import io.speechsampler.audio.synth.SyntheticCorpus;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code sampler experiment}: two systems x three seeds, each evaluated on one fixed test set;
 * results.json, RESULTS.md and results.png; a second call runs nothing again.
 */
class ExperimentCommandTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    static Path tmp;

    @BeforeAll
    static void corpus() {
        SyntheticCorpus.write(new SynthSpec(8, 4, 0.5, 8000, 5, 2, 2), tmp.resolve("corpus"), ProgressListener.NONE);
    }

    @Test
    void systemsTimesSeedsGiveIntervalsAndPairedDifferences() throws IOException {
        Files.writeString(tmp.resolve("sep.yaml"), """
                seed: 1
                sampler: {name: dynamic-mixing, speakers: 2, segment_seconds: 0.25}
                batch: {name: fixed, size: 2}
                model: {name: conv-tasnet, sources: 2}
                train: {epochs: 1, max_steps_per_epoch: 2, lr: 0.002}
                """);
        Path spec = tmp.resolve("experiment.yaml");
        Files.writeString(spec, """
                seeds: [1, 2, 3]
                corpus: {train: corpus/train, valid: corpus/valid, test: corpus/test}
                test: {protocol: mixtures, speakers: [2], count: 6, segment_seconds: 0.25, seed: 9}
                metric: si_snri_db
                systems:
                  - {name: base, config: sep.yaml}
                  - {name: faster, config: sep.yaml, set: ["train.lr=0.004"]}
                """);
        Path out = tmp.resolve("out");
        CliRun r = CliRun.of("experiment", "--spec", spec, "--out", out);
        assertEquals(0, r.code(), r.err());
        JsonNode results = JSON.readTree(out.resolve("results.json").toFile());
        assertEquals(6, results.get("runs").size());
        for (JsonNode run : results.get("runs")) {
            assertEquals(6, run.get("summary").get("mixtures").asInt(), "the fixed test set: " + run);
        }
        JsonNode faster = results.get("systems").get(1);
        assertEquals(3, faster.get("values").size());
        assertTrue(faster.has("paired_difference_to_base"), faster.toString());
        String md = Files.readString(out.resolve("RESULTS.md"));
        assertTrue(md.contains("| base |") && md.contains("| faster |") && md.contains("95% CI"), md);
        assertTrue(Files.size(out.resolve("results.png")) > 1000);
        assertTrue(Files.readString(out.resolve("faster/seed-2/config.yaml")).contains("lr: 0.004"));
        assertTrue(Files.readString(out.resolve("faster/seed-2/config.yaml")).contains("seed: 2"));

        CliRun again = CliRun.of("experiment", "--spec", spec, "--out", out);
        assertEquals(0, again.code(), again.err());
        assertTrue(!again.err().contains("experiment: base, seed"), "nothing is run twice: " + again.err());
        assertEquals(md, Files.readString(out.resolve("RESULTS.md")));
    }

    /**
     * Per-condition test sets (issue 12, section 4's shape): named {@code tests}, one drawn by a
     * sampler of fixed factors (3 speakers; an SNR range), one on a further corpus of {@code corpora}
     * that a system also trains on through {@code ${corpora.real}}; every run is evaluated on each.
     */
    @Test
    void namedTestSetsPerConditionAndAFurtherCorpus() throws IOException {
        SyntheticCorpus.write(new SynthSpec(8, 4, 0.5, 8000, 6, 0, 3), tmp.resolve("tse-corpus"), ProgressListener.NONE);
        Files.writeString(tmp.resolve("random.yaml"), """
                seed: 1
                sampler: {name: dynamic-mixing, speakers: 2, segment_seconds: 0.25}
                stages: [{name: tse-target}]
                batch: {name: fixed, size: 2}
                model: {name: conv-tasnet-tse, preset: tiny, enrolment_seconds: 0.25}
                train: {epochs: 1, max_steps_per_epoch: 2, lr: 0.002}
                """);
        Files.writeString(tmp.resolve("curriculum.yaml"), """
                seed: 1
                sampler: {name: multi-factor-curriculum, segment_seconds: 0.25, speakers: [2, 3], real_share: [0.5]}
                stages: [{name: tse-target}]
                batch: {name: fixed, size: 2}
                model: {name: conv-tasnet-tse, preset: tiny, enrolment_seconds: 0.25}
                train: {epochs: 1, max_steps_per_epoch: 2, lr: 0.002}
                """);
        Path spec = tmp.resolve("conditions.yaml");
        Files.writeString(spec, """
                seeds: [1, 2]
                corpus: {train: tse-corpus/train, test: tse-corpus/test}
                corpora: {real: {synth: {speakers: 6, utterances: 3, seconds: 0.5, rate: 8000, seed: 11, valid: 0, test: 3}}}
                tests:
                  speakers-2: {protocol: mixtures, speakers: [2], count: 4, segment_seconds: 0.25, seed: 9}
                  speakers-3: {protocol: mixtures, count: 4, segment_seconds: 0.25, seed: 9,
                               sampler: {name: multi-factor-curriculum, segment_seconds: 0.25, speakers: [3]}}
                  snr-low: {protocol: mixtures, count: 4, segment_seconds: 0.25, seed: 9,
                            sampler: {name: multi-factor-curriculum, segment_seconds: 0.25, snr_db: [-5, -4]}}
                  real: {corpus: real, protocol: mixtures, speakers: [2], count: 4, segment_seconds: 0.25, seed: 9}
                metric: si_snri_db
                systems:
                  - {name: random, config: random.yaml}
                  - {name: curriculum, config: curriculum.yaml, set: ["sampler.real_corpus=${corpora.real}/train"]}
                """);
        Path out = tmp.resolve("conditions-out");
        CliRun r = CliRun.of("experiment", "--spec", spec, "--out", out);
        assertEquals(0, r.code(), r.err());
        assertTrue(Files.isDirectory(out.resolve("corpora/real/train")), "the further corpus is made once");
        JsonNode results = JSON.readTree(out.resolve("results.json").toFile());
        assertEquals(2 * 2 * 4, results.get("runs").size());
        assertEquals(2 * 4, results.get("systems").size());
        for (String test : new String[] {"speakers-2", "speakers-3", "snr-low", "real"}) {
            JsonNode summary = JSON.readTree(out.resolve("curriculum/seed-2/test-" + test + "/summary.json").toFile());
            assertEquals(4, summary.get("mixtures").asInt(), test);
        }
        String three = Files.readString(out.resolve("random/seed-1/test-speakers-3/si_snri.csv"));
        assertTrue(three.startsWith("mixture,sources,gains_db,si_snri_db,condition,snr_db,overlap,domain\n"), three);
        assertEquals(4, three.lines().filter(l -> l.contains(",speakers=3,")).count(), three);
        for (String row : Files.readString(out.resolve("random/seed-1/test-snr-low/si_snri.csv")).lines().skip(1).toList()) {
            String snr = row.split(",")[5];
            for (String v : snr.split("/")) {
                double db = Double.parseDouble(v);
                assertTrue(db >= -5 && db <= -4, "the test set's stated SNRs lie in its range: " + row);
            }
        }
        assertTrue(Files.readString(out.resolve("random/seed-1/test-real/summary.json")).contains("corpora"),
                "the real test set reads the further corpus's test speakers");
        assertTrue(Files.readString(out.resolve("curriculum/seed-1/config.yaml"))
                .contains(out.resolve("corpora/real/train").toAbsolutePath().toString()));
        String md = Files.readString(out.resolve("RESULTS.md"));
        assertTrue(md.contains("| system | speakers-2 | speakers-3 | snr-low | real |") && md.contains("## snr-low"), md);
        CliRun again = CliRun.of("experiment", "--spec", spec, "--out", out);
        assertEquals(0, again.code(), again.err());
        assertEquals(md, Files.readString(out.resolve("RESULTS.md")), "nothing runs again");
    }

    @Test
    void badTestSetsAndCorporaAreOneLine() throws IOException {
        String head = "seeds: [1, 2, 3]\ncorpus: {train: corpus/train, test: corpus/test}\n";
        String systems = "systems:\n  - {name: a, config: sep.yaml}\n";
        Files.writeString(tmp.resolve("sep.yaml"), "seed: 1\nsampler: {name: dynamic-mixing}\nbatch: {name: fixed, size: 2}\n"
                + "model: {name: conv-tasnet, sources: 2}\n");
        String[][] cases = {
                {"tests: {x: {corpus: nope, protocol: mixtures}}\n" + systems, "'tests.x.corpus' is 'nope', not a name of 'corpora' (none)"},
                {"test: {protocol: mixtures}\ntests: {x: {protocol: mixtures}}\n" + systems, "'test' and 'tests' are both set"},
                {"tests: {x: {protocol: mixtures, speakers: [2], sampler: {name: dynamic-mixing}}}\n" + systems,
                        "'tests.x.speakers' does not apply beside 'tests.x.sampler'"},
                {"tests: {x: {protocol: utterances, sampler: {name: dynamic-mixing}}}\n" + systems,
                        "'tests.x.sampler' applies to protocol 'mixtures' only"},
                {"systems:\n  - {name: a, config: sep.yaml, set: [\"sampler.real_corpus=${corpora.real}\"]}\n",
                        "names ${corpora.real}, but 'corpora' has none"},
                {"corpora: {real: {root: nowhere}}\n" + systems, "has no 'test' folder"},
        };
        for (String[] c : cases) {
            Path spec = tmp.resolve("bad-tests.yaml");
            Files.writeString(spec, head + c[0]);
            CliRun r = CliRun.of("experiment", "--spec", spec, "--out", tmp.resolve("bad-tests-out"));
            assertEquals(2, r.code(), c[0] + "\n" + r.err());
            assertTrue(r.err().contains(c[1]), c[0] + "\n" + r.err());
            assertEquals(1, r.err().strip().lines().count(), r.err());
            assertTrue(!Files.exists(tmp.resolve("bad-tests-out")), "nothing written");
        }
    }

    @Test
    void aBadExperimentFileIsOneLine() throws IOException {
        Path spec = tmp.resolve("bad.yaml");
        Files.writeString(spec, "seeds: [1, 1]\ncorpus: {train: corpus/train, test: corpus/test}\nsystems: []\n");
        CliRun r = CliRun.of("experiment", "--spec", spec, "--out", tmp.resolve("bad-out"));
        assertEquals(2, r.code());
        assertTrue(r.err().contains("names seed 1 twice"), r.err());
    }
}
