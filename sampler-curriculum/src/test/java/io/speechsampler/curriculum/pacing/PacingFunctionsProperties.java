package io.speechsampler.curriculum.pacing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.DoubleRange;

/** Every pacing function is a competence: in [0, 1], non-decreasing, c0 at the start. No statistics. */
class PacingFunctionsProperties {

    private static List<PacingFunction> all(double c0, double p, double g, double every) {
        double positive = Math.max(c0, 1e-3);
        return List.of(PacingFunctions.linear(c0), PacingFunctions.rootP(c0, p), PacingFunctions.geometric(positive),
                PacingFunctions.step(c0, g, every),
                PacingFunctions.points(new double[][] {{0, c0}, {every / 2, Math.max(c0, g)}, {1, 1}}));
    }

    @Property(tries = 300)
    void competenceIsNonDecreasingInTheUnitIntervalAndStartsAtC0(
            @ForAll @DoubleRange(min = 0, max = 1) double c0, @ForAll @DoubleRange(min = 0.1, max = 10) double p,
            @ForAll @DoubleRange(min = 0.01, max = 1) double g, @ForAll @DoubleRange(min = 0.01, max = 1) double every,
            @ForAll @DoubleRange(min = 0, max = 1) double a, @ForAll @DoubleRange(min = 0, max = 1) double b) {
        double lo = Math.min(a, b);
        double hi = Math.max(a, b);
        for (PacingFunction f : all(c0, p, g, every)) {
            double cl = f.competence(lo);
            double ch = f.competence(hi);
            assertTrue(cl >= 0 && ch <= 1 + 1e-12, f.name() + ": " + cl + ", " + ch);
            assertTrue(cl <= ch + 1e-12, f.name() + " decreases from " + lo + " to " + hi + ": " + cl + " > " + ch);
            double start = f.name().equals("geometric") ? Math.max(c0, 1e-3) : c0;
            assertEquals(start, f.competence(0), 1e-9, f.name());
        }
    }

    @Property(tries = 200)
    void everyContinuousPacingReachesOneAtTheEndOfTheRun(@ForAll @DoubleRange(min = 0, max = 1) double c0,
                                                          @ForAll @DoubleRange(min = 0.1, max = 10) double p) {
        assertEquals(1, PacingFunctions.linear(c0).competence(1), 1e-12);
        assertEquals(1, PacingFunctions.rootP(c0, p).competence(1), 1e-9);
        assertEquals(1, PacingFunctions.geometric(Math.max(c0, 1e-3)).competence(1), 1e-9);
    }
}
