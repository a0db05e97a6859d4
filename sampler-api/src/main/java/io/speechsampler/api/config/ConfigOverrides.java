package io.speechsampler.api.config;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code --set key=value} arguments, applied in order to a config's YAML tree before it is
 * validated, so that a config and its overrides are checked as one and the config's YAML
 * ({@link RunConfig#toYaml()}, {@link Recipe#toYaml()}) records the resolved values.
 *
 * <ul>
 *   <li>The key is a path of map keys and list indexes: {@code train.epochs},
 *       {@code stages[0].p_s}, {@code phases[1].train.epochs}, {@code model.name}.</li>
 *   <li>The value is read with the YAML scalar rules, as if it were written in the file after
 *       {@code key: }: {@code 3} an integer, {@code 0.5} a number, {@code true}, {@code null},
 *       {@code '007'} a string, {@code [1, 3]} and {@code {name: shuffle}} a list and a map.
 *       Nothing after {@code =} is null, as an empty value in the file.</li>
 *   <li>A key through a missing (or null) map creates it; an index must name an existing element
 *       of an existing list. A key through a value that is not a map, an index into a value that
 *       is not a list or past a list's end, and an argument that is not {@code key=value} are
 *       each a {@link ConfigException} naming the argument.</li>
 * </ul>
 */
public final class ConfigOverrides {

    /** No overrides. */
    public static final ConfigOverrides NONE = new ConfigOverrides(List.of());

    /** A map key (anything but '.', '[', ']', '=' and spaces) or a list index, after the first step. */
    private static final Pattern STEP = Pattern.compile("\\.([^.\\[\\]=\\s]+)|\\[(\\d+)]");
    private static final Pattern FIRST_KEY = Pattern.compile("[^.\\[\\]=\\s]+");

    /** One step of a path: a map key, or (key null) a list index. */
    private record Step(String key, int index) {
        @Override
        public String toString() {
            return key != null ? key : "[" + index + "]";
        }
    }

    /** One {@code --set} argument: as given, its path (canonical text and steps), its value. */
    private record Assignment(String argument, String path, List<Step> steps, JsonNode value) {
    }

    private final List<Assignment> overrides;

    private ConfigOverrides(List<Assignment> overrides) {
        this.overrides = List.copyOf(overrides);
    }

    /**
     * Reads {@code --set} arguments, each {@code key=value}.
     *
     * @throws ConfigException naming the argument when it is not {@code key=value} with a valid
     *                         path and a valid YAML value
     */
    public static ConfigOverrides parse(List<String> arguments) {
        if (arguments == null || arguments.isEmpty()) {
            return NONE;
        }
        List<Assignment> out = new ArrayList<>();
        for (String argument : arguments) {
            out.add(parseOne(argument));
        }
        return new ConfigOverrides(out);
    }

    private static Assignment parseOne(String argument) {
        String shown = "--set '" + argument + "'";
        int eq = argument.indexOf('=');
        if (eq < 0) {
            throw new ConfigException(shown + ": expected key=value, such as train.epochs=3 or stages[0].p_s=0.5");
        }
        String key = argument.substring(0, eq).strip();
        List<Step> steps = new ArrayList<>();
        Matcher first = FIRST_KEY.matcher(key);
        if (!first.lookingAt()) {
            throw new ConfigException(shown + ": the key must start with a config key, such as train.epochs=3, got '"
                    + key + "'");
        }
        steps.add(new Step(first.group(), -1));
        Matcher m = STEP.matcher(key);
        int at = first.end();
        while (at < key.length()) {
            if (!m.find(at) || m.start() != at) {
                throw new ConfigException(shown + ": cannot read the key '" + key + "' from character " + (at + 1)
                        + "; expected .key or [index] steps, such as phases[1].train.epochs");
            }
            if (m.group(1) != null) {
                steps.add(new Step(m.group(1), -1));
            } else {
                int index;
                try {
                    index = Integer.parseInt(m.group(2));
                } catch (NumberFormatException e) {
                    throw new ConfigException(shown + ": the index [" + m.group(2) + "] is too large");
                }
                steps.add(new Step(null, index));
            }
            at = m.end();
        }
        return new Assignment(argument, canonical(steps), steps, value(argument.substring(eq + 1), shown));
    }

    private static JsonNode value(String text, String shown) {
        if (YamlLines.NON_FINITE.matcher(text.strip()).matches()) {
            throw new ConfigException(shown + ": the value must be a finite number, got " + text.strip());
        }
        // The token pass refuses what a config file may not hold either (a duplicate key in a flow
        // map, a non-finite number inside a list or map) and reports syntax errors with a column.
        YamlLines.index(text, shown + " value");
        JsonNode v;
        try {
            v = RunConfig.YAML.readTree(text);
        } catch (JsonProcessingException e) {
            throw YamlLines.syntaxError(shown + " value", e);
        }
        return v == null || v.isMissingNode() ? NullNode.getInstance() : v;
    }

    private static String canonical(List<Step> steps) {
        StringBuilder sb = new StringBuilder();
        for (Step s : steps) {
            if (s.key != null && sb.length() > 0) {
                sb.append('.');
            }
            sb.append(s);
        }
        return sb.toString();
    }

    public boolean isEmpty() {
        return overrides.isEmpty();
    }

    /** The arguments as given, in order. */
    public List<String> arguments() {
        return overrides.stream().map(Assignment::argument).toList();
    }

    /**
     * Sets each override's value in {@code root}, in order (a later one wins).
     *
     * @param fileName names the config in messages
     * @throws ConfigException naming the file and the argument for a path the tree cannot take
     */
    public void applyTo(ObjectNode root, String fileName) {
        for (Assignment o : overrides) {
            apply(o, root, fileName);
        }
    }

    private static void apply(Assignment o, ObjectNode root, String fileName) {
        String prefix = fileName + ": --set '" + o.argument + "': ";
        JsonNode here = root;
        String path = "";
        for (int i = 0; i < o.steps.size(); i++) {
            Step step = o.steps.get(i);
            boolean last = i == o.steps.size() - 1;
            String shownPath = path.isEmpty() ? "the config" : "'" + path + "'";
            if (step.key != null) {
                if (!(here instanceof ObjectNode map)) {
                    throw new ConfigException(prefix + shownPath + " is " + kind(here) + ", not a map, so it has no key '"
                            + step.key + "'; set the whole value instead (--set " + path + "=...)");
                }
                String childPath = ConfigOrigin.child(path, step.key);
                if (last) {
                    map.set(step.key, o.value.deepCopy());
                    return;
                }
                JsonNode next = map.get(step.key);
                if (next == null || next.isNull()) {
                    if (o.steps.get(i + 1).key == null) {
                        throw new ConfigException(prefix + "'" + childPath + "' is not set, so it has no element "
                                + o.steps.get(i + 1) + "; set the whole list instead (--set " + childPath + "=[...])");
                    }
                    next = map.putObject(step.key);
                }
                here = next;
                path = childPath;
            } else {
                if (!(here instanceof ArrayNode list)) {
                    throw new ConfigException(prefix + shownPath + " is " + kind(here) + ", not a list, so it has no "
                            + "element [" + step.index + "]");
                }
                if (step.index >= list.size()) {
                    throw new ConfigException(prefix + shownPath + " has " + list.size() + " element"
                            + (list.size() == 1 ? "" : "s") + "; expected an index below " + list.size()
                            + " (to add one, set the whole list: --set " + path + "=[...])");
                }
                if (last) {
                    list.set(step.index, o.value.deepCopy());
                    return;
                }
                here = list.get(step.index);
                path = path + "[" + step.index + "]";
            }
        }
    }

    private static String kind(JsonNode n) {
        if (n.isObject()) {
            return "a map";
        }
        if (n.isArray()) {
            return "a list";
        }
        return "the value " + Params.shown(n);
    }

    /**
     * What each override set, by path of the overridden tree, to its argument: the path it names,
     * or the highest map on it that the file did not hold and an earlier override did not create
     * (the override created it). A later override's entry replaces those at and below its path.
     *
     * @param filePaths the paths of the file as written (its keys and list elements)
     */
    Map<String, String> reach(Set<String> filePaths) {
        Map<String, String> reach = new LinkedHashMap<>();
        Set<String> created = new HashSet<>();
        for (Assignment o : overrides) {
            String path = "";
            String effective = null;
            for (Step step : o.steps) {
                path = step.key != null ? ConfigOrigin.child(path, step.key) : path + step;
                if (effective == null && !filePaths.contains(path) && !created.contains(path)) {
                    effective = path;
                }
                created.add(path);
            }
            String at = effective == null ? o.path : effective;
            reach.keySet().removeIf(p -> p.equals(at) || ConfigOrigin.isBelow(p, at));
            reach.put(at, o.argument);
        }
        return reach;
    }

    /** The argument in {@code reach} that set {@code path} or an ancestor of it, or null. */
    static String argumentAt(Map<String, String> reach, String path) {
        if (reach.isEmpty()) {
            return null;
        }
        String p = path;
        while (true) {
            String argument = reach.get(p);
            if (argument != null || p.isEmpty()) {
                return argument;
            }
            p = ConfigOrigin.parent(p);
        }
    }

    /**
     * The origin of a config read from {@code fileName} with these overrides applied: the file's
     * lines less those of the values an override replaced, and what each override set sourced to
     * its argument.
     */
    ConfigOrigin origin(String fileName, Map<String, Integer> fileLines, Map<String, String> reach) {
        if (reach.isEmpty()) {
            return new ConfigOrigin(fileName, fileLines);
        }
        Map<String, Integer> lines = new HashMap<>(fileLines);
        lines.keySet().removeIf(p -> argumentAt(reach, p) != null);
        Map<String, String> sources = new HashMap<>();
        reach.forEach((path, argument) -> sources.put(path, shown(argument)));
        return new ConfigOrigin(fileName, lines, sources, null);
    }

    /** How messages show an override as a value's source. */
    static String shown(String argument) {
        return "--set '" + argument + "'";
    }

    @Override
    public String toString() {
        return arguments().toString();
    }
}
