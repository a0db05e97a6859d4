package io.speechsampler.curriculum.pacing;

import com.fasterxml.jackson.databind.JsonNode;
import io.speechsampler.api.config.ConfigException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Set;
import java.util.function.BiFunction;

/**
 * The pacing functions of curriculum learning as their peers write them (Platanios et al. 2019,
 * "Competence-based curriculum learning for neural machine translation", for linear and root-p;
 * Penha and Hauff 2020 for geometric; Spitkovsky et al. 2010, "From baby steps to leapfrog", for
 * baby steps), with x = t / T the training progress:
 *
 * <ul>
 *   <li>{@code linear}: min(1, x (1 - c0) + c0), c0 in [0, 1];</li>
 *   <li>{@code root-p}: min(1, (x (1 - c0^p) + c0^p)^(1/p)), c0 in [0, 1], p &gt; 0 (p = 2 is
 *       Platanios's "sqrt"; the exponent is 1/p for every p, unlike CurML and CurBench, which
 *       hard-code 0.5);</li>
 *   <li>{@code geometric}: min(1, c0 (1/c0)^x), c0 in (0, 1];</li>
 *   <li>{@code step} (baby steps): min(1, c0 + g floor(x / k)), c0 in [0, 1], g in (0, 1], the step
 *       length k ({@code every}) a share of the run in (0, 1] (k T batches, so T stays the run's);</li>
 *   <li>{@code points}: a user's list of [progress, competence] points, progress strictly
 *       increasing in [0, 1], competence non-decreasing in [0, 1], linear in between and constant
 *       before the first and after the last.</li>
 * </ul>
 */
public final class PacingFunctions {

    /** The names the config accepts. */
    public static final List<String> NAMES = List.of("linear", "root-p", "geometric", "step", "points");

    /** Slack for floor(x / k) at exact multiples, which division in binary floating point may miss. */
    private static final double STEP_SLACK = 1e-9;

    private PacingFunctions() {
    }

    public static PacingFunction linear(double c0) {
        check("c0", c0, 0, 1, false);
        return of("linear", x -> Math.min(1, x * (1 - c0) + c0));
    }

    public static PacingFunction rootP(double c0, double p) {
        check("c0", c0, 0, 1, false);
        if (!(p > 0) || !Double.isFinite(p)) {
            throw new IllegalArgumentException("p is not a finite number above 0: " + p);
        }
        double c0p = Math.pow(c0, p);
        return of("root-p", x -> Math.min(1, Math.pow(x * (1 - c0p) + c0p, 1 / p)));
    }

    public static PacingFunction geometric(double c0) {
        check("c0", c0, 0, 1, true);
        return of("geometric", x -> Math.min(1, c0 * Math.pow(1 / c0, x)));
    }

    public static PacingFunction step(double c0, double g, double every) {
        check("c0", c0, 0, 1, false);
        check("g", g, 0, 1, true);
        check("every", every, 0, 1, true);
        return of("step", x -> Math.min(1, c0 + g * Math.floor(x / every + STEP_SLACK)));
    }

    /**
     * @param points [progress, competence] pairs
     * @throws IllegalArgumentException naming the point that breaks a rule
     */
    public static PacingFunction points(double[][] points) {
        if (points.length == 0) {
            throw new IllegalArgumentException("points is empty; expected at least one [progress, competence]");
        }
        for (int i = 0; i < points.length; i++) {
            if (points[i].length != 2) {
                throw new IllegalArgumentException("point " + i + " is not [progress, competence]");
            }
            check("point " + i + "'s progress", points[i][0], 0, 1, false);
            check("point " + i + "'s competence", points[i][1], 0, 1, false);
            if (i > 0 && !(points[i][0] > points[i - 1][0])) {
                throw new IllegalArgumentException("point " + i + "'s progress is not above the previous point's "
                        + points[i - 1][0] + ": " + points[i][0]);
            }
            if (i > 0 && points[i][1] < points[i - 1][1]) {
                throw new IllegalArgumentException("point " + i + "'s competence is below the previous point's "
                        + points[i - 1][1] + " (a curriculum only gets harder): " + points[i][1]);
            }
        }
        double[][] p = points.clone();
        return of("points", x -> {
            if (x <= p[0][0]) {
                return p[0][1];
            }
            for (int i = 1; i < p.length; i++) {
                if (x <= p[i][0]) {
                    double f = (x - p[i - 1][0]) / (p[i][0] - p[i - 1][0]);
                    return p[i - 1][1] + f * (p[i][1] - p[i - 1][1]);
                }
            }
            return p[p.length - 1][1];
        });
    }

