package io.speechsampler.api.config;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A provider's parameters after validation against its {@link ParamSpec}s: every declared name
 * has a value of the declared type (or null for an optional one left unset), and no other key
 * exists. Built by {@link #bind}.
 */
public final class Params {

    private final Map<String, Object> values;
    private final ConfigOrigin origin;
    private final String path;

    private Params(Map<String, Object> values, ConfigOrigin origin, String path) {
        this.values = Collections.unmodifiableMap(values);
        this.origin = origin;
        this.path = path;
    }

    /**
     * Validates {@code node} (the component's keys other than {@code name}) against the specs.
     *
     * @param owner a phrase for messages, e.g. {@code sampler 'shuffle'}
     * @param path  the component's dotted path, e.g. {@code sampler}
     */
    public static Params bind(ObjectNode node, List<ParamSpec> specs, ConfigOrigin origin, String path, String owner) {
        Map<String, ParamSpec> byName = new LinkedHashMap<>();
        for (ParamSpec s : specs) {
            byName.put(s.name(), s);
        }
        Iterator<String> names = node.fieldNames();
        while (names.hasNext()) {
            String key = names.next();
            if (key.equals("name")) {
                continue;
            }
            if (!byName.containsKey(key)) {
                throw origin.error(path + "." + key, "unknown key '" + path + "." + key + "' for " + owner
                        + "; expected one of: " + (byName.isEmpty() ? "(no parameters)" : String.join(", ", byName.keySet())));
            }
        }
        Map<String, Object> values = new LinkedHashMap<>();
        for (ParamSpec s : specs) {
            String keyPath = path + "." + s.name();
            JsonNode v = node.get(s.name());
            if (v == null || v.isNull()) {
                if (s.required()) {
                    throw origin.error(path, "missing key '" + keyPath + "' for " + owner + ": " + s.description());
                }
                values.put(s.name(), s.defaultValue());
                continue;
            }
            values.put(s.name(), convert(v, s, origin, keyPath));
        }
        return new Params(values, origin, path);
    }

    private static Object convert(JsonNode v, ParamSpec s, ConfigOrigin origin, String keyPath) {
        Object out;
        switch (s.type()) {
            case INT -> {
                if (!v.canConvertToInt() || !v.isIntegralNumber()) {
                    throw origin.error(keyPath, "'" + keyPath + "' must be an integer, got " + shown(v));
                }
                out = v.intValue();
                checkRange(((Integer) out).doubleValue(), s, origin, keyPath);
            }
            case LONG -> {
                if (!v.isIntegralNumber() || !v.canConvertToLong()) {
                    throw origin.error(keyPath, "'" + keyPath + "' must be an integer, got " + shown(v));
                }
                out = v.longValue();
                checkRange(((Long) out).doubleValue(), s, origin, keyPath);
            }
            case DOUBLE -> {
                double d = number(v, origin, keyPath);
                checkRange(d, s, origin, keyPath);
                out = d;
            }
            case BOOLEAN -> {
                if (!v.isBoolean()) {
                    throw origin.error(keyPath, "'" + keyPath + "' must be true or false, got " + shown(v));
                }
                out = v.booleanValue();
            }
            case STRING -> {
                if (!v.isTextual() && !v.isNumber()) {
                    throw origin.error(keyPath, "'" + keyPath + "' must be a string, got " + shown(v));
                }
                String text = v.asText();
                if (!s.choices().isEmpty() && !s.choices().contains(text)) {
                    throw origin.error(keyPath, "'" + keyPath + "' must be one of " + s.choices() + ", got '" + text + "'");
                }
                out = text;
            }
            case DOUBLE_LIST -> {
                if (!v.isArray()) {
                    throw origin.error(keyPath, "'" + keyPath + "' must be a list of numbers, got " + shown(v));
                }
                List<Double> list = new ArrayList<>();
                for (JsonNode e : v) {
                    double d = number(e, origin, keyPath);
                    checkRange(d, s, origin, keyPath);
                    list.add(d);
                }
                out = List.copyOf(list);
            }
            case STRING_LIST -> {
                if (!v.isArray()) {
                    throw origin.error(keyPath, "'" + keyPath + "' must be a list of strings, got " + shown(v));
                }
                List<String> list = new ArrayList<>();
                for (JsonNode e : v) {
                    if (!e.isTextual() && !e.isNumber()) {
                        throw origin.error(keyPath, "'" + keyPath + "' must be a list of strings, got " + shown(e)
                                + " in it");
                    }
                    list.add(e.asText());
                }
                out = List.copyOf(list);
            }
            case OBJECT -> out = v.deepCopy();
            default -> throw new IllegalStateException("unknown type " + s.type());
        }
        return out;
    }

    private static double number(JsonNode v, ConfigOrigin origin, String keyPath) {
        if (!v.isNumber()) {
            throw origin.error(keyPath, "'" + keyPath + "' must be a number, got " + shown(v));
        }
        double d = v.doubleValue();
        if (!Double.isFinite(d)) {
            throw origin.error(keyPath, "'" + keyPath + "' must be a finite number, got " + shown(v));
        }
        return d;
    }

    /** A config value as a message shows it: the YAML text, and "nothing" for an empty value (not "null"). */
    static String shown(JsonNode v) {
        boolean empty = v == null || v.isNull() || v.isMissingNode() || (v.isTextual() && v.asText().isEmpty());
        return empty ? "nothing (an empty value)" : v.toString();
    }

    private static void checkRange(double d, ParamSpec s, ConfigOrigin origin, String keyPath) {
        if (!s.inRange(d)) {
            throw origin.error(keyPath, "'" + keyPath + "' is not " + s.rangeText() + ": " + fmt(d));
        }
    }

    private static String fmt(double d) {
        return d == Math.rint(d) && Math.abs(d) < 1e15 ? Long.toString((long) d) : Double.toString(d);
    }

    public boolean has(String name) {
        return values.get(name) != null;
    }

    public int getInt(String name) {
        return (Integer) require(name);
    }

    public long getLong(String name) {
        return (Long) require(name);
    }

    public double getDouble(String name) {
        return (Double) require(name);
    }

    public boolean getBoolean(String name) {
        return (Boolean) require(name);
    }

    public String getString(String name) {
        return (String) require(name);
    }

    /** The string, or null when optional and unset. */
    public String optString(String name) {
        return (String) values.get(name);
    }

    @SuppressWarnings("unchecked")
    public List<Double> getDoubles(String name) {
        return (List<Double>) require(name);
    }

    @SuppressWarnings("unchecked")
    public List<String> getStrings(String name) {
        return (List<String>) require(name);
    }

    public JsonNode getObject(String name) {
        return (JsonNode) require(name);
    }

    /** An error for a rule that spans parameters, pointing at {@code name}'s line. */
    public ConfigException error(String name, String message) {
        return origin.error(path + "." + name, message);
    }

    /** The bound values (defaults filled, unset optional ones left out) as a JSON map. */
    public com.fasterxml.jackson.databind.node.ObjectNode toNode() {
        com.fasterxml.jackson.databind.ObjectMapper json = new com.fasterxml.jackson.databind.ObjectMapper();
        com.fasterxml.jackson.databind.node.ObjectNode o = json.createObjectNode();
        values.forEach((k, v) -> {
            if (v != null) {
                o.set(k, json.valueToTree(v));
            }
        });
        return o;
    }

    /** The dotted path of a parameter, for messages. */
    public String pathOf(String name) {
        return path + "." + name;
    }

    private Object require(String name) {
        if (!values.containsKey(name)) {
            throw new IllegalArgumentException("parameter '" + name + "' was not declared");
        }
        Object v = values.get(name);
        if (v == null) {
            throw new IllegalArgumentException("parameter '" + name + "' is unset");
        }
        return v;
    }
}
