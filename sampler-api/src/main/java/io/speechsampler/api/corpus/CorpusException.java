package io.speechsampler.api.corpus;

import io.speechsampler.api.config.ConfigException;

/** A corpus that cannot be read: the message names the file (and line) and what was expected. */
public class CorpusException extends ConfigException {

    public CorpusException(String message) {
        super(message);
    }

    public CorpusException(String message, Throwable cause) {
        super(message, cause);
    }
}
