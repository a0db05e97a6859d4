package io.speechsampler.core.pipeline;

import io.speechsampler.api.config.ComponentConfig;
import io.speechsampler.api.config.ConfigException;
import io.speechsampler.api.config.ConfigOrigin;
import io.speechsampler.api.config.RunConfig;
import io.speechsampler.api.corpus.Corpus;
import io.speechsampler.api.registry.ProviderRegistry;
import io.speechsampler.api.registry.ProviderRegistry.Kind;
import io.speechsampler.api.spi.Batcher;
import io.speechsampler.api.spi.BuildContext;
import io.speechsampler.api.spi.ClassMask;
import io.speechsampler.api.spi.LossWeighting;
import io.speechsampler.api.spi.OutcomeObserver;
import io.speechsampler.api.spi.SourceSampler;
import io.speechsampler.api.spi.Stage;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;

/**
 * Builds a config's components (SPI 2, section 4): a role's own component directly, and each
 * entry of {@code components} once, on demand, when the first role refers to it or the first
 * provider asks for it ({@link BuildContext#component}), which builds components in dependency
 * order. An entry is built by the provider of the extension point of the first role that refers
 * to it (config order: sampler, stages, batch, weighting, mask, observers), else of the asker's
 * role, else of the one extension point that has a provider of that name; the object must then
 * implement every role that refers to it. An entry no role and no provider uses is not built.
 */
final class ComponentBuilder implements BuildContext.ComponentLookup {

    private static final Map<Class<?>, Kind> KIND_OF_ROLE = Map.of(SourceSampler.class, Kind.SAMPLER,
            Stage.class, Kind.STAGE, Batcher.class, Kind.BATCHER, LossWeighting.class, Kind.WEIGHTING,
            ClassMask.class, Kind.MASK, OutcomeObserver.class, Kind.OBSERVER);

    private static final Map<Class<?>, String> NOUN_OF_ROLE = Map.of(SourceSampler.class, "source sampler",
            Stage.class, "stage", Batcher.class, "batcher", LossWeighting.class, "loss weighting",
            ClassMask.class, "class mask", OutcomeObserver.class, "outcome observer");

    private final RunConfig config;
    private final Corpus corpus;
    private final Corpus keyCorpus;
    private final ProviderRegistry registry;
    private final ConfigOrigin origin;
    private int batchSize = -1;
    private final Map<String, Object> built = new LinkedHashMap<>();
    private final LinkedHashSet<String> building = new LinkedHashSet<>();

    ComponentBuilder(RunConfig config, Corpus corpus, Corpus keyCorpus, ProviderRegistry registry) {
        this.config = config;
        this.corpus = corpus;
        this.keyCorpus = keyCorpus;
        this.registry = registry;
        this.origin = config.origin();
    }

    /** The fixed batch size components built from now on see (known once the batcher is built). */
    void batchSize(int size) {
        this.batchSize = size;
    }

    /** The shared components built so far, by key, in the order they were built. */
    Map<String, Object> shared() {
        return Collections.unmodifiableMap(built);
    }

    /** A role's component: its own, or the shared one it refers to (which must be a {@code role}). */
    <T> T role(Kind kind, ComponentConfig c, Class<T> role) {
        if (!c.isRef()) {
            return registry.create(kind, c, context(c.path()));
        }
        return shared(c.ref(), kind, role, c.path(), c.path() + ".ref", "refers to");
    }

    @Override
    public <T> T component(String ref, Class<T> role, String asking) {
        return shared(ref, KIND_OF_ROLE.get(role), role, asking, asking, "asks for");
    }

    private BuildContext context(String key) {
        return new BuildContext(corpus, config.baseDir(), config.seed(), batchSize, key, this, keyCorpus);
    }

    private <T> T shared(String ref, Kind askingKind, Class<T> role, String asking, String line, String verb) {
        ComponentConfig entry = config.components().get(ref);
        if (entry == null) {
            throw origin.error(line, "'" + asking + "' " + verb + " component '" + ref
                    + "', which 'components' does not define; defined: "
                    + (config.components().isEmpty() ? "none (add a 'components' map)"
                            : String.join(", ", config.components().keySet())));
        }
        Object c = built.get(ref);
        if (c == null) {
            if (building.contains(ref)) {
                List<String> chain = new ArrayList<>();
                boolean in = false;
                for (String k : building) {
                    in |= k.equals(ref);
                    if (in) {
                        chain.add("'" + k + "'");
                    }
                }
                chain.add("'" + ref + "'");
                throw origin.error("components." + ref, "components " + String.join(" -> ", chain)
                        + " ask for each other in a cycle; expected each to be built from components built before it");
            }
            Kind kind = kindOf(ref, entry, askingKind);
            building.add(ref);
            try {
                c = registry.create(kind, entry, context("components." + ref));
            } finally {
                building.remove(ref);
            }
            built.put(ref, c);
        }
        if (!role.isInstance(c)) {
            throw origin.error(line, "'" + asking + "' " + verb + " component '" + ref + "' (" + entry.name()
                    + "), which is not " + a(noun(role)) + "; it is " + roles(c));
        }
        return role.cast(c);
    }

    /** The extension point whose provider builds {@code components.<ref>} (see the class comment). */
    private Kind kindOf(String ref, ComponentConfig entry, Kind askingKind) {
        Kind first = null;
        List<Kind> kinds = new ArrayList<>();
        kinds.add(Kind.SAMPLER);
        config.stages().forEach(s -> kinds.add(Kind.STAGE));
        kinds.add(Kind.BATCHER);
        kinds.add(Kind.WEIGHTING);
        if (config.mask() != null) {
            kinds.add(Kind.MASK);
        }
        config.observers().forEach(o -> kinds.add(Kind.OBSERVER));
        List<ComponentConfig> roles = config.roles();
        for (int i = 0; i < roles.size() && first == null; i++) {
            if (ref.equals(roles.get(i).ref())) {
                first = kinds.get(i);
            }
        }
        Kind preferred = first != null ? first : askingKind;
        List<Kind> having = new ArrayList<>();
        for (Kind k : Kind.values()) {
            if (registry.names(k).contains(entry.name())) {
                having.add(k);
            }
        }
        if (preferred != null && having.contains(preferred)) {
            return preferred;
        }
        if (having.size() == 1) {
            return having.get(0);
        }
        String where = origin.where(entry.path() + ".name");
        if (having.isEmpty()) {
            if (preferred != null) {
                registry.find(preferred, entry.name(), where); // throws, listing the available names
            }
            throw new ConfigException(where + "no provider is named '" + entry.name() + "' (components." + ref + ")");
        }
        throw new ConfigException(where + "'" + entry.name() + "' names a provider of several kinds ("
                + String.join(", ", having.stream().map(Kind::noun).toList()) + "); refer to components." + ref
                + " from a role ({ref: " + ref + "}) to say which");
    }

    private static String noun(Class<?> role) {
        return NOUN_OF_ROLE.getOrDefault(role, role.getSimpleName());
    }

    private static String roles(Object c) {
        List<String> r = new ArrayList<>();
        for (var e : List.of(SourceSampler.class, Stage.class, Batcher.class, LossWeighting.class, ClassMask.class,
                OutcomeObserver.class)) {
            if (e.isInstance(c)) {
                r.add(a(noun(e)));
            }
        }
        return r.isEmpty() ? a(c.getClass().getSimpleName()) : String.join(" and ", r);
    }

    private static String a(String noun) {
        return ("aeiouAEIOU".indexOf(noun.charAt(0)) >= 0 ? "an " : "a ") + noun;
    }
}
