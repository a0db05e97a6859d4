package io.speechsampler.api.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConfigOverridesTest {

    private static final String BASE = "seed: 1\n"
            + "sampler: {name: shuffle, tag: a}\n"
            + "stages:\n"
            + "  - {name: hard-resample, table: hard.tsv, p_s: 0.3}\n"
            + "batch: {name: fixed, size: 16}\n"
            + "mask: {name: drop-class}\n"
            + "model: {name: conv-tasnet, preset: tiny}\n"
            + "train: {epochs: 30, lr: 0.002}\n";

    private static RunConfig parse(String yaml, String... overrides) {
        return RunConfig.parse(yaml, "run.yaml", Path.of("."), List.of(overrides));
    }

    private static String failure(String yaml, String... overrides) {
        return assertThrows(ConfigException.class, () -> parse(yaml, overrides)).getMessage();
    }

    @Test
    void valuesAreReadWithTheYamlScalarRules() {
        RunConfig c = parse(BASE, "train.epochs=3", "train.lr=0.5", "shard.drop_last=true", "mask=null",
                "sampler.tag='007'", "stages[0].p_s=0.5", "train.gates=[1, 3]", "model.name=xvector",
                "model.head={kind: aam, margin: 0.2}", "train.note=");
        assertTrue(c.train().get("epochs").isInt());
        assertEquals(3, c.train().get("epochs").intValue());
        assertTrue(c.train().get("lr").isDouble());
        assertEquals(0.5, c.train().get("lr").doubleValue());
        assertTrue(c.dropLast());
        assertNull(c.mask(), "mask=null removes the mask");
        assertEquals("007", c.sampler().params().get("tag").textValue(), "a quoted number is a string");
        assertEquals(0.5, c.stages().get(0).params().get("p_s").doubleValue());
        assertEquals("hard.tsv", c.stages().get(0).params().get("table").textValue(), "the element's other keys stay");
        assertEquals("[1,3]", c.train().get("gates").toString());
        assertEquals("xvector", c.model().get("name").textValue());
        assertEquals("tiny", c.model().get("preset").textValue());
        assertEquals(0.2, c.model().get("head").get("margin").doubleValue());
        assertTrue(c.train().get("note").isNull(), "nothing after '=' is null, as an empty value in the file");
    }

    @Test
    void aPathThroughMissingMapsCreatesThem() {
        RunConfig c = parse(BASE, "validation.protocol.count=300", "task.name=separation");
        assertEquals(300, c.validation().get("protocol").get("count").intValue());
        assertEquals("separation", c.task().get("name").textValue());
    }

    @Test
    void laterOverridesWinAndTheConfigYamlHoldsTheResolvedValues() {
        RunConfig c = parse(BASE, "train.epochs=3", "train.epochs=4", "seed=9");
        assertEquals(4, c.train().get("epochs").intValue());
        assertEquals(9, c.seed());
        RunConfig again = parse(c.toYaml());
        assertEquals(c, again);
        assertTrue(c.toYaml().contains("epochs: 4"), c.toYaml());
        assertEquals(parse(BASE.replace("epochs: 30", "epochs: 4").replace("seed: 1", "seed: 9")), c);
    }

    @Test
    void noOverridesIsTheFileAsWritten() {
        assertEquals(RunConfig.parse(BASE, "run.yaml", Path.of(".")), parse(BASE));
        assertTrue(ConfigOverrides.parse(List.of()).isEmpty());
        assertEquals(List.of("a.b=1"), ConfigOverrides.parse(List.of("a.b=1")).arguments());
    }

    @Test
    void loadTakesOverridesToo(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("run.yaml");
        Files.writeString(file, BASE);
        RunConfig c = RunConfig.load(file, List.of("batch.size=4"));
        assertEquals(4, c.batch().params().get("size").intValue());
        assertEquals(16, RunConfig.load(file).batch().params().get("size").intValue());
    }

    @Test
    void malformedArgumentsNameTheArgument() {
        assertEquals("--set 'train.epochs': expected key=value, such as train.epochs=3 or stages[0].p_s=0.5",
                failure(BASE, "train.epochs"));
        assertTrue(failure(BASE, "=3").startsWith("--set '=3': the key must start with a config key"));
        assertTrue(failure(BASE, "[0].x=3").startsWith("--set '[0].x=3': the key must start with a config key"));
        assertEquals("--set 'train..lr=1': cannot read the key 'train..lr' from character 6; expected .key or "
                + "[index] steps, such as phases[1].train.epochs", failure(BASE, "train..lr=1"));
        assertTrue(failure(BASE, "stages[x].p=1").startsWith("--set 'stages[x].p=1': cannot read the key"));
        assertTrue(failure(BASE, "stages[-1].p=1").startsWith("--set 'stages[-1].p=1': cannot read the key"));
        String m = failure(BASE, "train.lr=[1,");
        assertTrue(m.startsWith("--set 'train.lr=[1,' value line 1 column "), m);
        assertTrue(m.contains("not valid YAML"), m);
        assertEquals("--set 'train.lr=.inf': the value must be a finite number, got .inf", failure(BASE, "train.lr=.inf"));
        m = failure(BASE, "train.gates=[1, .nan]");
        assertTrue(m.startsWith("--set 'train.gates=[1, .nan]' value line 1: ") && m.contains("finite"), m);
        m = failure(BASE, "model={a: 1, a: 2}");
        assertTrue(m.contains("duplicate key 'a'"), m);
    }

    @Test
    void pathsTheTreeCannotTakeNameTheFileAndTheArgument() {
        assertEquals("run.yaml: --set 'stages[1].p_s=0.5': 'stages' has 1 element; expected an index below 1 (to add "
                + "one, set the whole list: --set stages=[...])", failure(BASE, "stages[1].p_s=0.5"));
        assertEquals("run.yaml: --set 'model[0]=x': 'model' is a map, not a list, so it has no element [0]",
                failure(BASE, "model[0]=x"));
        assertEquals("run.yaml: --set 'stages.p_s=1': 'stages' is a list, not a map, so it has no key 'p_s'; set the "
                + "whole value instead (--set stages=...)", failure(BASE, "stages.p_s=1"));
        assertEquals("run.yaml: --set 'seed.x=1': 'seed' is the value 1, not a map, so it has no key 'x'; set the whole "
                + "value instead (--set seed=...)", failure(BASE, "seed.x=1"));
        assertEquals("run.yaml: --set 'observers[0].name=x': 'observers' is not set, so it has no element [0]; set the "
                + "whole list instead (--set observers=[...])", failure(BASE, "observers[0].name=x"));
        assertEquals("run.yaml: --set 'train.lr[0]=1': 'train.lr' is the value 0.002, not a list, so it has no "
                + "element [0]", failure(BASE, "train.lr[0]=1"));
    }

    @Test
    void aBadOverriddenValueIsReportedAsTheOverrideNotTheFileLine() {
        assertEquals("run.yaml (--set 'seed=1.5'): 'seed' must be an integer, got 1.5", failure(BASE, "seed=1.5"));
        String m = failure(BASE, "trian.lr=1");
        assertTrue(m.startsWith("run.yaml (--set 'trian.lr=1'): unknown key 'trian'; expected one of: "), m);
        m = failure(BASE, "sampler={tag: b}");
        assertEquals("run.yaml (--set 'sampler={tag: b}'): 'sampler' needs a 'name' naming its provider", m);
        ConfigOrigin o = parse(BASE, "train={epochs: 2}").origin();
        assertEquals("run.yaml (--set 'train={epochs: 2}'): ", o.where("train.epochs"));
        assertEquals("run.yaml line 7: ", o.where("model.preset"), "keys the overrides did not touch keep their line");
        assertFalse(o.where("train.lr").contains("line"), "the file's train.lr was replaced: " + o.where("train.lr"));
    }
}
