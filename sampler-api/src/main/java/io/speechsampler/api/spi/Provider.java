package io.speechsampler.api.spi;

import io.speechsampler.api.config.ParamSpec;
import io.speechsampler.api.config.Params;
import java.util.List;

/**
 * A named factory, found with {@link java.util.ServiceLoader} and picked by {@link #name()} in
 * the config. It declares its parameters; the framework validates types, ranges and unknown keys
 * before {@link #create} runs, and {@code create} checks the rules that span parameters.
 *
 * @param <T> what it creates
 */
public interface Provider<T> {

    /** The name the config uses, e.g. {@code shuffle}: lower case, words joined by '-'. */
    String name();

    /** One line: what it does and the distribution it draws from. */
    String description();

    List<ParamSpec> parameters();

    T create(Params params, BuildContext context);
}
