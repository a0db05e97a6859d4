package io.speechsampler.api.config;

import java.util.Map;

/**
 * Where a config came from: its file name and the line of each key, by dotted path
 * ({@code sampler.weights}, {@code stages[0].name}), so errors can point at the line.
 */
public record ConfigOrigin(String file, Map<String, Integer> lines) {

    public static final ConfigOrigin NONE = new ConfigOrigin("<config>", Map.of());

    public ConfigOrigin {
        lines = Map.copyOf(lines);
    }

    /** {@code run.yaml line 7: } for a known key, else {@code run.yaml: }. */
    public String where(String path) {
        Integer line = lines.get(path);
        return line == null ? file + ": " : file + " line " + line + ": ";
    }

    public ConfigException error(String path, String message) {
        return new ConfigException(where(path) + message);
    }
}
