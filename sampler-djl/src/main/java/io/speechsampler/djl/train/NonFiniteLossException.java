package io.speechsampler.djl.train;

/** A per-sample loss was NaN or infinite; the message names the epoch, step and sample id. */
public final class NonFiniteLossException extends IllegalStateException {

    private static final long serialVersionUID = 1L;

    public NonFiniteLossException(String message) {
        super(message);
    }
}
