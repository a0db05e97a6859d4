package io.speechsampler.api.concurrent;

import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;

/** Waiting for tasks on worker threads (mining blocks, k-means row slices). */
public final class Futures {

    private Futures() {
    }

    /**
     * Waits for every task; a task's exception is rethrown as it was thrown (an unchecked one as
     * itself, a checked one wrapped).
     *
     * @param what the work, for the message of an interruption (e.g. {@code "mining"})
     */
    public static void joinAll(List<? extends Future<?>> futures, String what) {
        try {
            for (Future<?> f : futures) {
                f.get();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted during " + what, e);
        } catch (ExecutionException e) {
            Throwable c = e.getCause();
            if (c instanceof RuntimeException re) {
                throw re;
            }
            if (c instanceof Error err) {
                throw err;
            }
            throw new IllegalStateException(c);
        }
    }
}
