package io.speechsampler.djl.train;

import io.speechsampler.api.config.ConfigException;
import io.speechsampler.api.draw.Batch;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * Renders batches, the next on a background thread while the current one trains (or on the
 * caller's thread when prefetch is off). Rendering is a pure function of the draws, so the result
 * does not depend on the thread.
 */
final class Prefetcher implements AutoCloseable {

    private final BatchRenderer renderer;
    private final boolean background;
    private final ExecutorService executor;

    Prefetcher(BatchRenderer renderer, boolean background) {
        this.renderer = renderer;
        this.background = background;
        this.executor = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "batch-renderer");
            t.setDaemon(true);
            return t;
        });
    }

    CompletableFuture<RenderedBatch> render(Batch b) {
        if (!background) {
            return CompletableFuture.completedFuture(renderer.render(b.draws()));
        }
        return CompletableFuture.supplyAsync(() -> renderer.render(b.draws()), executor);
    }

    /** The rendered batch, checked to have a row per draw; a renderer's bad-input refusal stays one line. */
    static RenderedBatch join(CompletableFuture<RenderedBatch> f, Batch b) {
        try {
            RenderedBatch r = f.get();
            if (r.draws() != b.size()) {
                throw new IllegalStateException("the renderer returned " + r.size() + " rows of " + r.views()
                        + " view(s) per draw for a batch of " + b.size() + " draws (epoch " + b.epoch() + ", step "
                        + b.step() + ")");
            }
            return r;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while rendering step " + b.step(), e);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof ConfigException c) {
                throw c; // bad input found while rendering (a model that does not fit the draws): one line
            }
            throw new IllegalStateException("rendering the batch of epoch " + b.epoch() + ", step " + b.step()
                    + " failed: " + e.getCause(), e.getCause());
        }
    }

    @Override
    public void close() {
        executor.shutdownNow();
    }
}
