package io.speechsampler.api.config;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A config tree merged from parts of one YAML file (a recipe's base and a phase's overlays), with
 * the path in the file every value was written at, so that the merged config's messages can name
 * the file's path and line ({@link #origin}).
 */
final class ConfigTree {

    /** The key of a per-round value: {@code {per_round: [v1, ..., vR]}}. */
    static final String PER_ROUND = "per_round";

    private static final Pattern PLACEHOLDER = Pattern.compile("\\$\\{([^}]*)}");

    private final ObjectNode root;
    /** Merged path to the path in the file's (overridden) tree the value was written at. */
    private final Map<String, String> sources = new HashMap<>();

    private ConfigTree(ObjectNode root) {
        this.root = root;
    }

    /** A copy of {@code node}, written at {@code filePath} of the file. */
    static ConfigTree copyOf(ObjectNode node, String filePath) {
        ConfigTree t = new ConfigTree(node.deepCopy());
        t.record("", t.root, filePath);
        return t;
    }

    ObjectNode root() {
        return root;
    }

    /** Sets the file path the whole tree is said to come from (messages about a missing key use it). */
    void sourceRootAt(String filePath) {
        sources.put("", filePath);
    }

    /**
     * Merges {@code top} (written at {@code topFile}) over this tree: maps merge key by key, at
     * any depth; lists, scalars and nulls replace. A map replaces instead of merging when it names
     * another component than the one it lands on (its {@code name} or {@code ref} differs: another
     * provider's parameters would not fit) or when either is a {@code per_round} value.
     */
    void overlay(ObjectNode top, String topFile) {
        merge(root, "", top, topFile);
    }

    private void merge(ObjectNode base, String path, ObjectNode top, String file) {
        Iterator<Map.Entry<String, JsonNode>> fields = top.fields();
        while (fields.hasNext()) {
            Map.Entry<String, JsonNode> e = fields.next();
            String p = ConfigOrigin.child(path, e.getKey());
            String f = ConfigOrigin.child(file, e.getKey());
            JsonNode b = base.get(e.getKey());
            if (b instanceof ObjectNode bo && e.getValue() instanceof ObjectNode to && mergeable(bo, to)) {
                merge(bo, p, to, f);
            } else {
                replace(base, e.getKey(), p, e.getValue(), f);
            }
        }
    }

    /** True when {@code top} is more parameters for {@code base}, not a value of its own. */
    static boolean mergeable(ObjectNode base, ObjectNode top) {
        if (base.has(PER_ROUND) || top.has(PER_ROUND)) {
            return false;
        }
        if (!top.has("name") && !top.has("ref")) {
            return true;
        }
        return Objects.equals(base.get("name"), top.get("name")) && Objects.equals(base.get("ref"), top.get("ref"));
    }

    /** Sets top-level {@code key} to a copy of {@code value}, written at {@code file}. */
    void put(String key, JsonNode value, String file) {
        replace(root, key, key, value, file);
    }

    /**
     * Sets {@code key} of the map at top-level {@code mapKey} (created when absent or null) to a
     * copy of {@code value}, written at {@code file}; nothing when {@code mapKey} holds another value.
     */
    void putIn(String mapKey, String key, JsonNode value, String file) {
        JsonNode map = root.get(mapKey);
        if (map == null || map.isNull()) {
            map = root.putObject(mapKey);
            sources.put(mapKey, ConfigOrigin.parent(file));
        }
        if (map instanceof ObjectNode o) {
            replace(o, key, ConfigOrigin.child(mapKey, key), value, file);
        }
    }

    /**
     * Sets top-level {@code key} to a list of copies of {@code elements}, each written at its
     * entry of {@code files}, the list itself at {@code listFile}.
     */
    void putList(String key, List<JsonNode> elements, List<String> files, String listFile) {
        forget(key);
        ArrayNode list = root.putArray(key);
        sources.put(key, listFile);
        for (int i = 0; i < elements.size(); i++) {
            JsonNode copy = elements.get(i).deepCopy();
            list.add(copy);
            record(key + "[" + i + "]", copy, files.get(i));
        }
    }

    /** Removes top-level {@code key} and returns its value (null when absent). */
    JsonNode take(String key) {
        forget(key);
        return root.remove(key);
    }

    private void replace(ObjectNode parent, String key, String path, JsonNode value, String file) {
        forget(path);
        JsonNode copy = value.deepCopy();
        parent.set(key, copy);
        record(path, copy, file);
    }

    /** The file path the value at merged {@code path} was written at, or null. */
    String fileOf(String path) {
        return sources.get(path);
    }

    private void record(String path, JsonNode node, String file) {
        sources.put(path, file);
        if (node.isObject()) {
            node.fields().forEachRemaining(e -> record(ConfigOrigin.child(path, e.getKey()), e.getValue(),
                    ConfigOrigin.child(file, e.getKey())));
        } else if (node.isArray()) {
            for (int i = 0; i < node.size(); i++) {
                record(path + "[" + i + "]", node.get(i), file + "[" + i + "]");
            }
        }
    }

    private void forget(String path) {
        sources.keySet().removeIf(k -> k.equals(path) || ConfigOrigin.isBelow(k, path));
    }

