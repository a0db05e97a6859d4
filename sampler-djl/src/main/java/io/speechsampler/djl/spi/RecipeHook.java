package io.speechsampler.djl.spi;

import io.speechsampler.api.config.Params;
import io.speechsampler.api.spi.Named;
import java.nio.file.Path;
import java.util.List;

/**
 * A step a recipe runs before a phase ({@code before:} of a phase or a round), picked by name:
 * for example embedding every training utterance with the model the phase starts from and
 * clustering the embeddings into a pseudo-label file (loss-gated learning). List implementations
 * in {@code META-INF/services/io.speechsampler.djl.spi.RecipeHook}.
 *
 * <p>A hook writes files (through {@code AtomicFiles}) and returns them; the run records each
 * file's SHA-256, and a resumed run whose files are all there with the recorded hashes does not
 * run the hook again.
 */
public interface RecipeHook extends Named {

    /**
     * The rules between the parameters, the phase's corpus and the models it will use, checked
     * before any phase of the recipe trains, so that bad input is refused before anything is
     * written. Default: nothing to check.
     *
     * @throws io.speechsampler.api.config.ConfigException one line naming the key, the value and the rule
     */
    default void check(Params params, HookCheck context) {
    }

    /**
     * Runs the hook.
     *
     * @param params  its validated parameters
     * @param context where it runs
     * @return the files it wrote
     * @throws io.speechsampler.api.config.ConfigException for bad input, before writing anything
     */
    List<Path> run(Params params, HookContext context);
}
