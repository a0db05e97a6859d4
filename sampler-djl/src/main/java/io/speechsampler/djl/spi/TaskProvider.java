package io.speechsampler.djl.spi;

import io.speechsampler.api.config.Params;
import io.speechsampler.api.spi.Named;
import io.speechsampler.djl.train.Task;

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
     * The task over {@code context.network()}.
     *
     * @throws io.speechsampler.api.config.ConfigException when the network does not fit (a
     *         separator with too many outputs, a classifier for a separation task)
     */
    Setup create(Params params, TaskContext context);

    /** A task and what the renderer must produce for it. */
    record Setup(Task task, RenderSpec render) {
    }
}
