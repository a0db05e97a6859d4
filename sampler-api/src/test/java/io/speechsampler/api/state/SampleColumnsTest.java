package io.speechsampler.api.state;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

class SampleColumnsTest {

    private static SampleColumns two(int n) {
        return SampleColumns.builder(n).floats("score", 3f).ints("stamp", 0).build();
    }

    @Test
    void aSnapshotKeepsItsValuesWhileTheColumnsAreWrittenAndIsReadOnly() {
        SampleColumns c = two(5);
        int score = c.column("score");
        int stamp = c.column("stamp");
        c.setFloat(score, 1, 0.5f);
        SampleColumns s = c.snapshot();
        c.setFloat(score, 1, 7f);
        c.setInt(stamp, 4, 9);
        assertEquals(0.5f, s.getFloat(score, 1));
        assertEquals(0, s.getInt(stamp, 4));
        assertEquals(7f, c.getFloat(score, 1));
        assertEquals(9, c.getInt(stamp, 4));
        assertSame(s, s.snapshot());
        assertThrows(UnsupportedOperationException.class, () -> s.setFloat(score, 0, 1f));
        SampleColumns s2 = c.snapshot();
        c.fillInt(stamp, 0);
        assertEquals(9, s2.getInt(stamp, 4), "a second snapshot is kept too");
        assertEquals(0.5f, s.getFloat(score, 1), "and the first");
        SampleColumns m = s.mutableCopy();
        m.setFloat(score, 1, 2f);
        assertEquals(0.5f, s.getFloat(score, 1), "a copy's writes do not reach the snapshot it was made from");
        c.restoreFrom(m);
        m.setFloat(score, 1, 4f);
        assertEquals(2f, c.getFloat(score, 1), "a restore shares the arrays only until the next write");
    }

    @Test
    void theBinaryFormRoundTripsAsBytesBinaryNodesAndBase64Text() throws Exception {
        SampleColumns c = two(1000);
        for (int i = 0; i < 1000; i++) {
            c.setFloat(0, i, i * 0.25f - 3);
            c.setInt(1, i, i * 7919);
        }
        assertEquals(c, SampleColumns.fromBytes(c.toBytes(), "t"));
        ObjectMapper json = new ObjectMapper();
        JsonNode text = json.readTree(json.writeValueAsString(json.createObjectNode().set("c", c.toJson())));
        assertTrue(text.get("c").isTextual(), "a JSON writer writes the binary node as base64");
        assertEquals(c, SampleColumns.fromJson(text.get("c"), "t"));
        assertEquals(c, SampleColumns.fromJson(c.toJson(), "t"));
        SampleColumns other = two(1000);
        assertNotEquals(c, other);
        c.requireLayout(other);
        assertEquals("the columns hold 999 samples; expected 1000 (one per utterance of this corpus)",
                assertThrows(IllegalStateException.class, () -> c.requireLayout(two(999))).getMessage());
        assertEquals("the columns are score (float); expected score (float), stamp (int)",
                assertThrows(IllegalStateException.class,
                        () -> c.requireLayout(SampleColumns.builder(1000).floats("score", 0).build())).getMessage());
    }

    @Test
    void everyTruncationAndEveryFlippedByteIsRefused() {
        SampleColumns c = two(3);
        c.setFloat(0, 2, 1.5f);
        byte[] b = c.toBytes();
        for (int len = 0; len < b.length; len++) {
            byte[] cut = Arrays.copyOf(b, len);
            String m = assertThrows(IllegalStateException.class, () -> SampleColumns.fromBytes(cut, "scores"))
                    .getMessage();
            assertTrue(m.startsWith("scores: "), m);
        }
        for (int i = 0; i < b.length; i++) {
            for (int bit = 0; bit < 8; bit++) {
                byte[] d = b.clone();
                d[i] ^= (byte) (1 << bit);
                assertThrows(IllegalStateException.class, () -> SampleColumns.fromBytes(d, "scores"),
                        "byte " + i + " bit " + bit);
            }
        }
        assertEquals("scores: expected speech-sampler-columns data (binary, or base64 text), got number",
                assertThrows(IllegalStateException.class,
                        () -> SampleColumns.fromJson(new ObjectMapper().getNodeFactory().numberNode(3), "scores"))
                        .getMessage());
        assertEquals("scores: not base64 text (damaged)", assertThrows(IllegalStateException.class,
                () -> SampleColumns.fromJson(new ObjectMapper().getNodeFactory().textNode("#%!"), "scores"))
                .getMessage());
    }

    /**
     * SPI 2 section 6's goal: a two-number-per-sample state takes at most 16 bytes per sample.
     * Measured at N = 1e6: the binary form (what {@code state.bin} holds) and its base64 text (what a
     * state written as plain JSON holds).
     */
    @Test
    void twoNumbersPerSampleOfAMillionSamplesTakeAtMost16BytesEach() throws Exception {
        int n = 1_000_000;
        SampleColumns c = two(n);
        double binary = (double) c.toBytes().length / n;
        double base64 = (double) new ObjectMapper().writeValueAsBytes(c.toJson()).length / n;
        System.out.printf("SampleColumns, 2 columns, N = %d: %.5f bytes/sample binary, %.5f as base64 JSON%n", n, binary,
                base64);
        assertTrue(binary <= 8.001, "binary: " + binary);
        assertTrue(base64 <= 16, "base64: " + base64);
    }
}
