package io.speechsampler.api.registry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.speechsampler.api.config.ConfigException;
import io.speechsampler.api.config.RunConfig;
import io.speechsampler.api.corpus.Corpus;
import io.speechsampler.api.registry.ProviderRegistry.Kind;
import io.speechsampler.api.spi.BuildContext;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

class ProviderRegistryTest {

    private static final ProviderRegistry REGISTRY = ProviderRegistry.load(ProviderRegistryTest.class.getClassLoader());
    private static final BuildContext CONTEXT = new BuildContext(Corpus.of(Path.of("empty"), List.of()), Path.of("."),
            1, -1, "sampler");

    private static RunConfig parse(String yaml) {
        return RunConfig.parse(yaml, "run.yaml", Path.of("."));
    }

    @Test
    void unknownNameListsTheAvailableOnes() {
        String m = assertThrows(ConfigException.class, () -> REGISTRY.create(Kind.SAMPLER,
                parse("sampler:\n  name: nope\nbatch: {name: test-fixed, size: 1}\n").sampler(), CONTEXT)).getMessage();
        assertTrue(m.startsWith("run.yaml line 2: "), m);
        assertTrue(m.contains("unknown sampler 'nope'") && m.contains("test-echo"), m);
        assertTrue(m.contains("broken on purpose"), "the broken provider is mentioned: " + m);
    }

    @Test
    void duplicateNamesNameBothClasses() {
        String m = assertThrows(ConfigException.class,
                () -> REGISTRY.find(Kind.SAMPLER, "test-twin", "run.yaml: ")).getMessage();
        assertTrue(m.contains(TestProviders.TwinA.class.getName()) && m.contains(TestProviders.TwinB.class.getName()), m);
        assertTrue(REGISTRY.problems().stream().anyMatch(p -> p.contains("duplicate sampler name 'test-twin'")
                && p.contains(TestProviders.TwinA.class.getName()) && p.contains(TestProviders.TwinB.class.getName())),
                REGISTRY.problems().toString());
    }

    @Test
    void brokenProviderIsReportedWithoutHidingTheOthers() {
        assertTrue(REGISTRY.problems().stream().anyMatch(p -> p.contains(TestProviders.Broken.class.getName())
                && p.contains("broken on purpose")), REGISTRY.problems().toString());
        assertTrue(REGISTRY.names(Kind.SAMPLER).contains("test-echo"), REGISTRY.names(Kind.SAMPLER).toString());
        assertEquals(List.of("test-fixed"), REGISTRY.names(Kind.BATCHER));
    }

    @Test
    void unknownProviderKeyNamesKeyLineAndAcceptedKeys() {
        RunConfig c = parse("sampler:\n  name: test-echo\n  count: 2\n  colour: red\nbatch: {name: test-fixed, size: 1}\n");
        String m = assertThrows(ConfigException.class, () -> REGISTRY.create(Kind.SAMPLER, c.sampler(), CONTEXT))
                .getMessage();
        assertTrue(m.startsWith("run.yaml line 4: "), m);
        assertTrue(m.contains("'sampler.colour'") && m.contains("count, label"), m);
    }

    @Test
    void batchSizeZeroNamesTheKeyAndTheRule() {
        RunConfig c = parse("sampler: test-echo\nbatch:\n  name: test-fixed\n  size: 0\n");
        String m = assertThrows(ConfigException.class, () -> REGISTRY.create(Kind.BATCHER, c.batch(), CONTEXT))
                .getMessage();
        assertTrue(m.startsWith("run.yaml line 4: "), m);
        assertTrue(m.contains("batch.size") && m.contains(">= 1") && m.contains(": 0"), m);
    }

    @Test
    void validParametersBind() {
        RunConfig c = parse("sampler: {name: test-echo, count: 3, label: hello}\nbatch: {name: test-fixed, size: 2}\n");
        REGISTRY.create(Kind.SAMPLER, c.sampler(), CONTEXT);
        REGISTRY.create(Kind.BATCHER, c.batch(), CONTEXT);
    }
}
