package io.speechsampler.api.spi;

import io.speechsampler.api.config.ConfigException;
import io.speechsampler.api.corpus.Corpus;
import io.speechsampler.api.draw.Draw;
import java.nio.file.Path;
import java.util.List;

/**
 * The model in the loop: what a {@link Segmented} component may ask the run for inside
 * {@link Segmented#decide} (so at a segment boundary, between two optimizer steps, on every rank
 * alike). It runs a model in inference mode over draws it names (a whole corpus, an enrolment set)
 * and returns one row per draw. The decision the component makes from the rows is what the
 * pipeline's state logs, so a resumed run replays the decision and never asks again.
 *
 * <p>Under {@code sampler plan} and in tests without a trainer there is no model: {@link #NONE}
 * refuses with a message naming the component.
 */
public interface ModelAccess {

    /** What a row holds. */
    enum Output {
        /** class posteriors (softmax of the head's logits without margins), one per class */
        POSTERIORS,
        /** the speaker embedding */
        EMBEDDINGS,
        /** separated sources, row-major (outputs x samples) */
        SOURCES
    }

    /**
     * Runs the model that is training, in inference mode (no gradient, no update), over
     * {@code draws} of {@code corpus} (the training corpus when null).
     *
     * @throws ConfigException when the model has no such output (posteriors of a separator)
     */
    float[][] apply(Corpus corpus, List<Draw> draws, Output output);

    /** As {@link #apply(Corpus, List, Output)}, with a frozen model loaded from a checkpoint (a teacher). */
    float[][] apply(Path checkpoint, Corpus corpus, List<Draw> draws, Output output);

    /** No model: every call is refused. */
    ModelAccess NONE = new ModelAccess() {
        @Override
        public float[][] apply(Corpus corpus, List<Draw> draws, Output output) {
            throw refused();
        }

        @Override
        public float[][] apply(Path checkpoint, Corpus corpus, List<Draw> draws, Output output) {
            throw refused();
        }

        private ConfigException refused() {
            return new ConfigException("this component runs the model in the loop, which only 'sampler train' (or a "
                    + "TrainingLoop) provides; 'plan' and samplers without a trainer have no model");
        }
    };
}