    /**
     * A pacing function from its config map, e.g. {@code {name: root-p, c0: 0.1, p: 2}}.
     *
     * @param key the map's dotted path, for messages
     * @param at  makes the exception for a key (its line) and a message
     * @throws ConfigException one line naming the key, the rule and the value
     */
    public static PacingFunction fromConfig(JsonNode node, String key, BiFunction<String, String, ConfigException> at) {
        if (node == null || !node.isObject() || !node.path("name").isTextual()) {
            throw error(at, key, "'" + key + "' must be a map {name: one of " + NAMES + ", ...}, got " + node);
        }
        String name = node.get("name").asText();
        Set<String> allowed = switch (name) {
            case "linear", "geometric" -> Set.of("name", "c0");
            case "root-p" -> Set.of("name", "c0", "p");
            case "step" -> Set.of("name", "c0", "g", "every");
            case "points" -> Set.of("name", "points");
            default -> throw error(at, key + ".name", "'" + key + ".name' must be one of " + NAMES + ", got '"
                    + name + "'");
        };
        for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
            String f = it.next();
            if (!allowed.contains(f)) {
                throw error(at, key + "." + f, "unknown key '" + key + "." + f + "' for pacing '" + name
                        + "'; expected one of: " + String.join(", ", allowed.stream().sorted().toList()));
            }
        }
        String param = null;
        try {
            switch (name) {
                case "linear" -> {
                    param = "c0";
                    return linear(number(node, key, "c0", 0.0, at));
                }
                case "root-p" -> {
                    param = "c0";
                    double c0 = number(node, key, "c0", 0.0, at);
                    double p = number(node, key, "p", 2.0, at);
                    check("c0", c0, 0, 1, false);
                    param = "p";
                    return rootP(c0, p);
                }
                case "geometric" -> {
                    param = "c0";
                    return geometric(number(node, key, "c0", 0.01, at));
                }
                case "step" -> {
                    double c0 = number(node, key, "c0", 0.0, at);
                    double g = number(node, key, "g", 0.25, at);
                    double every = number(node, key, "every", 0.25, at);
                    param = "c0";
                    check("c0", c0, 0, 1, false);
                    param = "g";
                    check("g", g, 0, 1, true);
                    param = "every";
                    return step(c0, g, every);
                }
                default -> {
                    param = "points";
                    return points(pointList(node, key, at));
                }
            }
        } catch (IllegalArgumentException e) {
            throw error(at, key + "." + param, "'" + key + "." + param + "' for pacing '" + name + "': "
                    + e.getMessage());
        }
    }

    private static double[][] pointList(JsonNode node, String key, BiFunction<String, String, ConfigException> at) {
        JsonNode v = node.get("points");
        if (v == null || !v.isArray()) {
            throw error(at, key + ".points", "'" + key + ".points' must be a list of [progress, competence], got "
                    + v);
        }
        List<double[]> out = new ArrayList<>();
        for (JsonNode p : v) {
            if (!p.isArray() || p.size() != 2 || !p.get(0).isNumber() || !p.get(1).isNumber()) {
                throw error(at, key + ".points", "'" + key + ".points' must be a list of [progress, competence], got "
                        + p + " in it");
            }
            out.add(new double[] {p.get(0).doubleValue(), p.get(1).doubleValue()});
        }
        return out.toArray(double[][]::new);
    }

    private static double number(JsonNode node, String key, String name, double dflt,
                                 BiFunction<String, String, ConfigException> at) {
        JsonNode v = node.get(name);
        if (v == null || v.isNull()) {
            return dflt;
        }
        if (!v.isNumber() || !Double.isFinite(v.doubleValue())) {
            throw error(at, key + "." + name, "'" + key + "." + name + "' must be a number, got " + v);
        }
        return v.doubleValue();
    }

    private static ConfigException error(BiFunction<String, String, ConfigException> at, String key, String message) {
        return at.apply(key, message);
    }

    /** Checks {@code v} in [lo, hi], or (lo, hi] when {@code openLow}. */
    private static void check(String name, double v, double lo, double hi, boolean openLow) {
        boolean ok = Double.isFinite(v) && (openLow ? v > lo : v >= lo) && v <= hi;
        if (!ok) {
            throw new IllegalArgumentException(name + " is not in " + (openLow ? "(" : "[") + fmt(lo) + ", " + fmt(hi)
                    + "]: " + fmt(v));
        }
    }

    private static String fmt(double d) {
        return d == Math.rint(d) && Math.abs(d) < 1e15 ? Long.toString((long) d) : Double.toString(d);
    }

    private static PacingFunction of(String name, java.util.function.DoubleUnaryOperator f) {
        return new PacingFunction() {
            @Override
            public double competence(double x) {
                return f.applyAsDouble(Math.max(0, Math.min(1, x)));
            }

            @Override
            public String name() {
                return name;
            }
        };
    }
}