    /** What the values of one phase depend on: its round (0 outside a repeat) and names. */
    record Round(int round, int rounds, String repeat, String phase) {
    }

    /**
     * Replaces, everywhere in the tree, each {@code {per_round: [...]}} by the round's element and
     * {@code ${round}} and {@code ${phase}} in strings by the round number (from 1) and the phase
     * name.
     *
     * @param origin names paths in messages: a per_round outside a repeat, a per_round list whose
     *               length is not the repeat's, an unknown placeholder
     */
    void resolve(Round round, ConfigOrigin origin) {
        resolveChildren(root, "", round, origin);
    }

    private void resolveChildren(JsonNode node, String path, Round round, ConfigOrigin origin) {
        if (node instanceof ObjectNode map) {
            for (Iterator<String> it = map.fieldNames(); it.hasNext(); ) {
                String key = it.next();
                String p = ConfigOrigin.child(path, key);
                JsonNode resolved = resolveValue(map.get(key), p, round, origin);
                if (resolved != null) {
                    map.set(key, resolved);
                }
            }
        } else if (node instanceof ArrayNode list) {
            for (int i = 0; i < list.size(); i++) {
                JsonNode resolved = resolveValue(list.get(i), path + "[" + i + "]", round, origin);
                if (resolved != null) {
                    list.set(i, resolved);
                }
            }
        }
    }

    /** The value that replaces {@code node} at {@code path}, or null when it stays (resolved inside). */
    private JsonNode resolveValue(JsonNode node, String path, Round round, ConfigOrigin origin) {
        if (node.isObject() && node.has(PER_ROUND)) {
            JsonNode chosen = perRound((ObjectNode) node, path, round, origin);
            String file = Objects.requireNonNullElse(
                    sources.get(path + "." + PER_ROUND + "[" + (round.round() - 1) + "]"), sources.get(path));
            forget(path);
            record(path, chosen, file);
            JsonNode again = resolveValue(chosen, path, round, origin);
            return again == null ? chosen : again;
        }
        if (node.isTextual()) {
            String text = placeholders(node.asText(), path, round, origin);
            return text.equals(node.asText()) ? null : TextNode.valueOf(text);
        }
        resolveChildren(node, path, round, origin);
        return null;
    }

    private static JsonNode perRound(ObjectNode node, String path, Round round, ConfigOrigin origin) {
        if (node.size() != 1) {
            throw origin.error(path, "'" + path + "' holds per_round and other keys; a per-round value is "
                    + "{per_round: [one value per round]} alone");
        }
        if (round.rounds() == 0) {
            throw origin.error(path, "'" + path + "' is a per_round value, but phase '" + round.phase()
                    + "' is not in a repeat; per_round gives one value for each round of a phase with 'repeat'");
        }
        JsonNode list = node.get(PER_ROUND);
        String listPath = path + "." + PER_ROUND;
        if (!list.isArray()) {
            throw origin.error(listPath, "'" + listPath + "' must be a list of one value per round, got "
                    + Params.shown(list));
        }
        if (list.size() != round.rounds()) {
            throw origin.error(listPath, "'" + listPath + "' has " + list.size() + " value"
                    + (list.size() == 1 ? "" : "s") + "; expected " + round.rounds() + ", one per round of '"
                    + round.repeat() + "' (repeat: " + round.rounds() + ")");
        }
        return list.get(round.round() - 1);
    }

    private static String placeholders(String text, String path, Round round, ConfigOrigin origin) {
        if (!text.contains("${")) {
            return text;
        }
        Matcher m = PLACEHOLDER.matcher(text);
        StringBuilder sb = new StringBuilder();
        while (m.find()) {
            String value = switch (m.group(1)) {
                case "round" -> {
                    if (round.rounds() == 0) {
                        throw origin.error(path, "'" + path + "' holds ${round}, but phase '" + round.phase()
                                + "' is not in a repeat; ${round} is the round number of a phase with 'repeat'");
                    }
                    yield Integer.toString(round.round());
                }
                case "phase" -> round.phase();
                default -> throw origin.error(path, "'" + path + "' holds the placeholder ${" + m.group(1)
                        + "}; expected ${round} or ${phase}");
            };
            m.appendReplacement(sb, Matcher.quoteReplacement(value));
        }
        m.appendTail(sb);
        return sb.toString();
    }

    /**
     * The origin of this tree: for every value, the line of the file path it was written at (none
     * for one an override set), and that path (or the override) as its source.
     *
     * @param overridden what the overrides set ({@link ConfigOverrides#reach}), by file path
     * @param scope      what the tree is, e.g. {@code phase 'finetune'}
     */
    ConfigOrigin origin(String fileName, Map<String, Integer> fileLines, Map<String, String> overridden,
                        String scope) {
        Map<String, Integer> lines = new HashMap<>();
        Map<String, String> shown = new HashMap<>();
        sources.forEach((path, file) -> {
            String argument = ConfigOverrides.argumentAt(overridden, file);
            if (argument != null) {
                shown.put(path, ConfigOverrides.shown(argument));
                return;
            }
            shown.put(path, file);
            Integer line = fileLines.get(file);
            if (line != null) {
                lines.put(path, line);
            }
        });
        return new ConfigOrigin(fileName, lines, shown, scope);
    }
}
