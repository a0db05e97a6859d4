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
    void mixtureFactorsReadBackAsWrittenAndOnlyWhenStated() throws Exception {
        List<Source> sources = List.of(Source.of("a", 0, 0), Source.of("b", 0, 0), Source.of("c", 0, 0));
        MixtureDraw plain = new MixtureDraw(sources, 100, null, 0, "a2", List.of());
        MixtureDraw all = plain.withFactors(new MixtureFactors(List.of(2.5, -1.0), 0.75, "real")).withTag("real");
        MixtureDraw some = plain.withFactors(new MixtureFactors(List.of(), Double.NaN, "synthetic"));
        for (MixtureDraw d : List.of(plain, all, some)) {
            assertEquals(d, roundTrip(d), d.toString());
        }
        assertEquals("{\"speakers\":3,\"snr_db\":[2.5,-1.0],\"overlap\":0.75,\"domain\":\"real\"}",
                DrawJson.toJson(all).get("factors").toString());
        assertEquals("{\"speakers\":3,\"domain\":\"synthetic\"}", DrawJson.toJson(some).get("factors").toString());
        assertTrue(DrawJson.toJson(plain).get("factors") == null, "no factors, no key: existing plans unchanged");
    }

    @Test
    void snrFactorsNeedATargetAndOneSnrPerInterferer() {
        List<Source> sources = List.of(Source.of("a", 0, 0), Source.of("b", 0, 0));
        MixtureFactors two = new MixtureFactors(List.of(1.0, 2.0), Double.NaN, null);
        assertThrows(IllegalArgumentException.class, () -> new MixtureDraw(sources, 0, null, 0, null, List.of(), two));
        MixtureFactors one = new MixtureFactors(List.of(1.0), Double.NaN, null);
        assertThrows(IllegalArgumentException.class, () -> new MixtureDraw(sources, 0, null, -1, null, List.of(), one));
        MixtureDraw d = new MixtureDraw(sources, 0, null, 1, null, List.of(), one);
        assertEquals(1.0, d.interfererSnrDb(0));
        assertThrows(IllegalArgumentException.class, () -> d.withTarget(0, "a2"), "SNRs are relative to target 1");
        assertThrows(IllegalArgumentException.class, () -> new MixtureFactors(List.of(), 1.5, null));
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
