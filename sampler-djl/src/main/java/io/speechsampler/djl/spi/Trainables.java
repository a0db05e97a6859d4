package io.speechsampler.djl.spi;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.speechsampler.api.config.ConfigOrigin;
import io.speechsampler.api.config.Params;
import io.speechsampler.api.config.RunConfig;
import io.speechsampler.api.corpus.Corpus;
import io.speechsampler.api.corpus.Labels;
import io.speechsampler.api.registry.Catalog;
import io.speechsampler.djl.train.Task;
import java.util.ArrayList;
import java.util.List;

/**
 * The model and task plugins, and a config's {@code model} and {@code task} sections resolved into
 * a {@link Trainable}. A config without {@code task} trains the model's default task.
 *
 * <pre>
 * model: {name: conv-tasnet, preset: tiny, sources: 4}
 * task: {name: mixit}                                  # default for conv-tasnet: separation
 * </pre>
 */
public final class Trainables {

    private final Catalog<ModelProvider> models;
    private final Catalog<TaskProvider> tasks;

    private Trainables(Catalog<ModelProvider> models, Catalog<TaskProvider> tasks) {
        this.models = models;
        this.tasks = tasks;
    }

    /** Discovers the plugins visible to {@code loader}. */
    public static Trainables load(ClassLoader loader) {
        return new Trainables(Catalog.load(ModelProvider.class, "model", loader),
                Catalog.load(TaskProvider.class, "task", loader));
    }

    /** Discovers with the context class loader (or this class's loader). */
    public static Trainables load() {
        ClassLoader cl = Thread.currentThread().getContextClassLoader();
        return load(cl != null ? cl : Trainables.class.getClassLoader());
    }

    public Catalog<ModelProvider> models() {
        return models;
    }

    public Catalog<TaskProvider> tasks() {
        return tasks;
    }

    /** Plugins that failed to load and duplicate names. */
    public List<String> problems() {
        List<String> out = new ArrayList<>(models.problems());
        out.addAll(tasks.problems());
        return out;
    }

    /** A config's sections, bound and checked, before anything is built. */
    public record Choice(ModelProvider model, Params modelParams, TaskProvider task, Params taskParams) {

        /** Whether the network must give cosine class scores. */
        public boolean cosine() {
            return task.cosineScores(taskParams, modelParams);
        }
    }

    /**
     * Binds the config's {@code model} and {@code task} sections against the plugins' parameters.
     *
     * @throws io.speechsampler.api.config.ConfigException naming the section, key and value
     */
    public Choice choose(RunConfig config) {
        return choose(config.model(), config.task(), config.origin());
    }

    public Choice choose(ObjectNode model, ObjectNode task, ConfigOrigin origin) {
        if (model.isEmpty()) {
            throw origin.error("", "missing key 'model': which network to train, e.g. {name: conv-tasnet, preset: "
                    + "tiny}; available: " + String.join(", ", models.names()));
        }
        ModelProvider m = models.find(text(model, "model", origin), origin.where("model.name"));
        Params mp = Params.bind(model, m.parameters(), origin, "model", "model '" + m.name() + "'");
        String taskName = task.isEmpty() ? m.defaultTask() : text(task, "task", origin);
        TaskProvider t = tasks.find(taskName, origin.where("task.name"));
        Params tp = Params.bind(task, t.parameters(), origin, "task", "task '" + t.name() + "'");
        return new Choice(m, mp, t, tp);
    }

    private static String text(ObjectNode section, String path, ConfigOrigin origin) {
        if (!section.hasNonNull("name") || !section.get("name").isTextual() || section.get("name").asText().isBlank()) {
            throw origin.error(path, "'" + path + "' needs a 'name' naming its provider");
        }
        return section.get("name").asText();
    }

    /**
     * Builds the network and its task. The task decides the classes when it reads a label file
     * ({@link TaskProvider#labels}, only with a corpus): the network then has one class row per
     * label, whatever {@code classes} says.
     *
     * @param sampleRate the corpus's sample rate
     * @param classes    classifier rows without a label file (the corpus's speakers, or a loaded
     *                   model's {@code model.json} classes; at least 1)
     * @param corpus     the training corpus (labels), or null when loading a trained model
     * @throws io.speechsampler.api.config.ConfigException for a section or label file that does not fit
     */
    public Trainable build(RunConfig config, int sampleRate, int classes, Corpus corpus) {
        Choice c = choose(config);
        Labels labels = corpus == null ? null : c.task().labels(c.taskParams(), corpus, config.baseDir());
        int rows = labels != null ? labels.size() : Math.max(1, classes);
        Network network = c.model().create(c.modelParams(), new ModelContext(sampleRate, rows, c.cosine()));
        TaskProvider.Setup setup = c.task().create(c.taskParams(), new TaskContext(network, corpus, sampleRate,
                config.origin(), config.baseDir(), labels));
        Network trained = setup.block() == null ? network : network.withBlock(setup.block());
        List<String> names = labels != null ? labels.names() : corpus != null ? corpus.speakers() : List.of();
        return new Trainable(c.model().name(), c.task().name(), trained, setup.task(), setup.render(), names);
    }

    /**
     * A network and what it trains for.
     *
     * @param model   the model plugin's name
     * @param task    the task plugin's name
     * @param network the network, whose block is the one to train (a task's wrapper, when it has one)
     * @param render  what the renderer must produce
     * @param classes the names of the class rows: a label file's labels, else the corpus's speakers;
     *                empty when built without a corpus
     */
    public record Trainable(String model, String task, Network network, Task loss, RenderSpec render,
                            List<String> classes) {

        public Trainable {
            classes = List.copyOf(classes);
        }

        /** One line for logs, e.g. {@code conv-tasnet (tiny, 2 outputs), task separation}. */
        public String describe() {
            return network.description() + ", task " + task;
        }
    }
}
