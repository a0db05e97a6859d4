package io.speechsampler.api.registry;

import io.speechsampler.api.config.ComponentConfig;
import io.speechsampler.api.config.ConfigException;
import io.speechsampler.api.config.Params;
import io.speechsampler.api.spi.BatcherProvider;
import io.speechsampler.api.spi.BuildContext;
import io.speechsampler.api.spi.ClassMaskProvider;
import io.speechsampler.api.spi.LossWeightingProvider;
import io.speechsampler.api.spi.OutcomeObserverProvider;
import io.speechsampler.api.spi.Provider;
import io.speechsampler.api.spi.SourceSamplerProvider;
import io.speechsampler.api.spi.StageProvider;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.ServiceConfigurationError;
import java.util.ServiceLoader;
import java.util.TreeMap;

/**
 * Every provider found with {@link ServiceLoader}, by extension point and name. Discovery is
 * the explicit {@link #load(ClassLoader)}, never a static initialiser. A provider that fails to
 * load is recorded in {@link #problems()} and does not hide the others; two providers with one
 * name make that name an error naming both classes.
 */
public final class ProviderRegistry {

    /** The extension points: config key, service interface, and a noun for messages. */
    public enum Kind {
        SAMPLER("sampler", SourceSamplerProvider.class),
        STAGE("stage", StageProvider.class),
        BATCHER("batcher", BatcherProvider.class),
        WEIGHTING("weighting", LossWeightingProvider.class),
        MASK("mask", ClassMaskProvider.class),
        OBSERVER("observer", OutcomeObserverProvider.class);

        private final String noun;
        private final Class<? extends Provider<?>> service;

        Kind(String noun, Class<? extends Provider<?>> service) {
            this.noun = noun;
            this.service = service;
        }

        public String noun() {
            return noun;
        }

        public Class<? extends Provider<?>> service() {
            return service;
        }
    }

    private final Map<Kind, Map<String, Provider<?>>> providers;
    private final Map<Kind, Map<String, List<String>>> duplicates;
    private final List<String> problems;

    private ProviderRegistry(Map<Kind, Map<String, Provider<?>>> providers,
                             Map<Kind, Map<String, List<String>>> duplicates, List<String> problems) {
        this.providers = providers;
        this.duplicates = duplicates;
        this.problems = List.copyOf(problems);
    }

    /** Discovers every provider visible to {@code loader}. */
    public static ProviderRegistry load(ClassLoader loader) {
        Map<Kind, Map<String, Provider<?>>> providers = new LinkedHashMap<>();
        Map<Kind, Map<String, List<String>>> duplicates = new LinkedHashMap<>();
        List<String> problems = new ArrayList<>();
        for (Kind kind : Kind.values()) {
            Map<String, Provider<?>> byName = new TreeMap<>();
            Map<String, List<String>> dups = new TreeMap<>();
            Iterator<? extends Provider<?>> it = ServiceLoader.load(kind.service(), loader).iterator();
            while (true) {
                Provider<?> p;
                try {
                    if (!it.hasNext()) {
                        break;
                    }
                    p = it.next();
                } catch (ServiceConfigurationError e) {
                    problems.add(kind.noun() + " provider failed to load: " + e.getMessage()
                            + (e.getCause() != null ? " (" + e.getCause() + ")" : ""));
                    continue;
                }
                String name = p.name();
                Provider<?> prev = byName.putIfAbsent(name, p);
                if (prev != null) {
                    dups.computeIfAbsent(name, k -> new ArrayList<>(List.of(prev.getClass().getName())))
                            .add(p.getClass().getName());
                }
            }
            providers.put(kind, byName);
            duplicates.put(kind, dups);
            dups.forEach((name, classes) -> problems.add("duplicate " + kind.noun() + " name '" + name + "': "
                    + String.join(" and ", classes)));
        }
        return new ProviderRegistry(providers, duplicates, problems);
    }

    /** Discovers with the context class loader (or this class's loader). */
    public static ProviderRegistry load() {
        ClassLoader cl = Thread.currentThread().getContextClassLoader();
        return load(cl != null ? cl : ProviderRegistry.class.getClassLoader());
    }

    /** Providers that failed to load and duplicate names, one line each. */
    public List<String> problems() {
        return problems;
    }

    /** Sorted names available for a kind. */
    public List<String> names(Kind kind) {
        return List.copyOf(providers.get(kind).keySet());
    }

    public Map<String, Provider<?>> providers(Kind kind) {
        return Collections.unmodifiableMap(providers.get(kind));
    }

    /**
     * The provider of that name.
     *
     * @throws ConfigException naming the unknown name and listing the available ones, or naming
     *                         both classes of a duplicate
     */
    public Provider<?> find(Kind kind, String name, String where) {
        List<String> dup = duplicates.get(kind).get(name);
        if (dup != null) {
            throw new ConfigException(where + "duplicate " + kind.noun() + " name '" + name + "': provided by "
                    + String.join(" and ", dup));
        }
        Provider<?> p = providers.get(kind).get(name);
        if (p == null) {
            String broken = problems.stream().filter(s -> s.startsWith(kind.noun() + " provider failed")).findFirst()
                    .map(s -> "; note: " + s).orElse("");
            throw new ConfigException(where + "unknown " + kind.noun() + " '" + name + "'; available: "
                    + (names(kind).isEmpty() ? "(none)" : String.join(", ", names(kind))) + broken);
        }
        return p;
    }

    /** Finds the provider named by {@code config}, validates its parameters and creates it. */
    @SuppressWarnings("unchecked")
    public <T> T create(Kind kind, ComponentConfig config, BuildContext context) {
        Provider<T> p = (Provider<T>) find(kind, config.name(), config.origin().where(config.path() + ".name"));
        Params params = Params.bind(config.params(), p.parameters(), config.origin(), config.path(),
                kind.noun() + " '" + p.name() + "'");
        return p.create(params, context.withKey(config.path()));
    }
}
