package io.speechsampler.djl.spi;

import io.speechsampler.api.config.RunConfig;
import io.speechsampler.api.corpus.Corpus;

/**
 * What a {@link RecipeHook} can check before any phase of its recipe trains
 * ({@link RecipeHook#check}): the phase, its corpus, and the configs of the models the hook may
 * use, which do not exist yet.
 *
 * @param phase    the phase it will run before (its path in the recipe)
 * @param round    the round (from 1), 0 outside a repeat
 * @param config   the phase's merged config
 * @param corpus   the phase's training corpus
 * @param weights  the config of the model the phase starts from (its {@code init_from} phase's), or
 *                 null for fresh weights or a trained run named by path
 * @param previous the config of the phase before, or null for the first phase
 */
public record HookCheck(String phase, int round, RunConfig config, Corpus corpus, RunConfig weights,
                        RunConfig previous) {
}
