package io.speechsampler.audio.pitch;

/**
 * Signal energy and the energy ratio of two utterances, the third pair feature the
 * hard-sample-mining paper correlates with separation difficulty (and finds uncorrelated,
 * rho ~ 0). Energy is the plain sum of squares, accumulated in double, so the ratio of
 * utterances of different lengths compares total energy, not power.
 */
public final class Energy {

    private Energy() {
    }

    /** {@code sum x_i^2}. */
    public static double of(float[] x) {
        double sum = 0;
        for (float v : x) {
            sum += (double) v * v;
        }
        return sum;
    }

    /**
     * {@code 10 log10(E_a / E_b)} in dB.
     *
     * @throws IllegalArgumentException if either signal has zero energy (empty or all zeros)
     */
    public static double ratioDb(float[] a, float[] b) {
        double ea = of(a);
        double eb = of(b);
        if (ea == 0 || eb == 0) {
            throw new IllegalArgumentException("energy ratio is undefined for a silent signal: E_a = " + ea
                    + ", E_b = " + eb);
        }
        return 10 * Math.log10(ea / eb);
    }
}
