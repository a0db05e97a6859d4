package io.speechsampler.api.draw;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.List;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.LongRange;

/** Every crop an item or two-view draw can hold reads back from its JSON, also inside a batch line. */
class DrawJsonProperties {

    private static final ObjectMapper JSON = new ObjectMapper();

    private static Draw roundTrip(Draw d) throws Exception {
        return DrawJson.fromJson(JSON.readTree(DrawJson.toJson(d).toString()));
    }

    @Property(tries = 200)
    void everyCropRoundTrips(@ForAll @LongRange(min = 0, max = Long.MAX_VALUE / 2) long offset,
                             @ForAll @LongRange(min = 1, max = Long.MAX_VALUE / 2) long length,
                             @ForAll @LongRange(min = 0, max = 1 << 20) long other) throws Exception {
        Draw item = ItemDraw.of("u", new Crop(offset, length));
        Draw two = TwoViewDraw.of("u", new Crop(offset, length), new Crop(other, length));
        assertEquals(item, roundTrip(item));
        assertEquals(two, roundTrip(two));
        Batch b = new Batch(1, 2, 3, 0, List.of(item, two));
        assertEquals(b, DrawJson.batchFromJson(JSON.readTree(DrawJson.toLine(b))));
    }
}
