package io.speechsampler.api.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class RunConfigTest {

    private static RunConfig parse(String yaml) {
        return RunConfig.parse(yaml, "run.yaml", Path.of("."));
    }

    @Test
    void unknownTopLevelKeyNamesKeyAndLine() {
        String m = assertThrows(ConfigException.class,
                () -> parse("seed: 1\nsampler: shuffle\n\nbatchsize: 4\nbatch: {name: fixed, size: 2}\n")).getMessage();
        assertTrue(m.startsWith("run.yaml line 4: "), m);
        assertTrue(m.contains("'batchsize'") && m.contains("batch, corpus"), m);
    }

    @Test
    void missingSamplerAndBatchAreNamed() {
        assertTrue(assertThrows(ConfigException.class, () -> parse("batch: fixed\n")).getMessage()
                .contains("missing key 'sampler'"));
        assertTrue(assertThrows(ConfigException.class, () -> parse("sampler: shuffle\n")).getMessage()
                .contains("missing key 'batch'"));
    }

    @Test
    void badShardAndSeedValuesAreNamed() {
        String m = assertThrows(ConfigException.class,
                () -> parse("sampler: shuffle\nbatch: fixed\nshard:\n  drop_last: maybe\n")).getMessage();
        assertTrue(m.startsWith("run.yaml line 4: ") && m.contains("shard.drop_last"), m);
        m = assertThrows(ConfigException.class, () -> parse("seed: 1.5\nsampler: shuffle\nbatch: fixed\n"))
                .getMessage();
        assertTrue(m.startsWith("run.yaml line 1: ") && m.contains("'seed' must be an integer"), m);
    }

    @Test
    void invalidYamlNamesTheFile() {
        String m = assertThrows(ConfigException.class, () -> parse("sampler: [unclosed\n")).getMessage();
        assertTrue(m.startsWith("run.yaml: not valid YAML"), m);
    }

    @Test
    void namesAloneAndMapsAreTheSameComponent() {
        RunConfig a = parse("sampler: shuffle\nbatch: {name: fixed, size: 2}\n");
        RunConfig b = parse("sampler: {name: shuffle}\nbatch: {name: fixed, size: 2}\nweighting: uniform\n");
        assertEquals(a, b);
        assertEquals(a, parse(a.toYaml()));
    }

    @Test
    void stringsThatLookLikeOtherTypesSurviveTheRoundTrip() {
        RunConfig c = parse("corpus: '123'\nsampler: {name: weighted, weights: '007', tag: 'true', n: '1e3'}\n"
                + "batch: {name: fixed, size: 2}\n");
        assertEquals(c, parse(c.toYaml()), c.toYaml());
    }
}
