package io.speechsampler.djl.train;

import ai.djl.ndarray.NDManager;
import ai.djl.nn.Block;
import io.speechsampler.api.corpus.Corpus;
import io.speechsampler.api.draw.Draw;
import io.speechsampler.api.spi.ModelAccess;
import io.speechsampler.djl.run.FrozenModel;
import io.speechsampler.djl.run.TrainedModel;
import io.speechsampler.djl.spi.RenderSpec;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BiFunction;
import java.util.function.Consumer;

/**
 * The model in the loop ({@link ModelAccess}) as the pipeline's segmented components see it: the
 * training model in inference mode, or a frozen one loaded once per checkpoint, over draws rendered
 * by the run's renderer (or one made for another corpus), in chunks of {@value FrozenModel#CHUNK}.
 */
final class ModelInTheLoop implements ModelAccess, AutoCloseable {

    private final Block block;
    private final Task task;
    private final BatchRenderer renderer;
    private final Corpus corpus;
    private final NDManager manager;
    private final Consumer<RenderedBatch> ensureInitialised;
    private final BiFunction<Corpus, RenderSpec, BatchRenderer> renderers;
    private final RenderSpec renderSpec;
    private final Map<Path, TrainedModel> frozen = new HashMap<>();
    private long calls;

    /**
     * @param ensureInitialised initialises the training model from a rendered batch when no step has
     *                          run yet (a decision at the run's first batch comes before any step)
     * @param renderers         renderers for another corpus or a frozen model's rendering, or null
     */
    ModelInTheLoop(Block block, Task task, BatchRenderer renderer, Corpus corpus, NDManager manager,
                   Consumer<RenderedBatch> ensureInitialised, BiFunction<Corpus, RenderSpec, BatchRenderer> renderers,
                   RenderSpec renderSpec) {
        this.block = block;
        this.task = task;
        this.renderer = renderer;
        this.corpus = corpus;
        this.manager = manager;
        this.ensureInitialised = ensureInitialised;
        this.renderers = renderers;
        this.renderSpec = renderSpec;
    }

    long calls() {
        return calls;
    }

    @Override
    public float[][] apply(Corpus source, List<Draw> draws, Output output) {
        calls++;
        BatchRenderer r = source == null || source == corpus ? renderer : rendererFor(source, renderSpec);
        if (!draws.isEmpty()) {
            ensureInitialised.accept(r.render(draws.subList(0, 1)));
        }
        return FrozenModel.infer(block, task, r, draws, output, manager);
    }

    @Override
    public float[][] apply(Path checkpoint, Corpus source, List<Draw> draws, Output output) {
        calls++;
        TrainedModel tm = frozen.computeIfAbsent(checkpoint.toAbsolutePath().normalize(), TrainedModel::load);
        BatchRenderer r = rendererFor(source == null ? corpus : source, tm.trainable().render());
        return FrozenModel.infer(tm.model().getBlock(), tm.trainable().loss(), r, draws, output,
                tm.model().getNDManager());
    }

    private BatchRenderer rendererFor(Corpus source, RenderSpec spec) {
        if (renderers == null || spec == null) {
            throw new IllegalStateException("the model in the loop needs TrainingLoop.Builder.optRenderers to "
                    + "render draws of another corpus or for a frozen model");
        }
        return renderers.apply(source, spec);
    }

    @Override
    public void close() {
        frozen.values().forEach(TrainedModel::close);
    }
}
