package io.speechsampler.api.state;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.speechsampler.api.config.ConfigException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BinarySideFileTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    private static ObjectNode state() {
        SampleColumns a = SampleColumns.builder(4).floats("score", 3f).build();
        SampleColumns b = SampleColumns.builder(2).ints("count", 7).build();
        ObjectNode s = JSON.createObjectNode().put("format", "x");
        s.putObject("current").putArray("stages").add(JSON.createObjectNode().set("columns", a.toJson()))
                .add(JSON.createObjectNode().put("n", 1));
        s.putObject("epoch_start").set("columns", b.toJson());
        return s;
    }

    @Test
    void binaryPartsGoToTheSideFileAndComeBackWhole() throws IOException {
        ObjectNode s = state();
        JsonNode out = BinarySideFile.externalise(s, dir, "state.bin");
        assertEquals("state.bin", out.at("/current/stages/0/columns/$binary").asText());
        assertEquals(1, out.at("/current/stages/1/n").asInt());
        assertTrue(s.at("/current/stages/0/columns").isBinary(), "the given state is unchanged");
        JsonNode text = JSON.readTree(JSON.writeValueAsString(out));
        assertFalse(JSON.writeValueAsString(out).length() > 400, "no base64 in the JSON: " + out);
        JsonNode back = BinarySideFile.internalise(text, dir);
        assertEquals(s, back);
        assertArrayEquals(s.at("/epoch_start/columns").binaryValue(), back.at("/epoch_start/columns").binaryValue());
    }

    @Test
    void aStateWithoutBinaryPartsWritesNoFile() {
        JsonNode s = JSON.createObjectNode().put("a", 1);
        assertEquals(s, BinarySideFile.externalise(s, dir, "state.bin"));
        assertFalse(Files.exists(dir.resolve("state.bin")));
        assertEquals(s, BinarySideFile.internalise(s, dir));
    }

    private String refusal(JsonNode refs) {
        ConfigException e = assertThrows(ConfigException.class, () -> BinarySideFile.internalise(refs, dir));
        assertEquals(1, e.getMessage().lines().count(), e.getMessage());
        return e.getMessage();
    }

    @Test
    void aMissingTruncatedForeignOrDamagedSideFileIsOneLineNamingIt() throws IOException {
        JsonNode refs = JSON.readTree(JSON.writeValueAsString(BinarySideFile.externalise(state(), dir, "state.bin")));
        Path f = dir.resolve("state.bin");
        byte[] whole = Files.readAllBytes(f);

        Files.write(f, Arrays.copyOf(whole, whole.length - 3));
        String m = refusal(refs);
        assertTrue(m.startsWith(f + ": ends at byte ") && m.endsWith("(truncated)"), m);

        byte[] damaged = whole.clone();
        damaged[whole.length - 10] ^= 1;
        Files.write(f, damaged);
        m = refusal(refs);
        assertTrue(m.startsWith(f + ": the binary part at byte ") && m.contains("fails its CRC32 check"), m);

        Files.writeString(f, "{\"not\": \"binary\"}");
        m = refusal(refs);
        assertEquals(f + ": not a version 1 speech-sampler-binary-state file (damaged or another file)", m);

        Files.delete(f);
        m = refusal(refs);
        assertTrue(m.startsWith(f + ": not found; the state names it for its binary part"), m);

        ObjectNode escape = JSON.createObjectNode();
        escape.putObject("x").put("$binary", "../state.bin").put("offset", 31).put("length", 1).put("crc32", 0);
        assertTrue(refusal(escape).contains("must be a file beside it"));
    }
}
