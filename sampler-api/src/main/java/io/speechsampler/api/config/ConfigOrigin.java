package io.speechsampler.api.config;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Where a config came from: its file name and the line of each key, by dotted path
 * ({@code sampler.weights}, {@code stages[0].name}), so errors can point at the line.
 *
 * <p>A config that is not the file as written (one with {@code --set} overrides, or a phase of a
 * {@link Recipe}, merged from the base and the phase's overlay) also says, by path, where a value
 * was written when that is not the same path of the file ({@code phases[3].train.epochs}, or
 * {@code --set 'train.lr=0.1'}), and what the config is ({@code phase 'finetune'}); messages then
 * read {@code recipe.yaml line 20 (phases[3].train.epochs, phase 'finetune'): ...}.
 *
 * @param file    the file's name as messages show it
 * @param lines   line of each key and list element, by path in this config
 * @param sources where the value at a path was written, when not at the same path of the file; a
 *                path not listed takes its nearest listed ancestor's
 * @param scope   what this config is, e.g. {@code phase 'lgl/round-2/gated'}, or null
 */
public record ConfigOrigin(String file, Map<String, Integer> lines, Map<String, String> sources, String scope) {

    public static final ConfigOrigin NONE = new ConfigOrigin("<config>", Map.of());

    public ConfigOrigin {
        Objects.requireNonNull(file, "file");
        lines = Map.copyOf(lines);
        sources = sources == null ? Map.of() : Map.copyOf(sources);
    }

    /** The file as written: lines only. */
    public ConfigOrigin(String file, Map<String, Integer> lines) {
        this(file, lines, Map.of(), null);
    }

    /**
     * {@code run.yaml line 7: } for a known key, else {@code run.yaml: }; with the value's source
     * and the scope in parentheses when there are any: {@code recipe.yaml line 20 (phases[3].train,
     * phase 'finetune'): }.
     */
    public String where(String path) {
        StringBuilder sb = new StringBuilder(file);
        Integer line = lines.get(path);
        if (line != null) {
            sb.append(" line ").append(line);
        }
        List<String> notes = new ArrayList<>(2);
        String source = sourceOf(path);
        if (source != null) {
            notes.add(source);
        }
        if (scope != null) {
            notes.add(scope);
        }
        if (!notes.isEmpty()) {
            sb.append(" (").append(String.join(", ", notes)).append(')');
        }
        return sb.append(": ").toString();
    }

    /**
     * Where the value at {@code path} (or, for a path that does not exist, its nearest existing
     * ancestor) was written, when that is not the same path of the file; null when it is.
     */
    public String sourceOf(String path) {
        String p = path;
        while (true) {
            String s = sources.get(p);
            if (s != null) {
                return s.equals(p) ? null : s;
            }
            if (p.isEmpty()) {
                return null;
            }
            p = parent(p);
        }
    }

    public ConfigException error(String path, String message) {
        return new ConfigException(where(path) + message);
    }

    /** {@code a.b[2]} to {@code a.b}, {@code a.b} to {@code a}, {@code a} to the root {@code ""}. */
    static String parent(String path) {
        int cut = Math.max(path.lastIndexOf('.'), path.lastIndexOf('['));
        return cut < 0 ? "" : path.substring(0, cut);
    }

    /** The path of key {@code name} under {@code parent} ({@code ""} is the root). */
    static String child(String parent, String name) {
        return parent.isEmpty() ? name : parent + "." + name;
    }

    /** True when {@code path} lies strictly below {@code ancestor}. */
    static boolean isBelow(String path, String ancestor) {
        if (ancestor.isEmpty()) {
            return !path.isEmpty();
        }
        return path.length() > ancestor.length() && path.startsWith(ancestor)
                && (path.charAt(ancestor.length()) == '.' || path.charAt(ancestor.length()) == '[');
    }
}
