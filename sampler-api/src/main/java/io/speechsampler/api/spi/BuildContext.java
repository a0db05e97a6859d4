package io.speechsampler.api.spi;

import io.speechsampler.api.config.ConfigException;
import io.speechsampler.api.corpus.Corpus;
import java.nio.file.Path;
import java.util.Objects;

/**
 * What a provider may use to build its component.
 *
 * @param corpus     the training corpus
 * @param baseDir    directory that relative paths in the config resolve against
 * @param seed       the run's seed
 * @param batchSize  the pipeline's fixed batch size, or -1 when batches are not fixed-size
 * @param key        the component's key in the config, e.g. {@code stages[1]}, for error messages
 * @param components the config's shared components (see {@link #component})
 */
public record BuildContext(Corpus corpus, Path baseDir, long seed, int batchSize, String key,
                           ComponentLookup components) {

    /**
     * The shared components a pipeline builds on demand, in dependency order.
     */
    @FunctionalInterface
    public interface ComponentLookup {
        /**
         * The component the config names under {@code components.<ref>}, built (once) if it is not
         * yet, as a {@code role}.
         *
         * @param asking the key of the component that asks, for messages
         * @throws ConfigException naming {@code asking}'s line for a missing ref, a component that
         *                         is not a {@code role}, or components that ask for each other
         */
        <T> T component(String ref, Class<T> role, String asking);
    }

    /** Outside a pipeline: no shared components. */
    public static final ComponentLookup NO_COMPONENTS = new ComponentLookup() {
        @Override
        public <T> T component(String ref, Class<T> role, String asking) {
            throw new ConfigException("'" + asking + "' asks for component '" + ref
                    + "', but it is built outside a pipeline, where no 'components' exist");
        }
    };

    public BuildContext {
        Objects.requireNonNull(corpus, "corpus");
        Objects.requireNonNull(baseDir, "baseDir");
        Objects.requireNonNull(key, "key");
        components = components == null ? NO_COMPONENTS : components;
    }

    /** A context without shared components (a component built on its own). */
    public BuildContext(Corpus corpus, Path baseDir, long seed, int batchSize, String key) {
        this(corpus, baseDir, seed, batchSize, key, NO_COMPONENTS);
    }

    public BuildContext withKey(String newKey) {
        return new BuildContext(corpus, baseDir, seed, batchSize, newKey, components);
    }

    public Path resolve(String path) {
        return baseDir.resolve(path).normalize();
    }

    /**
     * Another component of the run, which this one uses without owning it (a curriculum that reads
     * a {@code datamap} observer): the entry {@code components.<ref>} of the config, built before
     * this one. Its state is saved once, under its {@code components} key; roles the config gives
     * it are the same object.
     *
     * @param ref  a key of the config's {@code components}, typically a parameter's value
     * @param role the type this component needs, e.g. {@link OutcomeObserver}
     * @throws ConfigException (one line naming this component's key and line) when {@code ref} is
     *                         not defined, the component is not a {@code role}, or components ask
     *                         for each other in a cycle
     */
    public <T> T component(String ref, Class<T> role) {
        return components.component(ref, role, key);
    }
}
