package io.speechsampler.curriculum.pacing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.speechsampler.api.config.ConfigException;
import org.junit.jupiter.api.Test;

class PacingFunctionsTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    private static PacingFunction parse(String json) throws Exception {
        JsonNode n = JSON.readTree(json);
        return PacingFunctions.fromConfig(n, "sampler.pacing", (k, m) -> new ConfigException("test.yaml: " + m));
    }

    private static String failure(String json) {
        String m = assertThrows(ConfigException.class, () -> parse(json)).getMessage();
        assertFalse(m.contains("\n"), m);
        return m;
    }

    @Test
    void linearIsThePeersFormula() {
        PacingFunction f = PacingFunctions.linear(0.2);
        assertEquals(0.2, f.competence(0), 1e-15);
        assertEquals(0.2 + 0.5 * 0.8, f.competence(0.5), 1e-15);
        assertEquals(1, f.competence(1), 1e-15);
    }

    @Test
    void rootPUsesOneOverPAsItsExponentForEveryP() {
        double c0 = 0.1;
        for (double p : new double[] {1, 2, 3, 5}) {
            PacingFunction f = PacingFunctions.rootP(c0, p);
            double x = 0.3;
            double expected = Math.pow(x * (1 - Math.pow(c0, p)) + Math.pow(c0, p), 1 / p);
            assertEquals(expected, f.competence(x), 1e-12, "p = " + p);
            assertEquals(c0, f.competence(0), 1e-12);
            assertEquals(1, f.competence(1), 1e-12);
        }
        // CurML and CurBench's bug: exponent 0.5 whatever p; at p = 3 that is another number
        double x = 0.3;
        double c0p = Math.pow(c0, 3);
        double buggy = Math.pow(x * (1 - c0p) + c0p, 0.5);
        assertTrue(Math.abs(PacingFunctions.rootP(c0, 3).competence(x) - buggy) > 0.1);
        assertEquals(Math.sqrt(x * (1 - c0 * c0) + c0 * c0), PacingFunctions.rootP(c0, 2).competence(x), 1e-12);
    }

    @Test
    void geometricStartsAtC0AndReachesOneAtTheEnd() {
        PacingFunction f = PacingFunctions.geometric(0.01);
        assertEquals(0.01, f.competence(0), 1e-15);
        assertEquals(0.1, f.competence(0.5), 1e-12);
        assertEquals(1, f.competence(1), 1e-12);
    }

    @Test
    void babyStepsRiseByGEveryShareOfTheRunAndCapAtOne() {
        PacingFunction f = PacingFunctions.step(0.2, 0.3, 0.1);
        assertEquals(0.2, f.competence(0.0999), 1e-15);
        assertEquals(0.5, f.competence(0.1), 1e-12, "a step at an exact multiple");
        assertEquals(0.8, f.competence(0.3 - 0.1), 1e-12);
        assertEquals(1, f.competence(0.3), 1e-12, "0.2 + 3 * 0.3 capped");
    }

    @Test
    void pointsAreLinearInBetweenAndConstantOutside() throws Exception {
        PacingFunction f = parse("{\"name\":\"points\",\"points\":[[0.2,0.1],[0.6,0.5],[0.8,1]]}");
        assertEquals(0.1, f.competence(0), 1e-15);
        assertEquals(0.3, f.competence(0.4), 1e-12);
        assertEquals(0.75, f.competence(0.7), 1e-12);
        assertEquals(1, f.competence(0.95), 1e-15);
    }

    @Test
    void configNamesEveryFunctionWithTheDefaults() throws Exception {
        assertEquals(PacingFunctions.rootP(0, 2).competence(0.25), parse("{\"name\":\"root-p\"}").competence(0.25));
        assertEquals(0.5, parse("{\"name\":\"linear\"}").competence(0.5), 1e-15);
        assertEquals("geometric", parse("{\"name\":\"geometric\",\"c0\":0.5}").name());
        assertEquals(0.25, parse("{\"name\":\"step\"}").competence(0.3), 1e-12);
    }

    @Test
    void outOfRangeParametersAreOneLineNamingKeyRuleAndValue() {
        assertTrue(failure("{\"name\":\"root-p\",\"p\":0}").contains("'sampler.pacing.p' for pacing 'root-p': p is "
                + "not a finite number above 0: 0"), failure("{\"name\":\"root-p\",\"p\":0}"));
        assertTrue(failure("{\"name\":\"linear\",\"c0\":1.5}").contains("'sampler.pacing.c0' for pacing 'linear': "
                + "c0 is not in [0, 1]: 1.5"));
        assertTrue(failure("{\"name\":\"geometric\",\"c0\":0}").contains("c0 is not in (0, 1]: 0"));
        assertTrue(failure("{\"name\":\"step\",\"every\":0}").contains("'sampler.pacing.every'"));
        assertTrue(failure("{\"name\":\"step\",\"g\":2}").contains("g is not in (0, 1]: 2"));
        assertTrue(failure("{\"name\":\"points\",\"points\":[[0.5,0.2],[0.5,0.3]]}").contains("point 1's progress "
                + "is not above the previous point's 0.5: 0.5"));
        assertTrue(failure("{\"name\":\"points\",\"points\":[[0.1,0.6],[0.5,0.3]]}").contains("below"));
        assertTrue(failure("{\"name\":\"cosine\"}").contains("'sampler.pacing.name' must be one of"));
        assertTrue(failure("{\"name\":\"linear\",\"p\":2}").contains("unknown key 'sampler.pacing.p'"));
    }
}
