package io.speechsampler.audio.mix;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.speechsampler.api.config.ConfigException;
import io.speechsampler.api.config.ConfigOrigin;
import io.speechsampler.api.config.Params;
import io.speechsampler.api.config.RunConfig;
import io.speechsampler.api.corpus.Corpus;
import io.speechsampler.api.draw.MixtureDraw;
import io.speechsampler.api.registry.ProviderRegistry;
import io.speechsampler.api.spi.BuildContext;
import io.speechsampler.api.spi.EpochContext;
import io.speechsampler.api.spi.SourceSampler;
import io.speechsampler.audio.wav.WavWriter;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DynamicMixingProviderTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Corpus CORPUS = TestCorpora.uneven(3, 4, 5);
    private static final DynamicMixingProvider PROVIDER = new DynamicMixingProvider();

    @TempDir
    Path dir;

    private SourceSampler create(String json) throws IOException {
        ObjectNode node = (ObjectNode) JSON.readTree(json);
        Params params = Params.bind(node, PROVIDER.parameters(), ConfigOrigin.NONE, "sampler",
                "sampler 'dynamic-mixing'");
        return PROVIDER.create(params, new BuildContext(CORPUS, dir, 7, 8, "sampler"));
    }

    private ConfigException error(String json) {
        return assertThrows(ConfigException.class, () -> create(json));
    }

    @Test
    void isFoundByServiceLoaderUnderItsName() {
        ProviderRegistry registry = ProviderRegistry.load(getClass().getClassLoader());
        assertTrue(registry.names(ProviderRegistry.Kind.SAMPLER).contains("dynamic-mixing"),
                registry.names(ProviderRegistry.Kind.SAMPLER).toString());
        assertInstanceOf(DynamicMixingProvider.class,
                registry.find(ProviderRegistry.Kind.SAMPLER, "dynamic-mixing", "sampler"));
    }

    @Test
    void defaultsMatchTheDocumentedOnes() throws IOException {
        DynamicMixingSampler s = (DynamicMixingSampler) create("{}");
        assertEquals(DynamicMixingSettings.defaults(), s.settings());
        assertEquals(CORPUS.size(), s.epochSize());
        DynamicMixingSampler custom = (DynamicMixingSampler) create(
                "{\"speakers\":3,\"gain_db\":[-2,0],\"segment_seconds\":0,\"overlap\":0,\"snr_db\":[0,5]}");
        assertEquals(new DynamicMixingSettings(3, -2, 0, 0, 0, 0, 5), custom.settings());
    }

    @Test
    void badParametersAreNamedInErrors() {
        assertTrue(error("{\"speakers\":1}").getMessage().contains("'sampler.speakers' is not >= 2: 1"));
        assertTrue(error("{\"speakers\":4}").getMessage().contains("'sampler.speakers' is more than the 3 speakers"));
        assertTrue(error("{\"gain_db\":[5,-5]}").getMessage()
                .contains("'sampler.gain_db' must be [low, high] with low <= high: [5.0, -5.0]"));
        assertTrue(error("{\"snr_db\":[1,2,3]}").getMessage().contains("'sampler.snr_db' must be [low, high]"));
        assertTrue(error("{\"overlap\":1.5}").getMessage().contains("'sampler.overlap' is not [0, 1]: 1.5"));
        assertTrue(error("{\"overlap\":0}").getMessage().contains("'sampler.overlap' is not above 0"));
        assertTrue(error("{\"segment_seconds\":-1}").getMessage().contains("'sampler.segment_seconds'"));
        assertTrue(error("{\"gains\":[1,2]}").getMessage().contains("unknown key 'sampler.gains'"));
        String missing = error("{\"noise_corpus\":\"no/such/dir\"}").getMessage();
        assertTrue(missing.contains("'sampler.noise_corpus' cannot be read") && missing.contains("no/such/dir"),
                missing);
    }

    @Test
    void noiseCorpusResolvesAgainstTheConfigDirectory() throws IOException {
        Path noiseDir = dir.resolve("noise");
        Files.createDirectories(noiseDir);
        WavWriter.write(noiseDir.resolve("hum.wav"), new float[5000], 1000);
        Files.writeString(noiseDir.resolve("manifest.jsonl"),
                "{\"id\":\"hum\",\"speaker\":\"noise\",\"path\":\"hum.wav\",\"tags\":[\"noise\"]}\n");
        SourceSampler s = create("{\"noise_corpus\":\"noise\",\"snr_db\":[3,4]}");
        MixtureDraw d = (MixtureDraw) s.epoch(new EpochContext(1, 0, 0, 1, "sampler")).next();
        assertNotNull(d.noise());
        assertEquals("hum", d.noise().id());
        assertTrue(d.noise().snrDb() >= 3 && d.noise().snrDb() <= 4);
        assertTrue(d.noise().offset() <= 5000 - 4000);
        WavWriter.write(noiseDir.resolve("hum.wav"), new float[5000], 8000);
        Files.writeString(noiseDir.resolve("manifest.jsonl"),
                "{\"id\":\"hum\",\"speaker\":\"noise\",\"path\":\"hum.wav\"}\n");
        assertTrue(error("{\"noise_corpus\":\"noise\"}").getMessage().contains("expected the corpus's 1000 Hz"));
    }

    @Test
    void shippedExampleConfigBuilds() throws IOException {
        RunConfig config = RunConfig.load(Path.of("..", "examples", "dynamic-mixing.yaml"));
        assertEquals("dynamic-mixing", config.sampler().name());
        Params params = Params.bind(config.sampler().params(), PROVIDER.parameters(), config.origin(), "sampler",
                "sampler 'dynamic-mixing'");
        SourceSampler s = PROVIDER.create(params, new BuildContext(CORPUS, dir, config.seed(), 8, "sampler"));
        assertEquals(DynamicMixingSettings.defaults(), ((DynamicMixingSampler) s).settings());
    }
}
