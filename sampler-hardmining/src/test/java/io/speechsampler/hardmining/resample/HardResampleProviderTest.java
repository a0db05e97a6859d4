package io.speechsampler.hardmining.resample;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.speechsampler.api.config.ConfigException;
import io.speechsampler.api.config.ConfigOrigin;
import io.speechsampler.api.config.Params;
import io.speechsampler.api.corpus.Corpus;
import io.speechsampler.api.corpus.Utterance;
import io.speechsampler.api.spi.BuildContext;
import io.speechsampler.api.spi.Stage;
import io.speechsampler.api.spi.StageProvider;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.ServiceLoader;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class HardResampleProviderTest {

    @TempDir
    Path dir;

    private final StageProvider provider = new HardResampleProvider();

    private BuildContext context() {
        Corpus corpus = Corpus.of(Path.of("c"), List.of(
                new Utterance("a", "x", Path.of("/a.wav"), 0, 100, 8000, List.of()),
                new Utterance("b", "y", Path.of("/b.wav"), 0, 100, 8000, List.of())));
        return new BuildContext(corpus, dir, 1, -1, "stages[0]");
    }

    private Params params(String table, Double ps) {
        ObjectNode node = JsonNodeFactory.instance.objectNode().put("name", "hard-resample").put("table", table);
        if (ps != null) {
            node.put("p_s", ps);
        }
        return Params.bind(node, provider.parameters(), ConfigOrigin.NONE, "stages[0]", "stage 'hard-resample'");
    }

    @Test
    void isFoundByServiceLoaderUnderItsName() {
        assertTrue(ServiceLoader.load(StageProvider.class).stream()
                .anyMatch(p -> p.get().name().equals("hard-resample")));
    }

    @Test
    void buildsFromARelativeTableWithDefaultPs() throws Exception {
        Files.writeString(dir.resolve("hard.tsv"), "a\tb\t1.5\nb\ta\t1.5\n");
        Stage s = provider.create(params("hard.tsv", null), context());
        assertEquals(0.3, ((HardResampleStage) s).probability());
    }

    @Test
    void namesAMissingTableAndRefusesPsOutOfRange() {
        ConfigException e = assertThrows(ConfigException.class,
                () -> provider.create(params("none.tsv", 0.2), context()));
        assertTrue(e.getMessage().contains(dir.resolve("none.tsv").toString()), e.getMessage());
        ConfigException range = assertThrows(ConfigException.class, () -> params("hard.tsv", 1.3));
        assertTrue(range.getMessage().contains("p_s") && range.getMessage().contains("1.3"), range.getMessage());
    }
}
