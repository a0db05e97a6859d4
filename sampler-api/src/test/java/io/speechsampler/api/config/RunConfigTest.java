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
        assertTrue(m.contains("'batchsize'") && m.contains("batch, components, corpus"), m);
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
    void aRoleReferringToASharedComponentReadsAsItsProvider() {
        RunConfig c = parse("components:\n  dc: {name: shuffle, x: 1}\nsampler: {ref: dc}\nbatch: fixed\n"
                + "observers: [{ref: dc}, {name: other}]\n");
        assertEquals("dc", c.sampler().ref());
        assertEquals("shuffle", c.sampler().name());
        assertEquals(1, c.sampler().params().get("x").intValue());
        assertEquals("dc", c.observers().get(0).ref());
        assertEquals(null, c.observers().get(1).ref());
        assertEquals(java.util.List.of("dc"), java.util.List.copyOf(c.components().keySet()));
        assertEquals("components.dc", c.components().get("dc").path());
        assertTrue(c.toYaml().contains("ref: \"dc\""), c.toYaml());
        assertEquals(c, parse(c.toYaml()));
    }

    @Test
    void aReferenceToAnUndefinedComponentNamesTheRoleTheKeyAndTheLine() {
        assertEquals("run.yaml line 4: 'stages[0]' refers to component 'dx', which 'components' does not define; "
                + "defined: dc", failure("components: {dc: {name: shuffle}}\nsampler: {ref: dc}\n"
                + "stages:\n  - {ref: dx}\nbatch: fixed\n"));
        assertEquals("run.yaml line 1: 'sampler' refers to component 'dc', which 'components' does not define; "
                + "defined: none (add a 'components' map)", failure("sampler: {ref: dc}\nbatch: fixed\n"));
    }

    @Test
    void badReferencesAndComponentEntriesAreOneLineEach() {
        assertEquals("run.yaml line 2: 'sampler' refers to component 'dc' and takes no other key, got 'size'; set "
                        + "parameters under 'components.dc'",
                failure("components: {dc: {name: shuffle}}\nsampler: {ref: dc, size: 2}\nbatch: fixed\n"));
        assertEquals("run.yaml line 2: 'components.a' is a reference; an entry of 'components' needs a 'name' naming "
                        + "its provider (roles refer to it with {ref: a})",
                failure("components:\n  a: {ref: b}\n  b: {name: shuffle}\nsampler: {ref: a}\nbatch: fixed\n"));
        assertTrue(failure("components: [a]\nsampler: shuffle\nbatch: fixed\n")
                .startsWith("run.yaml line 1: 'components' must be a map"));
        assertTrue(failure("components: {9a: {name: shuffle}}\nsampler: shuffle\nbatch: fixed\n")
                .contains("component key '9a' must start with a letter"));
        assertTrue(failure("components: {dc: {size: 2}}\nsampler: {ref: dc}\nbatch: fixed\n")
                .contains("'components.dc' needs a 'name'"));
    }

    private static String failure(String yaml) {
        return assertThrows(ConfigException.class, () -> parse(yaml)).getMessage();
    }

    @Test
    void invalidYamlNamesTheFileLineAndColumn() {
        String m = failure("sampler: [unclosed\n");
        assertTrue(m.startsWith("run.yaml line 2 column 1: not valid YAML: "), m);
        m = failure("sampler: {name: shuffle\nbatch: {name: fixed, size: 4}\n");
        assertEquals("run.yaml line 2 column 6: not valid YAML: expected ',' or '}', but got : (while parsing a "
                + "flow mapping that starts on line 1 column 10)", m);
        m = failure("sampler: shuffle\n\tbatch: fixed\n");
        assertTrue(m.startsWith("run.yaml line 2 column 1: not valid YAML: ") && m.contains("TAB"), m);
        assertEquals(1, m.lines().count(), m);
    }

    @Test
    void nanAndInfinityNameTheKeyAndLine() {
        assertEquals("run.yaml line 1: 'sampler.overlap' must be a finite number, got .nan",
                failure("sampler: {name: dynamic-mixing, overlap: .nan}\nbatch: fixed\n"));
        assertEquals("run.yaml line 4: 'sampler.gain_db[1]' must be a finite number, got -.Inf",
                failure("sampler:\n  name: dynamic-mixing\n  gain_db:\n    [0, -.Inf]\nbatch: fixed\n"));
        assertEquals("run.yaml line 3: 'train.lr' must be a finite number, got .INF",
                failure("sampler: shuffle\nbatch: fixed\ntrain: {lr: .INF}\n"));
        RunConfig quoted = parse("sampler: {name: x, tag: '.nan'}\nbatch: fixed\n");
        assertEquals(".nan", quoted.sampler().params().get("tag").asText(), "a quoted .nan is a string");
    }

    @Test
    void duplicateKeysAreRefusedWithBothLines() {
        assertEquals("run.yaml line 3: duplicate key 'sampler' (first on line 1); expected each key once",
                failure("sampler: shuffle\nbatch: fixed\nsampler: sequential\n"));
        assertEquals("run.yaml line 4: duplicate key 'batch.size' (first on line 3); expected each key once",
                failure("sampler: shuffle\nbatch:\n  size: 2\n  size: 4\n  name: fixed\n"));
        parse("sampler: shuffle\nbatch: fixed\nstages: [{name: a, p: 1}, {name: a, p: 2}]\n");
    }

    @Test
    void aSecondDocumentIsRefused() {
        String m = failure("sampler: shuffle\nbatch: fixed\n---\nseed: 4\n");
        assertTrue(m.startsWith("run.yaml line 4: a second YAML document"), m);
        parse("---\nsampler: shuffle\nbatch: fixed\n");
    }

    @Test
    void emptyValuesAreNotCalledNull() {
        String m = failure("seed:\nsampler: shuffle\nbatch: fixed\n");
        assertEquals("run.yaml line 1: 'seed' must be an integer, got nothing (an empty value)", m);
        m = failure("sampler: shuffle\nbatch: fixed\nstages: [~]\n");
        assertTrue(m.contains("got nothing") && !m.contains("null"), m);
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
