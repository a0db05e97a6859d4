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
 * @param keyCorpus  every utterance the run's draws may name as their key: the training corpus's,
 *                   in its order, then those of the other corpora the sampler draws targets from
 *                   ({@link SourceSamplerProvider#keyCorpora}, e.g. a curriculum's {@code real}
 *                   corpus, ids as the draws name them); {@code corpus} itself (the same object)
 *                   when there are none. A per-sample observer that should see every target (a
 *                   datamap) maps this corpus; index {@code i < corpus.size()} is the training
 *                   corpus's utterance {@code i}.
 */
public record BuildContext(Corpus corpus, Path baseDir, long seed, int batchSize, String key,
                           ComponentLookup components, Corpus keyCorpus) {

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
        keyCorpus = keyCorpus == null ? corpus : keyCorpus;
        // O(1), as contexts are made per component: the sizes and the first and last training ids
        int n = corpus.size();
        if (keyCorpus != corpus && (keyCorpus.size() < n || n > 0 && (!keyCorpus.get(0).id().equals(corpus.get(0).id())
                || !keyCorpus.get(n - 1).id().equals(corpus.get(n - 1).id())))) {
            throw new IllegalArgumentException("the key corpus (" + keyCorpus.size() + " utterances) does not start "
                    + "with the training corpus's " + n + " utterances in their order");
        }
    }

    /** A context whose draws name only training-corpus utterances. */
    public BuildContext(Corpus corpus, Path baseDir, long seed, int batchSize, String key,
                        ComponentLookup components) {
        this(corpus, baseDir, seed, batchSize, key, components, corpus);
    }

    /** A context without shared components (a component built on its own). */
    public BuildContext(Corpus corpus, Path baseDir, long seed, int batchSize, String key) {
        this(corpus, baseDir, seed, batchSize, key, NO_COMPONENTS, corpus);
    }

    /** True when {@code all}'s first utterances are {@code prefix}'s, by id, in order. */
    public static boolean startsWith(Corpus all, Corpus prefix) {
        if (all.size() < prefix.size()) {
            return false;
        }
        for (int i = 0, n = prefix.size(); i < n; i++) {
            if (!all.get(i).id().equals(prefix.get(i).id())) {
                return false;
            }
        }
        return true;
    }

    public BuildContext withKey(String newKey) {
        return new BuildContext(corpus, baseDir, seed, batchSize, newKey, components, keyCorpus);
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
