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

    T create(Params params, BuildContext context);
}
