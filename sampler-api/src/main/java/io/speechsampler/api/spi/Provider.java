package io.speechsampler.api.spi;

import io.speechsampler.api.config.Params;

/**
 * A named factory, found with {@link java.util.ServiceLoader} and picked by {@link #name()} in
 * the config. It declares its parameters; the framework validates types, ranges and unknown keys
 * before {@link #create} runs, and {@code create} checks the rules that span parameters.
 *
 * @param <T> what it creates
 */
public interface Provider<T> extends Named {

    /** One line: what it does and the distribution it draws from. */
    @Override
    String description();

    /**
     * The rules between the parameters and the corpus that need nothing else (no file, no other
     * component): a recipe calls it for every phase before its first phase trains, when files the
     * run writes later (its {@code run:} paths) do not exist yet, so that bad input is refused
     * before anything is written. {@link io.speechsampler.api.registry.ProviderRegistry#create}
     * calls it before {@link #create}. Default: nothing to check.
     *
     * @throws io.speechsampler.api.config.ConfigException one line naming the key, the value and the rule
     */
    default void check(Params params, BuildContext context) {
    }

    T create(Params params, BuildContext context);
}
