package io.speechsampler.api.io;

import io.speechsampler.api.config.ConfigException;

/**
 * An output that cannot be written (missing or read-only folder, a folder where a file should be,
 * a full disk): the message names the path and the reason. A fault the user can fix, so the CLI
 * reports it like bad input.
 */
public class OutputException extends ConfigException {

    public OutputException(String message, Throwable cause) {
        super(message, cause);
    }
}
