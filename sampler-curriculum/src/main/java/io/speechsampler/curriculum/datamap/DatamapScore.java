package io.speechsampler.curriculum.datamap;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * How a datamap turns an outcome's metric into a score: {@code sigmoid((metric - tau) / kappa)}, a
 * "probability" that makes confidence and variability read as in cartography (METHODS.md: e.g. tau
 * 10 dB, kappa 3 dB), or the raw metric.
 *
 * @param name  {@code sigmoid} or {@code raw}
 * @param tau   the metric that scores 0.5 (sigmoid), or the default correctness threshold (raw)
 * @param kappa the sigmoid's scale, > 0 (kept but unused by {@code raw})
 */
public record DatamapScore(String name, double tau, double kappa) {

    public DatamapScore {
        if (!"sigmoid".equals(name) && !"raw".equals(name)) {
            throw new IllegalArgumentException("score is not 'sigmoid' or 'raw': " + name);
        }
        if (!Double.isFinite(tau)) {
            throw new IllegalArgumentException("tau is not finite: " + tau);
        }
        if (!(kappa > 0) || !Double.isFinite(kappa)) {
            throw new IllegalArgumentException("kappa is not a finite number > 0: " + kappa);
        }
    }

    public static DatamapScore sigmoid(double tau, double kappa) {
        return new DatamapScore("sigmoid", tau, kappa);
    }

    public static DatamapScore raw(double tau, double kappa) {
        return new DatamapScore("raw", tau, kappa);
    }

    public boolean isRaw() {
        return "raw".equals(name);
    }

    /** The score of one outcome's metric. */
    public double of(double metric) {
        return isRaw() ? metric : 1 / (1 + Math.exp(-(metric - tau) / kappa));
    }

    static DatamapScore fromState(JsonNode state) {
        return new DatamapScore(state.path("score").asText(), state.path("tau").asDouble(Double.NaN),
                state.path("kappa").asDouble(Double.NaN));
    }

    @Override
    public String toString() {
        return isRaw() ? "raw" : "sigmoid(tau " + tau + ", kappa " + kappa + ")";
    }
}
