package io.speechsampler.djl.run;

import ai.djl.Model;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.training.ParameterStore;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.speechsampler.api.config.ConfigException;
import io.speechsampler.api.config.RunConfig;
import io.speechsampler.api.io.AtomicFiles;
import io.speechsampler.djl.spi.Network;
import io.speechsampler.djl.spi.Trainables;
import io.speechsampler.djl.train.CheckpointFiles;
import io.speechsampler.djl.train.Checkpoints;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * A trained network loaded from a run folder written by {@code sampler train} (of a recipe: its last
 * phase's run folder): the run's
 * {@code config.yaml} and {@code model.json} (sample rate, classes) and a checkpoint's
 * {@code model.params}. Accepts the run folder, its {@code checkpoints} folder (then the
 * {@code best} checkpoint, else {@code latest}) or one {@code step-N} folder.
 */
public final class TrainedModel implements AutoCloseable {

    /** The run folder file describing what the network was trained on. */
    public static final String MODEL_INFO = "model.json";
    /** The run folder copy of the config. */
    public static final String CONFIG = "config.yaml";

    private static final ObjectMapper JSON = new ObjectMapper();

    private final RunConfig config;
    private final Trainables.Trainable trainable;
    private final Model model;
    private final Path checkpoint;
    private final int sampleRate;
    private final List<String> classes;

    private TrainedModel(RunConfig config, Trainables.Trainable trainable, Model model, Path checkpoint,
                         int sampleRate, List<String> classes) {
        this.config = config;
        this.trainable = trainable;
        this.model = model;
        this.checkpoint = checkpoint;
        this.sampleRate = sampleRate;
        this.classes = List.copyOf(classes);
    }

    /** Writes {@code model.json} into a run folder (atomically). */
    public static void writeInfo(Path runDir, int sampleRate, List<String> classes) {
        writeInfo(runDir, sampleRate, classes, null);
    }

    /**
     * Writes {@code model.json} into a run folder (atomically), with {@code config_dir}: the folder
     * the run's config resolved its relative paths against (its file's folder), so that a reader of
     * the run's {@code config.yaml} copy finds the same files ({@link #runConfig}).
     *
     * @param configDir the config's base folder, or null for none recorded
     */
    public static void writeInfo(Path runDir, int sampleRate, List<String> classes, Path configDir) {
        ObjectNode o = JSON.createObjectNode();
        o.put("format", "speech-sampler-model");
        o.put("sample_rate", sampleRate);
        o.putArray("classes").addAll(classes.stream().map(JSON.getNodeFactory()::textNode).toList());
        if (configDir != null) {
            o.put("config_dir", configDir.toAbsolutePath().normalize().toString());
        }
        try {
            AtomicFiles.write(runDir.resolve(MODEL_INFO), JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(o));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("model info could not be written as JSON", e);
        }
    }

    /**
     * The run's {@code config.yaml} as the run read it: relative paths in it (a sampler's
     * {@code real_corpus} or {@code noise_corpus}) resolve against the {@code config_dir} that
     * {@code model.json} records, else against the run folder (runs before it was recorded).
     *
     * @throws ConfigException one line naming the file when the config is missing or unreadable
     */
    public static RunConfig runConfig(Path runDir) {
        Path file = runDir.resolve(CONFIG);
        Path base = runDir;
        if (Files.isRegularFile(runDir.resolve(MODEL_INFO))) {
            JsonNode dir = readInfo(runDir).path("config_dir");
            if (dir.isTextual()) {
                base = Path.of(dir.asText());
            }
        }
        if (!Files.isRegularFile(file)) {
            throw new ConfigException(file + ": not found; expected the config.yaml of a 'sampler train' run folder");
        }
        try {
            return RunConfig.parse(Files.readString(file), file.toString(), base);
        } catch (IOException e) {
            throw new ConfigException(file + ": cannot read: " + AtomicFiles.reason(e), e);
        }
    }

    /** The run folder's {@code model.json}; one line naming it when it is missing, unreadable or not JSON. */
    private static JsonNode readInfo(Path runDir) {
        Path infoFile = runDir.resolve(MODEL_INFO);
        try {
            return JSON.readTree(infoFile.toFile());
        } catch (IOException e) {
            throw new ConfigException(infoFile + ": cannot read model info: " + (e instanceof JsonProcessingException j
                    ? "not valid JSON: " + j.getOriginalMessage() : AtomicFiles.reason(e)), e);
        }
    }

    /** The checkpoint folder that {@code given} names (see the class comment). */
    public static Path locate(Path given) {
        if (Files.isRegularFile(given.resolve("model.params"))) {
            return given;
        }
        Path recipe = given.resolve("recipe.yaml");
        if (Files.isRegularFile(recipe) && !Files.isDirectory(given.resolve("checkpoints"))) {
            // a recipe's run folder: its last phase's run folder
            var phases = io.speechsampler.api.config.Recipe.load(recipe).phases();
            Path last = given.resolve("phases").resolve(phases.get(phases.size() - 1).folder());
            if (!Files.isDirectory(last)) {
                throw new ConfigException(given + ": the recipe's last phase (" + phases.get(phases.size() - 1).path()
                        + ") has not trained yet; name a phase's folder under " + given.resolve("phases"));
            }
            return locate(last);
        }
        Path root = Files.isDirectory(given.resolve("checkpoints")) ? given.resolve("checkpoints") : given;
        Optional<Path> p = Checkpoints.resolve(root, Checkpoints.BEST);
        if (p.isEmpty()) {
            p = Checkpoints.resolve(root, Checkpoints.LATEST);
        }
        return p.orElseThrow(() -> new ConfigException(given + ": no checkpoint found; expected a run folder "
                + "from 'sampler train', its checkpoints folder or a step-N folder with model.params"));
    }

    /** Loads the network of the checkpoint that {@code given} names. */
    public static TrainedModel load(Path given) {
        Path ckpt = locate(given);
        Path run = findUp(ckpt, CONFIG);
        RunConfig cfg = RunConfig.load(run.resolve(CONFIG));
        JsonNode info = readInfo(run);
        int rate = info.path("sample_rate").asInt();
        List<String> classes = new ArrayList<>();
        info.path("classes").forEach(c -> classes.add(c.asText()));
        Trainables.Trainable trainable = Trainables.load().build(cfg, rate, classes.size(), null);
        Block block = trainable.network().block();
        Model model = Model.newInstance("speech-sampler-eval");
        model.setBlock(block);
        NDManager m = model.getNDManager();
        block.initialize(m, DataType.FLOAT32, trainable.network().initShapes());
        try {
            CheckpointFiles.loadParameters(block, m, ckpt);
        } catch (RuntimeException e) {
            model.close();
            throw e;
        }
        return new TrainedModel(cfg, trainable, model, ckpt, rate, classes);
    }

    private static Path findUp(Path from, String file) {
        for (Path p = from.toAbsolutePath(); p != null; p = p.getParent()) {
            if (Files.isRegularFile(p.resolve(file))) {
                return p;
            }
        }
        throw new ConfigException(from + ": no " + file + " in this folder or above; expected a run folder from "
                + "'sampler train'");
    }

    /** The x-vector embedding (segment 6) of one waveform. */
    public float[] embed(float[] wave) {
        if (trainable.network().signature() != Network.Signature.CLASSIFIER) {
            throw new ConfigException("model '" + trainable.model() + "' has no speaker embedding; embed needs a "
                    + "classifier run such as xvector");
        }
        try (NDManager m = model.getNDManager().newSubManager()) {
            NDList out = model.getBlock().forward(new ParameterStore(m, false),
                    new NDList(m.create(wave, new Shape(1, wave.length))), false);
            return out.get(1).toFloatArray();
        }
    }

    public RunConfig config() {
        return config;
    }

    /** The network and its task as the run's config names them. */
    public Trainables.Trainable trainable() {
        return trainable;
    }

    public Model model() {
        return model;
    }

    public Path checkpoint() {
        return checkpoint;
    }

    public int sampleRate() {
        return sampleRate;
    }

    public List<String> classes() {
        return classes;
    }

    @Override
    public void close() {
        model.close();
    }
}
