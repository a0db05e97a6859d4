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

    @Test
    void aBadExperimentFileIsOneLine() throws IOException {
        Path spec = tmp.resolve("bad.yaml");
        Files.writeString(spec, "seeds: [1, 1]\ncorpus: {train: corpus/train, test: corpus/test}\nsystems: []\n");
        CliRun r = CliRun.of("experiment", "--spec", spec, "--out", tmp.resolve("bad-out"));
        assertEquals(2, r.code());
        assertTrue(r.err().contains("names seed 1 twice"), r.err());
    }
}
