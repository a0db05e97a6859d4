package io.speechsampler.djl.train;

import io.speechsampler.api.draw.Draw;
import java.util.List;

/**
 * Renders a batch's draws to audio. It runs on the loop's background thread while the previous
 * batch trains, so it must be a pure function of the draws (and thread-safe against itself
 * only in that sense: one call at a time).
 */
@FunctionalInterface
public interface BatchRenderer {

    RenderedBatch render(List<Draw> draws);
}
