package io.speechsampler.djl.spi;

import io.speechsampler.api.config.RunConfig;
import io.speechsampler.api.corpus.Corpus;
import java.nio.file.Path;

/**
 * Where a {@link RecipeHook} runs.
 *
 * @param phase   the phase it runs before (its path in the recipe, e.g. {@code lgl/round-2/open})
 * @param round   the round (from 1), 0 outside a repeat
 * @param config  the phase's merged config
 * @param corpus  the phase's training corpus
 * @param runDir  the run folder: relative output paths resolve against it
 * @param weights the checkpoint folder the phase starts from (its {@code init_from}), or null for
 *                fresh weights
 * @param previous the checkpoint folder of the phase before (its best, else its latest), or null for
 *                the first phase: the current model when a round starts (loss-gated learning embeds
 *                with it)
 * @param seed    a seed for the hook's randomness, from the run's seed, the phase and the round
 */
public record HookContext(String phase, int round, RunConfig config, Corpus corpus, Path runDir, Path weights,
                          Path previous, long seed) {

    /** A hook's output path, relative to the run folder unless absolute. */
    public Path output(String path) {
        return runDir.resolve(path).normalize();
    }
}
