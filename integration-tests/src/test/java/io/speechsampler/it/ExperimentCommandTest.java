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

    /**
     * Issue 13 section 4's shape: a mixture corpus and a supervised subset made by the experiment
     * ({@code corpora: mix, subset}), one recipe run per seed whose phases are systems of their own
     * ({@code run}, {@code phase}), a system's own metric, {@code report} keys and {@code pairs}; an
     * {@code end: {steps: N}} longer than the config's epochs trains N steps.
     */
    @Test
    void phasesOfOneRunAreSystemsOnDerivedCorpora() throws IOException {
        Files.writeString(tmp.resolve("ts.yaml"), """
                seed: 1
                corpus: "data:unlabelled"
                sampler: {name: recordings, segment_seconds: 0.25}
                batch: {name: fixed, size: 2}
                model: {name: conv-tasnet, sources: 2}
                train: {epochs: 1, lr: 0.002, validate_every: 0}
                phases:
                  - name: teacher
                    sampler: {name: mixture-of-mixtures, segment_seconds: 0.25}
                    model: {name: conv-tasnet, sources: 4}
                    task: {name: mixit}
                    end: {steps: 2}
                  - name: student
                    init_from: none
                    task: {name: separation, teacher: "phase:teacher"}
                    end: {steps: 2}
                  - name: finetune
                    corpus: "data:supervised"
                    sampler: {name: dynamic-mixing, speakers: 2, segment_seconds: 0.25}
                    init_from: {phase: student, checkpoint: last}
                    task: {name: separation}
                    end: {steps: 5}
                """);
        Path spec = tmp.resolve("ts-experiment.yaml");
        Files.writeString(spec, """
                seeds: [1, 2]
                corpus: {train: corpus/train, test: corpus/test}
                corpora:
                  unlabelled: {mix: {from: train, speakers: 2, count: 6, seconds: 0.5, seed: 3}}
                  supervised: {subset: {from: train, fraction: 0.25, seed: 4}}
                test: {protocol: mixtures, speakers: [2], count: 4, segment_seconds: 0.25, seed: 9}
                metric: si_snri_db
                report: [over_separation_percent, hsr5_percent]
                systems:
                  - name: finetune
                    config: ts.yaml
                    data: {unlabelled: "${corpora.unlabelled}/train", supervised: "${corpora.supervised}/train"}
                  - {name: teacher, run: finetune, phase: teacher, metric: merged_si_snri_db}
                  - {name: student, run: finetune, phase: student}
                pairs: [[student, teacher]]
                """);
        Path out = tmp.resolve("ts-out");
        CliRun r = CliRun.of("experiment", "--spec", spec, "--out", out);
        assertEquals(0, r.code(), r.err());
        assertEquals(6, io.speechsampler.api.corpus.CorpusReader.read(out.resolve("corpora/unlabelled/train")).size());
        int train = io.speechsampler.api.corpus.CorpusReader.read(tmp.resolve("corpus/train")).size();
        assertEquals(Math.round(0.25 * train), io.speechsampler.api.corpus.CorpusReader
                .read(out.resolve("corpora/supervised/train")).size(), "a quarter of the training utterances");
        // one run per seed; the phase systems hold evaluations only
        assertTrue(Files.isDirectory(out.resolve("finetune/seed-2/phases/00-teacher")));
        assertTrue(!Files.exists(out.resolve("teacher/seed-1/phases")) && !Files.exists(out.resolve("student/seed-1/config.yaml")));
        assertEquals(5, Files.readAllLines(out.resolve("finetune/seed-1/phases/02-finetune/batches.jsonl")).size(),
                "end: {steps: 5} trains 5 steps although train.epochs is 1");
        JsonNode teacher = JSON.readTree(out.resolve("teacher/seed-1/test/summary.json").toFile());
        assertTrue(teacher.get("checkpoint").asText().contains("00-teacher"), teacher.toString());
        assertTrue(teacher.has("over_separation_percent") && teacher.has("merged_si_snri_db"), teacher.toString());
        JsonNode results = JSON.readTree(out.resolve("results.json").toFile());
        JsonNode t = results.get("systems").get(1);
        assertEquals("merged_si_snri_db", t.get("metric").asText());
        assertEquals(teacher.get("merged_si_snri_db").asDouble(), t.get("values").get(0).asDouble(), 1e-12);
        assertTrue(t.get("reported").has("over_separation_percent"), t.toString());
        assertTrue(results.get("systems").get(0).get("reported").get("over_separation_percent").get("values").get(0)
                .isNull(), "a 2-output model has no over-separation figure");
        JsonNode pair = results.get("pairs").get(0);
        double student = results.get("systems").get(2).get("values").get(1).asDouble();
        assertEquals(student - t.get("values").get(1).asDouble(), pair.get("values").get(1).asDouble(), 1e-12);
        String md = Files.readString(out.resolve("RESULTS.md"));
        assertTrue(md.contains("| student - teacher |") && md.contains("`over_separation_percent`")
                && md.contains("| teacher | `merged_si_snri_db` |"), md);
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
                {"corpora: {m: {mix: {from: train, count: 4}}}\ntests: {x: {corpus: m, protocol: mixtures}}\n" + systems,
                        "'tests.x.corpus' is 'm', a mix corpus: it has a train folder only"},
                {"corpora: {s: {subset: {from: train, fraction: 0.5, utterances: 3}}}\n" + systems,
                        "'corpora.s.subset' needs one of 'utterances' (a count) and 'fraction'"},
                {"corpora: {s: {subset: {from: elsewhere, fraction: 0.5}}}\n" + systems,
                        "'corpora.s.subset.from' is 'elsewhere'; expected train, valid, test or an earlier name"},
                {"corpora: {m: {mix: {from: train, count: 0}}}\n" + systems, "'corpora.m.mix.count' (mixture recordings) must be at least 1"},
                {"corpora: {m: {mix: {form: train, count: 3}}}\n" + systems, "'corpora.m.mix' has unknown key 'form'"},
                {systems + "  - {name: b, run: c}\n", "'systems[1].run' is 'c', not an earlier system with a config (a)"},
                {systems + "  - {name: b, run: a, config: sep.yaml}\n", "it takes no config, set or data of its own"},
                {systems + "  - {name: b, run: a, phaze: x}\n", "'systems[1]' has unknown key 'phaze'"},
                {systems + "pairs: [[a, z]]\n", "'pairs' names system 'z', which 'systems' does not have (a)"},
                {systems + "  - {name: b, run: a, phase: nope}\n", "system 'b' evaluates phase 'nope', which the recipe of 'a' does not have"},
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
