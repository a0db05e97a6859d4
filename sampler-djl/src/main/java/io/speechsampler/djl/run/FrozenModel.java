package io.speechsampler.djl.run;

import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.training.ParameterStore;
import io.speechsampler.api.corpus.Corpus;
import io.speechsampler.api.draw.Draw;
import io.speechsampler.api.spi.ModelAccess;
import io.speechsampler.djl.train.BatchRenderer;
import io.speechsampler.djl.train.RenderedBatch;
import io.speechsampler.djl.train.Task;
import java.util.ArrayList;
import java.util.List;

/**
 * A trained model in inference mode over draws of a corpus: rows of posteriors, embeddings or
 * sources ({@link ModelAccess.Output}), in chunks of {@value #CHUNK} draws, with no gradient. Used
 * by the model in the loop for a frozen checkpoint and by recipe hooks.
 */
public final class FrozenModel implements AutoCloseable {

    /** Draws per forward pass. */
    public static final int CHUNK = 16;

    private final TrainedModel model;

    private FrozenModel(TrainedModel model) {
        this.model = model;
    }

    /** The model of a run folder, its checkpoints folder or a step folder ({@link TrainedModel#locate}). */
    public static FrozenModel load(java.nio.file.Path checkpoint) {
        return new FrozenModel(TrainedModel.load(checkpoint));
    }

    public TrainedModel trained() {
        return model;
    }

    /** One row per draw of {@code corpus}. */
    public float[][] apply(Corpus corpus, List<Draw> draws, ModelAccess.Output output) {
        BatchRenderer r = CorpusBatchRenderer.of(corpus, null, model.trainable().render(), 60);
        return infer(model.model().getBlock(), model.trainable().loss(), r, draws, output,
                model.model().getNDManager());
    }

    /** Rows of {@code block}'s outputs for {@code task}, rendered by {@code renderer}, under {@code parent}. */
    public static float[][] infer(ai.djl.nn.Block block, Task task, BatchRenderer renderer, List<Draw> draws,
                                  ModelAccess.Output output, NDManager parent) {
        List<float[]> rows = new ArrayList<>(draws.size());
        for (int i = 0; i < draws.size(); i += CHUNK) {
            RenderedBatch rendered = renderer.render(draws.subList(i, Math.min(draws.size(), i + CHUNK)));
            try (NDManager m = parent.newSubManager()) {
                NDList in = task.inputs(m, rendered);
                NDList out = block.forward(new ParameterStore(m, false), in, false);
                rows.addAll(List.of(task.infer(out, output)));
            }
        }
        return rows.toArray(new float[0][]);
    }

    @Override
    public void close() {
        model.close();
    }
}
