package io.speechsampler.api.registry;

import io.speechsampler.api.config.ConfigException;
import io.speechsampler.api.spi.Named;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.ServiceConfigurationError;
import java.util.ServiceLoader;
import java.util.TreeMap;

/**
 * The plugins of one service interface found with {@link ServiceLoader}, by name. Discovery is
 * the explicit {@link #load}, never a static initialiser. A plugin that fails to load is recorded
 * in {@link #problems()} and does not hide the others; two plugins with one name make that name an
 * error naming both classes (no silent first-wins).
 *
 * @param <P> the service interface
 */
public final class Catalog<P extends Named> {

    private final String noun;
    private final Map<String, P> byName;
    private final Map<String, List<String>> duplicates;
    private final List<String> problems;

    private Catalog(String noun, Map<String, P> byName, Map<String, List<String>> duplicates, List<String> problems) {
        this.noun = noun;
        this.byName = Collections.unmodifiableMap(byName);
        this.duplicates = duplicates;
        this.problems = List.copyOf(problems);
    }

    /**
     * Discovers every implementation of {@code service} visible to {@code loader}.
     *
     * @param noun what one is called in messages, e.g. {@code sampler} or {@code model}
     */
    public static <P extends Named> Catalog<P> load(Class<P> service, String noun, ClassLoader loader) {
        Map<String, P> byName = new TreeMap<>();
        Map<String, List<String>> dups = new TreeMap<>();
        List<String> problems = new ArrayList<>();
        Iterator<P> it = ServiceLoader.load(service, loader).iterator();
        while (true) {
            P p;
            try {
                if (!it.hasNext()) {
                    break;
                }
                p = it.next();
            } catch (ServiceConfigurationError e) {
                problems.add(noun + " provider failed to load: " + e.getMessage()
                        + (e.getCause() != null ? " (" + e.getCause() + ")" : ""));
                continue;
            }
            P prev = byName.putIfAbsent(p.name(), p);
            if (prev != null) {
                dups.computeIfAbsent(p.name(), k -> new ArrayList<>(List.of(prev.getClass().getName())))
                        .add(p.getClass().getName());
            }
        }
        dups.forEach((name, classes) -> problems.add("duplicate " + noun + " name '" + name + "': "
                + String.join(" and ", classes)));
        return new Catalog<>(noun, byName, dups, problems);
    }

    /** Discovers with the context class loader (or this class's loader). */
    public static <P extends Named> Catalog<P> load(Class<P> service, String noun) {
        ClassLoader cl = Thread.currentThread().getContextClassLoader();
        return load(service, noun, cl != null ? cl : Catalog.class.getClassLoader());
    }

    /** What one is called in messages. */
    public String noun() {
        return noun;
    }

    /** Plugins that failed to load and duplicate names, one line each. */
    public List<String> problems() {
        return problems;
    }

    /** Sorted names. */
    public List<String> names() {
        return List.copyOf(byName.keySet());
    }

    /** Every plugin by name, sorted. */
    public Map<String, P> all() {
        return byName;
    }

    /**
     * The plugin of that name.
     *
     * @param where prefix of the message (file and key), may be empty
     * @throws ConfigException naming the unknown name and listing the available ones, or naming
     *                         both classes of a duplicate
     */
    public P find(String name, String where) {
        List<String> dup = duplicates.get(name);
        if (dup != null) {
            throw new ConfigException(where + "duplicate " + noun + " name '" + name + "': provided by "
                    + String.join(" and ", dup));
        }
        P p = byName.get(name);
        if (p == null) {
            String broken = problems.stream().filter(s -> s.startsWith(noun + " provider failed")).findFirst()
                    .map(s -> "; note: " + s).orElse("");
            throw new ConfigException(where + "unknown " + noun + " '" + name + "'; available: "
                    + (byName.isEmpty() ? "(none)" : String.join(", ", byName.keySet())) + broken);
        }
        return p;
    }
}
