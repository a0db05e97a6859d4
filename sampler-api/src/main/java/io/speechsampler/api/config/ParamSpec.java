package io.speechsampler.api.config;

import java.util.List;
import java.util.Objects;

/**
 * A parameter a provider declares: name, type, default (null when required), range and what it
 * is for. Build with the static factories and the {@code min}/{@code max}/{@code defaultsTo}
 * withers.
 */
public record ParamSpec(String name, Type type, Object defaultValue, boolean required, double min, double max,
                        List<String> choices, String description, boolean minOpen, boolean maxOpen) {

    /** Value types a config can hold. */
    public enum Type { INT, LONG, DOUBLE, BOOLEAN, STRING, DOUBLE_LIST, STRING_LIST, OBJECT }

    public ParamSpec(String name, Type type, Object defaultValue, boolean required, double min, double max,
                     List<String> choices, String description) {
        this(name, type, defaultValue, required, min, max, choices, description, false, false);
    }

    public ParamSpec {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(description, "description");
        choices = choices == null ? List.of() : List.copyOf(choices);
    }

    private static ParamSpec of(String name, Type type, String description) {
        return new ParamSpec(name, type, null, true, Double.NEGATIVE_INFINITY, Double.POSITIVE_INFINITY, List.of(),
                description);
    }

    public static ParamSpec integer(String name, String description) {
        return of(name, Type.INT, description);
    }

    public static ParamSpec longInt(String name, String description) {
        return of(name, Type.LONG, description);
    }

    public static ParamSpec real(String name, String description) {
        return of(name, Type.DOUBLE, description);
    }

    public static ParamSpec bool(String name, String description) {
        return of(name, Type.BOOLEAN, description);
    }

    public static ParamSpec string(String name, String description) {
        return of(name, Type.STRING, description);
    }

    public static ParamSpec reals(String name, String description) {
        return of(name, Type.DOUBLE_LIST, description);
    }

    public static ParamSpec strings(String name, String description) {
        return of(name, Type.STRING_LIST, description);
    }

    /** A free-form map, validated by the provider itself. */
    public static ParamSpec object(String name, String description) {
        return of(name, Type.OBJECT, description);
    }

    /** One of the given strings. */
    public static ParamSpec choice(String name, String description, String... options) {
        return new ParamSpec(name, Type.STRING, null, true, Double.NEGATIVE_INFINITY, Double.POSITIVE_INFINITY,
                List.of(options), description);
    }

    /** Optional, with this default (may be null: absent means "not set"). */
    public ParamSpec defaultsTo(Object value) {
        return new ParamSpec(name, type, value, false, min, max, choices, description, minOpen, maxOpen);
    }

    /** Numbers (or each number of a list) at least {@code bound}. */
    public ParamSpec min(double bound) {
        return new ParamSpec(name, type, defaultValue, required, bound, max, choices, description, false, maxOpen);
    }

    /** Numbers (or each number of a list) at most {@code bound}. */
    public ParamSpec max(double bound) {
        return new ParamSpec(name, type, defaultValue, required, min, bound, choices, description, minOpen, false);
    }

    /** Numbers (or each number of a list) strictly above {@code bound}. */
    public ParamSpec above(double bound) {
        return new ParamSpec(name, type, defaultValue, required, bound, max, choices, description, true, maxOpen);
    }

    /** Numbers (or each number of a list) strictly below {@code bound}. */
    public ParamSpec below(double bound) {
        return new ParamSpec(name, type, defaultValue, required, min, bound, choices, description, minOpen, true);
    }

    /** Whether {@code value} lies in the range, its open ends excluded. */
    public boolean inRange(double value) {
        boolean lo = minOpen ? value > min : value >= min;
        boolean hi = maxOpen ? value < max : value <= max;
        return lo && hi;
    }

    /** Human-readable range, e.g. {@code [0, 1]}, {@code [0, 1)} or {@code >= 1}. */
    public String rangeText() {
        boolean lo = min != Double.NEGATIVE_INFINITY;
        boolean hi = max != Double.POSITIVE_INFINITY;
        if (lo && hi) {
            return (minOpen ? "(" : "[") + fmt(min) + ", " + fmt(max) + (maxOpen ? ")" : "]");
        }
        if (lo) {
            return (minOpen ? "> " : ">= ") + fmt(min);
        }
        if (hi) {
            return (maxOpen ? "< " : "<= ") + fmt(max);
        }
        return "";
    }

    private static String fmt(double v) {
        return v == Math.rint(v) && Math.abs(v) < 1e15 ? Long.toString((long) v) : Double.toString(v);
    }
}
