package io.speechsampler.api.draw;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.List;
import org.junit.jupiter.api.Test;

class DrawJsonTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    private static JsonNode parse(String s) throws Exception {
        return JSON.readTree(s);
    }

    private static Draw roundTrip(Draw d) throws Exception {
        return DrawJson.fromJson(parse(DrawJson.toJson(d).toString()));
    }

    @Test
    void itemsWithAndWithoutCropsAndTwoViewDrawsReadBackAsWritten() throws Exception {
        List<Draw> draws = List.of(
                ItemDraw.of("u1"),
                ItemDraw.of("u1", new Crop(4000, 28800)),
                ItemDraw.of("u2", new Crop(0, 1)).withTag("padding"),
                TwoViewDraw.of("u3", new Crop(0, 14400), new Crop(9100, 14400)),
                TwoViewDraw.of("u3", new Crop(5, 7), new Crop(5, 7)).withTag("hard"),
                MixtureDraw.of(List.of(Source.of("a", -1.5, 10), Source.of("b", 2, 0)), 32000));
        for (Draw d : draws) {
            assertEquals(d, roundTrip(d), d.toString());
        }
        assertEquals("{\"id\":\"u1\",\"offset\":4000,\"length\":28800}", DrawJson.toJson(draws.get(1)).toString());
        assertEquals("{\"id\":\"u3\",\"views\":[{\"offset\":0,\"length\":14400},{\"offset\":9100,\"length\":14400}]}",
                DrawJson.toJson(draws.get(3)).toString());
        assertEquals("{\"id\":\"u1\"}", DrawJson.toJson(draws.get(0)).toString(), "an uncropped item as before");
    }

    @Test
    void aCropIsNotPartOfTheKey() {
        assertEquals("u1", ItemDraw.of("u1", new Crop(4000, 100)).key());
        assertEquals("u1", TwoViewDraw.of("u1", new Crop(1, 2), new Crop(3, 4)).key());
        assertEquals(List.of("u1"), TwoViewDraw.of("u1", new Crop(1, 2), new Crop(3, 4)).utteranceIds());
        assertEquals(new Crop(1, 2), ItemDraw.of("u1", new Crop(1, 2)).withTag("x").crop(), "tags keep the crop");
    }

    @Test
    void linesWrittenBeforeCropsStillRead() throws Exception {
        Batch b = DrawJson.batchFromJson(parse("{\"epoch\":0,\"step\":0,\"batch\":0,\"rank\":0,\"draws\":"
                + "[{\"id\":\"spk003-004\"},{\"id\":\"spk011-007\",\"tags\":[\"hard\"]}]}"));
        assertEquals(List.of(ItemDraw.of("spk003-004"), ItemDraw.of("spk011-007").withTag("hard")), b.draws());
        assertTrue(((ItemDraw) b.draws().get(0)).optCrop().isEmpty());
    }

    @Test
    void aBadCropNamesWhatIsWrong() {
        for (String bad : List.of("{\"id\":\"u\",\"offset\":3}", "{\"id\":\"u\",\"length\":3}",
                "{\"id\":\"u\",\"offset\":-1,\"length\":3}", "{\"id\":\"u\",\"offset\":0,\"length\":0}",
                "{\"id\":\"u\",\"offset\":1.5,\"length\":3}", "{\"id\":\"u\",\"views\":[{\"offset\":0,\"length\":3}]}",
                "{\"id\":\"u\",\"views\":[{\"offset\":0,\"length\":3},{\"offset\":0}]}")) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> DrawJson.fromJson(parse(bad)), bad);
            assertTrue(e.getMessage().contains("crop") || e.getMessage().contains("views"), e.getMessage());
        }
    }
}
