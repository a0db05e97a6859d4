package io.speechsampler.djl.spi;

import ai.djl.nn.Block;
import io.speechsampler.api.config.Params;
import io.speechsampler.api.corpus.Corpus;
import io.speechsampler.api.corpus.Labels;
import io.speechsampler.api.spi.Named;
import io.speechsampler.djl.train.Task;
import java.nio.file.Path;

/**
 * What the loop trains for, picked by name in the config's {@code task} section. List
 * implementations in {@code META-INF/services/io.speechsampler.djl.spi.TaskProvider}.
 */
public interface TaskProvider extends Named {

    /**
     * Whether the task's head needs cosine class scores, for validated {@code params} and the
     * model's bound settings (a classification task's head defaults to the model's).
     */
    default boolean cosineScores(Params params, Params model) {
        return false;
    }

    /**
     * The classes the task trains on when it decides them itself (a label file of pseudo-labels),
     * read against the training corpus before the network is built: the network then has one class
     * row per label, and {@link TaskContext#labels()} hands them to {@link #create}. Null (the
     * default) for the corpus's speakers. Not called when a trained model is loaded (the run's
     * {@code model.json} names its classes).
     *
     * @param baseDir the directory relative paths of the config resolve against
     * @throws io.speechsampler.api.config.ConfigException one line naming the file and line of a
     *         label file that does not fit the corpus
     */
    default Labels labels(Params params, Corpus corpus, Path baseDir) {
        return null;
    }

    /**
     * The task over {@code context.network()}.
     *
     * @throws io.speechsampler.api.config.ConfigException when the network does not fit (a
     *         separator with too many outputs, a classifier for a separation task)
     */
    Setup create(Params params, TaskContext context);

    /**
     * A task, what the renderer must produce for it, and the block to train.
     *
     * @param block the network's block, or one wrapping it that holds the task's own learnable
     *              parameters (the contrastive task's scale and bias); null for the network's block
     */
    record Setup(Task task, RenderSpec render, Block block) {

        /** A task that trains the network's block as it is. */
        public Setup(Task task, RenderSpec render) {
            this(task, render, null);
        }
    }
}
