package io.speechsampler.djl.train;

import io.speechsampler.api.config.ConfigException;

/**
 * A per-sample loss was NaN or infinite; the message names the epoch, step and sample id. The
 * user can act on it (a lower {@code train.lr}, a clip norm, a sample to inspect), so it is reported
 * as bad input.
 */
public final class NonFiniteLossException extends ConfigException {

    private static final long serialVersionUID = 1L;

    public NonFiniteLossException(String message) {
        super(message);
    }
}
