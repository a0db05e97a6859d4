package io.speechsampler.api.config;

import java.nio.file.Path;
import java.util.Objects;

/**
 * The weights a {@link Phase} starts from, as its {@code init_from} says:
 * {@code {phase: NAME, checkpoint: best|last}}, {@code {path: P}} or {@code none}. Without
 * {@code init_from} a phase starts from the previous phase's best checkpoint, and the first from
 * fresh weights.
 */
public sealed interface InitFrom {

    /** Which checkpoint of a phase: the one with the best validation metric, or the last written. */
    enum Checkpoint { BEST, LAST }

    /** Fresh weights: the first phase, or {@code init_from: none}. */
    record Fresh() implements InitFrom {
    }

    /**
     * A checkpoint of an earlier phase of the same recipe.
     *
     * @param phaseIndex the earlier phase's {@link Phase#index()} in {@link Recipe#phases()}
     */
    record FromPhase(int phaseIndex, Checkpoint checkpoint) implements InitFrom {
        public FromPhase {
            if (phaseIndex < 0) {
                throw new IllegalArgumentException("phaseIndex is negative: " + phaseIndex);
            }
            Objects.requireNonNull(checkpoint, "checkpoint");
        }
    }

    /**
     * A checkpoint folder outside the run.
     *
     * @param path as written, resolved against the config file's directory
     */
    record FromPath(Path path) implements InitFrom {
        public FromPath {
            Objects.requireNonNull(path, "path");
        }
    }
}
