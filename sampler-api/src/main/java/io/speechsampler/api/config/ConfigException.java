package io.speechsampler.api.config;

/**
 * Bad input: a message of one line naming the file, key or value and what was expected. The CLI
 * prints {@link #getMessage()} alone and exits non-zero.
 */
public class ConfigException extends RuntimeException {

    public ConfigException(String message) {
        super(message);
    }

    public ConfigException(String message, Throwable cause) {
        super(message, cause);
    }
}
