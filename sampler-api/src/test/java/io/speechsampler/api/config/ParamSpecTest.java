package io.speechsampler.api.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Closed and open ends of a parameter's range: the check and the text a message shows agree. */
class ParamSpecTest {

    private static final ParamSpec HALF_OPEN = ParamSpec.real("r", "a share").min(0).below(1);
    private static final ParamSpec OPEN_LOW = ParamSpec.real("d", "a share").above(0).max(1);

    @Test
    void openEndsAreExcludedAndShownAsSuch() {
        assertTrue(HALF_OPEN.inRange(0));
        assertTrue(HALF_OPEN.inRange(Math.nextDown(1.0)));
        assertFalse(HALF_OPEN.inRange(1));
        assertFalse(OPEN_LOW.inRange(0));
        assertTrue(OPEN_LOW.inRange(1));
        assertEquals("[0, 1)", HALF_OPEN.rangeText());
        assertEquals("(0, 1]", OPEN_LOW.rangeText());
        assertEquals("> 0", ParamSpec.real("x", "x").above(0).rangeText());
        assertEquals("< 2.5", ParamSpec.real("x", "x").below(2.5).rangeText());
        assertEquals("[0, 1]", ParamSpec.real("x", "x").min(0).max(1).rangeText());
        // a closed bound set after an open one on the same end closes it again; defaults keep the ends
        assertEquals("[0, 1]", HALF_OPEN.max(1).rangeText());
        assertEquals("[0, 1)", HALF_OPEN.defaultsTo(0.5).rangeText());
    }

    @Test
    void bindingRefusesAValueOnAnOpenEndWithTheRangeItChecked() {
        ObjectNode node = (ObjectNode) new ObjectMapper().createObjectNode().put("r", 1.0);
        ConfigException e = assertThrows(ConfigException.class,
                () -> Params.bind(node, List.of(HALF_OPEN), ConfigOrigin.NONE, "stage", "stage 'x'"));
        assertTrue(e.getMessage().endsWith("'stage.r' is not [0, 1): 1"), e.getMessage());
        node.put("r", 0.999);
        assertEquals(0.999, Params.bind(node, List.of(HALF_OPEN), ConfigOrigin.NONE, "stage", "stage 'x'").getDouble("r"));
    }
}
