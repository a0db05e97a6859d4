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
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;

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

    private final Map<Kind, Catalog<Provider<?>>> catalogs;
    private final List<String> problems;

    private ProviderRegistry(Map<Kind, Catalog<Provider<?>>> catalogs) {
        this.catalogs = catalogs;
        List<String> all = new ArrayList<>();
        catalogs.values().forEach(c -> all.addAll(c.problems()));
        this.problems = List.copyOf(all);
    }

    /** Discovers every provider visible to {@code loader}. */
    @SuppressWarnings({"unchecked", "rawtypes"})
    public static ProviderRegistry load(ClassLoader loader) {
        Map<Kind, Catalog<Provider<?>>> catalogs = new EnumMap<>(Kind.class);
        for (Kind kind : Kind.values()) {
            catalogs.put(kind, (Catalog) Catalog.load((Class) kind.service(), kind.noun(), loader));
        }
        return new ProviderRegistry(catalogs);
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
        return catalogs.get(kind).names();
    }

    public Map<String, Provider<?>> providers(Kind kind) {
        return catalogs.get(kind).all();
    }

    /**
     * The provider of that name.
     *
     * @throws ConfigException naming the unknown name and listing the available ones, or naming
     *                         both classes of a duplicate
     */
    public Provider<?> find(Kind kind, String name, String where) {
        return catalogs.get(kind).find(name, where);
    }

    /**
     * Finds the provider named by {@code config}, validates its parameters, {@link Provider#check
     * checks} them against the corpus and creates it.
     */
    @SuppressWarnings("unchecked")
    public <T> T create(Kind kind, ComponentConfig config, BuildContext context) {
        Provider<T> p = (Provider<T>) find(kind, config.name(), config.origin().where(config.path() + ".name"));
        Params params = Params.bind(config.params(), p.parameters(), config.origin(), config.path(),
                kind.noun() + " '" + p.name() + "'");
        BuildContext own = context.withKey(config.path());
        p.check(params, own);
        return p.create(params, own);
    }

    /**
     * The corpora beyond the training corpus that the sampler {@code config} names as its draws'
     * keys ({@link io.speechsampler.api.spi.SourceSamplerProvider#keyCorpora}), its parameters
     * bound and checked as {@link #create} does; nothing is built.
     *
     * @throws ConfigException one line naming the key, the value and the rule
     */
    public java.util.List<io.speechsampler.api.corpus.Corpus> keyCorpora(ComponentConfig config,
                                                                          BuildContext context) {
        io.speechsampler.api.spi.SourceSamplerProvider p = (io.speechsampler.api.spi.SourceSamplerProvider)
                find(Kind.SAMPLER, config.name(), config.origin().where(config.path() + ".name"));
        Params params = Params.bind(config.params(), p.parameters(), config.origin(), config.path(),
                Kind.SAMPLER.noun() + " '" + p.name() + "'");
        BuildContext own = context.withKey(config.path());
        p.check(params, own);
        return java.util.List.copyOf(p.keyCorpora(params, own));
    }

    /**
     * What {@link #create} checks before it builds: the provider's name, its parameters' types,
     * ranges and keys, and {@link Provider#check} against the context's corpus; nothing is built.
     *
     * @throws ConfigException one line naming the key, the value and the rule
     */
    public void check(Kind kind, ComponentConfig config, BuildContext context) {
        Provider<?> p = find(kind, config.name(), config.origin().where(config.path() + ".name"));
        Params params = Params.bind(config.params(), p.parameters(), config.origin(), config.path(),
                kind.noun() + " '" + p.name() + "'");
        p.check(params, context.withKey(config.path()));
    }
}
