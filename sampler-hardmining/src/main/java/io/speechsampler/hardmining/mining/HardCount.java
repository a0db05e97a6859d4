package io.speechsampler.hardmining.mining;

/** The number M of hard partners from the fraction P_M, shared by the miners. */
final class HardCount {

    private HardCount() {
    }

    /**
     * Checks that {@code fraction} is a valid P_M.
     *
     * @throws IllegalArgumentException unless in (0, 1]
     */
    static double checkFraction(double fraction) {
        if (!(fraction > 0 && fraction <= 1)) {
            throw new IllegalArgumentException("hard fraction p_m is not in (0, 1]: " + fraction);
        }
        return fraction;
    }

    /**
     * {@code M = max(1, ceil(fraction * others))}, or 0 when there are no others. A product within
     * 1e-9 (relative) of an integer counts as that integer, so that e.g. 0.02 * 100 gives 2 and not
     * 3 from the binary rounding of 0.02.
     */
    static int of(double fraction, int others) {
        if (others <= 0) {
            return 0;
        }
        double x = fraction * others;
        double r = Math.rint(x);
        long m = Math.abs(x - r) <= 1e-9 * Math.max(1.0, x) ? (long) r : (long) Math.ceil(x);
        return (int) Math.max(1, Math.min(others, m));
    }
}
