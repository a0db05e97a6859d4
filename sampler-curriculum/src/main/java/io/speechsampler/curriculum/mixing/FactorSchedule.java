package io.speechsampler.curriculum.mixing;

import io.speechsampler.curriculum.pacing.PacingFunction;
import java.util.Arrays;

/**
 * One factor's schedule: stops (each a vector of numbers: a [low, high] range, a list of shares, a
 * share) spaced evenly over competence [0, 1], the first at competence 0 (easy) and the last at 1
 * (hard), linear in between; and the pacing function that turns progress into this factor's
 * competence. One stop holds the factor fixed (a single-factor curriculum holds the others so).
 */
public final class FactorSchedule {

    private final double[][] stops;
    private final PacingFunction pacing;

    private FactorSchedule(double[][] stops, PacingFunction pacing) {
        this.stops = stops;
        this.pacing = pacing;
    }

    /**
     * @throws IllegalArgumentException when there is no stop or the stops differ in length
     */
    public static FactorSchedule of(double[][] stops, PacingFunction pacing) {
        if (stops.length == 0) {
            throw new IllegalArgumentException("a schedule needs at least one stop");
        }
        double[][] copy = new double[stops.length][];
        for (int i = 0; i < stops.length; i++) {
            if (stops[i].length != stops[0].length) {
                throw new IllegalArgumentException("stop " + i + " has " + stops[i].length + " numbers; expected "
                        + stops[0].length);
            }
            copy[i] = stops[i].clone();
        }
        return new FactorSchedule(copy, java.util.Objects.requireNonNull(pacing, "pacing"));
    }

    /** True when the factor never moves (one stop). */
    public boolean fixed() {
        return stops.length == 1;
    }

    public PacingFunction pacing() {
        return pacing;
    }

    /** The stops, copies. */
    public double[][] stops() {
        double[][] out = new double[stops.length][];
        for (int i = 0; i < stops.length; i++) {
            out[i] = stops[i].clone();
        }
        return out;
    }

    /** The factor's setting at training progress {@code x}: the stops interpolated at its competence. */
    public double[] atProgress(double x) {
        return atCompetence(pacing.competence(x));
    }

    /** The factor's setting at competence {@code c} in [0, 1]. */
    public double[] atCompetence(double c) {
        if (stops.length == 1) {
            return stops[0].clone();
        }
        double pos = Math.max(0, Math.min(1, c)) * (stops.length - 1);
        int i = Math.min(stops.length - 2, (int) Math.floor(pos));
        double f = pos - i;
        double[] a = stops[i];
        double[] b = stops[i + 1];
        double[] out = new double[a.length];
        for (int j = 0; j < a.length; j++) {
            out[j] = f == 0 ? a[j] : f == 1 ? b[j] : a[j] + f * (b[j] - a[j]);
        }
        return out;
    }

    @Override
    public String toString() {
        return pacing.name() + " " + Arrays.deepToString(stops);
    }
}
