package io.speechsampler.djl.train;

import ai.djl.Device;
import ai.djl.MalformedModelException;
import ai.djl.Model;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.training.DefaultTrainingConfig;
import ai.djl.training.GradientCollector;
import ai.djl.training.Trainer;
import ai.djl.training.loss.Loss;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.speechsampler.api.config.ConfigException;
import io.speechsampler.api.io.AtomicFiles;
import io.speechsampler.api.io.OutputException;
import io.speechsampler.api.draw.Batch;
import io.speechsampler.api.draw.Draw;
import io.speechsampler.api.draw.DrawJson;
import io.speechsampler.api.draw.ItemDraw;
import io.speechsampler.api.draw.MixtureDraw;
import io.speechsampler.api.draw.Source;
import io.speechsampler.api.random.RandomStreams;
import io.speechsampler.api.spi.ClassMask;
import io.speechsampler.api.spi.LossWeighting;
import io.speechsampler.api.spi.Outcome;
import io.speechsampler.core.pipeline.Pipeline;
import io.speechsampler.djl.loss.GradientClipping;
import io.speechsampler.djl.loss.WeightedLoss;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.stream.Collectors;

/**
 * One training loop for every task: takes the pipeline's batches, renders them (the next batch
 * on a background thread while the current one trains), computes per-sample losses, reduces them
 * with the pipeline's loss weighting, clips the global gradient norm, steps Adam, and sends
 * per-sample {@link Outcome}s back to the pipeline after every step. It validates every
 * {@code validate_every} epochs, keeps the best checkpoint, and checkpoints model parameters,
 * Adam's moments, the pipeline's state and the position atomically; {@link #resume()} continues
 * from the latest checkpoint exactly (the next step computes the same loss as an uninterrupted
 * run, up to floating-point summation order of the engine).
 *
 * <p>Rendering is the only work off the loop's thread, and it is a pure function of the draws,
 * so the result does not depend on the thread. DJL work stays on the calling thread (DJL allows
 * one gradient collector per JVM).
 */
public final class TrainingLoop implements AutoCloseable {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String STATE_FILE = "state.json";
    private static final String PARAMS_FILE = "model.params";
    private static final String OPTIMIZER_FILE = "optimizer.bin";

    private final Pipeline pipeline;
    private final Block block;
    private final Task task;
    private final BatchRenderer renderer;
    private final TrainSettings settings;
    private final List<List<Draw>> validation;
    private final LossWeighting validationWeighting;
    private final StepListener listener;
    private final Device device;
    private final ExecutorService executor;
    private final Model model;
    private final StatefulAdam adam;
    private Trainer trainer;

    private int stepsInEpoch;
    private long steps;
    private double lastLoss = Double.NaN;
    private long skippedSteps;
    private double bestScore = Double.NaN;
    private Path bestCheckpoint;
    private Batch pending;

    private TrainingLoop(Builder b) {
        this.pipeline = b.pipeline;
        this.block = b.block;
        this.task = b.task;
        this.renderer = b.renderer;
        this.settings = b.settings;
        this.validation = List.copyOf(b.validation);
        this.validationWeighting = b.validationWeighting;
        this.listener = b.listener;
        this.device = device(settings.device());
        this.executor = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "batch-renderer");
            t.setDaemon(true);
            return t;
        });
        this.model = Model.newInstance("speech-sampler", device);
        model.setBlock(block);
        this.adam = StatefulAdam.of(settings.lr());
    }

    public static Builder builder() {
        return new Builder();
    }

    private static Device device(String choice) {
        int gpus = Engine.getInstance().getGpuCount();
        return switch (choice) {
            case "cpu" -> Device.cpu();
            case "gpu" -> {
                if (gpus == 0) {
                    throw new ConfigException("train.device is gpu but DJL sees no GPU; use auto or cpu");
                }
                yield Device.gpu();
            }
            default -> gpus > 0 ? Device.gpu() : Device.cpu();
        };
    }

    public Model model() {
        return model;
    }

    public Device device() {
        return device;
    }

    /** Steps whose gradient was not finite and whose update was therefore skipped. */
    public long skippedSteps() {
        return skippedSteps;
    }

    /** Trains from the pipeline's current position with freshly initialised parameters. */
    public TrainingSummary run() {
        return train(null);
    }

    /**
     * Continues from the latest checkpoint in {@code checkpoint_dir}: model parameters, Adam
     * state, pipeline state, position and best score.
     *
     * @throws IllegalStateException when there is no checkpoint directory or checkpoint
     */
    public TrainingSummary resume() {
        Path root = settings.checkpointDir();
        if (root == null) {
            throw new IllegalStateException("resume needs train.checkpoint_dir");
        }
        try {
            Path dir = Checkpoints.resolve(root, "latest").orElseThrow(() ->
                    new ConfigException("no checkpoint to resume in " + root + " (no 'latest' file)"));
            return train(dir);
        } catch (IOException e) {
            throw new ConfigException("cannot read checkpoint in " + root + ": " + AtomicFiles.reason(e), e);
        }
    }

    private TrainingSummary train(Path resumeFrom) {
        JsonNode state = resumeFrom == null ? null : readState(resumeFrom);
        if (state != null) {
            try {
                pipeline.restoreState(state.get("pipeline"));
            } catch (IllegalStateException e) {
                // the pipeline refuses a state it did not write (Stateful's contract): a fault of the input
                throw new ConfigException(resumeFrom.resolve(STATE_FILE) + ": " + e.getMessage(), e);
            }
            stepsInEpoch = state.get("steps_in_epoch").asInt();
            steps = state.get("steps").asLong();
            bestScore = state.get("best_score").asDouble(Double.NaN);
            bestCheckpoint = state.hasNonNull("best") ? resumeFrom.resolveSibling(state.get("best").asText()) : null;
            pending = state.hasNonNull("pending") ? DrawJson.batchFromJson(state.get("pending")) : null;
        }
        while (pipeline.epoch() < settings.epochs()) {
            trainEpoch(resumeFrom);
            resumeFrom = null;
        }
        return new TrainingSummary(pipeline.epoch(), steps, lastLoss, bestScore, bestCheckpoint);
    }

    private void trainEpoch(Path resumeFrom) {
        int limit = settings.maxStepsPerEpoch() == 0 ? Integer.MAX_VALUE : settings.maxStepsPerEpoch();
        Batch current = pending != null ? pending : nextBatch(limit);
        pending = null;
        CompletableFuture<RenderedBatch> rendering = current == null ? null : render(current);
        if (current != null) {
            ensureTrainer(join(rendering, current), resumeFrom);
        }
        while (current != null) {
            Batch next = stepsInEpoch + 1 < limit ? nextBatch(limit) : null;
            CompletableFuture<RenderedBatch> nextRendering = next == null ? null : render(next);
            long begin = System.nanoTime();
            RenderedBatch rendered = join(rendering, current);
            step(current, rendered, begin);
            stepsInEpoch++;
            current = next;
            rendering = nextRendering;
            if (settings.checkpointEvery() > 0 && steps % settings.checkpointEvery() == 0 && current != null) {
                pending = current;
                checkpoint();
                pending = null;
            }
        }
        pipeline.finishEpoch();
        stepsInEpoch = 0;
        int done = pipeline.epoch();
        if (trainer != null && settings.validateEvery() > 0 && done % settings.validateEvery() == 0
                && !validation.isEmpty()) {
            validate(done - 1);
        } else if (trainer != null) {
            checkpoint();
        }
    }

    private Batch nextBatch(int limit) {
        if (stepsInEpoch >= limit) {
            return null;
        }
        return pipeline.nextInEpoch().orElse(null);
    }

    private CompletableFuture<RenderedBatch> render(Batch b) {
        if (!settings.prefetch()) {
            return CompletableFuture.completedFuture(renderer.render(b.draws()));
        }
        return CompletableFuture.supplyAsync(() -> renderer.render(b.draws()), executor);
    }

    private static RenderedBatch join(CompletableFuture<RenderedBatch> f, Batch b) {
        try {
            RenderedBatch r = f.get();
            if (r.size() != b.size()) {
                throw new IllegalStateException("the renderer returned " + r.size() + " rows for a batch of " + b.size()
                        + " draws (epoch " + b.epoch() + ", step " + b.step() + ")");
            }
            return r;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while rendering step " + b.step(), e);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof ConfigException c) {
                throw c; // bad input found while rendering (a model that does not fit the draws): one line
            }
            throw new IllegalStateException("rendering the batch of epoch " + b.epoch() + ", step " + b.step()
                    + " failed: " + e.getCause(), e.getCause());
        }
    }

    private void ensureTrainer(RenderedBatch first, Path resumeFrom) {
        if (trainer != null) {
            return;
        }
        Shape[] shapes;
        try (NDManager tmp = model.getNDManager().newSubManager()) {
            NDList in = task.inputs(tmp, first);
            shapes = in.getShapes();
        }
        Engine.getInstance().setRandomSeed((int) RandomStreams.derive(pipeline.config().seed(), "djl/init", 0));
        if (resumeFrom != null) {
            loadModel(resumeFrom);
        }
        DefaultTrainingConfig config = new DefaultTrainingConfig(Loss.l2Loss()).optOptimizer(adam)
                .optDevices(new Device[] {device});
        trainer = model.newTrainer(config);
        trainer.initialize(shapes);
        if (resumeFrom != null) {
            loadOptimizer(resumeFrom);
        }
    }

    private void step(Batch batch, RenderedBatch rendered, long begin) {
        List<Draw> draws = batch.draws();
        BitSet live = null;
        if (task.usesMask()) {
            Optional<ClassMask> mask = pipeline.mask();
            int classes = pipeline.corpus().numSpeakers();
            live = mask.map(m -> m.liveClasses(batch.epoch(), batch.step(), classes)).orElse(null);
        }
        double loss = Double.NaN;
        double norm = Double.NaN;
        double[] losses;
        double[] metrics;
        try (NDManager scratch = trainer.getManager().newSubManager()) {
            NDList inputs = task.inputs(scratch, rendered);
            boolean update;
            try (GradientCollector collector = trainer.newGradientCollector()) {
                NDList outputs = trainer.forward(inputs);
                PerSample per = task.evaluate(outputs, batch, rendered, live, true);
                float[] l = per.loss().toFloatArray();
                losses = new double[l.length];
                for (int i = 0; i < l.length; i++) {
                    losses[i] = l[i];
                    if (!Double.isFinite(losses[i])) {
                        throw new NonFiniteLossException("loss is " + l[i] + " at epoch " + batch.epoch() + ", step "
                                + batch.step() + ", sample " + i + " ('" + outcomeId(draws.get(i)) + "')");
                    }
                }
                metrics = per.metric();
                double[] w = pipeline.weighting().weights(draws, losses, metrics);
                update = java.util.Arrays.stream(w).sum() > 0;
                if (update) {
                    var total = WeightedLoss.reduce(per.loss(), w);
                    loss = total.getFloat();
                    collector.backward(total);
                }
            }
            if (update) {
                norm = GradientClipping.clipGlobalNorm(block.getParameters(),
                        settings.clipNorm() > 0 ? settings.clipNorm() : Double.MAX_VALUE, scratch);
                if (Double.isFinite(norm)) {
                    trainer.step();
                } else {
                    // as mixed-precision grad scalers do: a step whose gradient overflowed is skipped
                    skippedSteps++;
                    System.err.printf("warning: non-finite gradient norm at epoch %d, step %d: update skipped%n",
                            batch.epoch(), batch.step());
                }
            }
        }
        List<Outcome> outcomes = new ArrayList<>(draws.size());
        for (int i = 0; i < draws.size(); i++) {
            outcomes.add(new Outcome(outcomeId(draws.get(i)), batch.epoch(), batch.step(), losses[i], metrics[i]));
        }
        pipeline.observe(outcomes);
        steps++;
        lastLoss = loss;
        if (listener != null) {
            listener.onStep(new StepReport(batch.epoch(), batch.step(), loss, mean(losses), mean(metrics), norm,
                    (System.nanoTime() - begin) / 1e9));
        }
    }

    /** An item's id, or a mixture's source ids joined with '+'. */
    static String outcomeId(Draw d) {
        if (d instanceof ItemDraw item) {
            return item.id();
        }
        return ((MixtureDraw) d).sources().stream().map(Source::id).collect(Collectors.joining("+"));
    }

    private static double mean(double[] v) {
        double s = 0;
        int n = 0;
        for (double x : v) {
            if (!Double.isNaN(x)) {
                s += x;
                n++;
            }
        }
        return n == 0 ? Double.NaN : s / n;
    }

    /**
     * Validation score of the current model, higher is better. Without a validation weighting: the
     * mean metric (SI-SNRi in dB for separation and extraction, probability of the true class for
     * classification), or minus the mean loss where the task has no metric (MixIT). With one (e.g.
     * {@code rank-weighted}, the hard-mining paper's wSI-SNR over the whole validation set): minus
     * that weighting's {@code reduce} over every validation sample's loss.
     */
    public double validationScore(int epoch) {
        double metricSum = 0;
        double lossSum = 0;
        int n = 0;
        boolean hasMetric = true;
        List<Draw> allDraws = new ArrayList<>();
        List<Double> allLosses = new ArrayList<>();
        List<Double> allMetrics = new ArrayList<>();
        for (List<Draw> draws : validation) {
            RenderedBatch r = renderer.render(draws);
            Batch b = new Batch(epoch, -1, pipeline.rank(), draws);
            try (NDManager scratch = trainer.getManager().newSubManager()) {
                NDList out = trainer.evaluate(task.inputs(scratch, r));
                PerSample per = task.evaluate(out, b, r, null, false);
                float[] l = per.loss().toFloatArray();
                for (int i = 0; i < l.length; i++) {
                    lossSum += l[i];
                    metricSum += per.metric()[i];
                    hasMetric &= !Double.isNaN(per.metric()[i]);
                    n++;
                    allDraws.add(draws.get(i));
                    allLosses.add((double) l[i]);
                    allMetrics.add(per.metric()[i]);
                }
            }
        }
        if (validationWeighting != null) {
            return -validationWeighting.reduce(allDraws, allLosses.stream().mapToDouble(Double::doubleValue).toArray(),
                    allMetrics.stream().mapToDouble(Double::doubleValue).toArray());
        }
        return hasMetric ? metricSum / n : -lossSum / n;
    }

    private void validate(int epoch) {
        double score = validationScore(epoch);
        boolean best = Double.isNaN(bestScore) || score > bestScore;
        if (best) {
            bestScore = score;
        }
        Path dir = checkpoint();
        if (best && dir != null) {
            bestCheckpoint = dir;
            try {
                Checkpoints.point(settings.checkpointDir(), "best", dir);
                writeState(dir);
                Checkpoints.prune(settings.checkpointDir(), Set.of(dir));
            } catch (IOException e) {
                throw new OutputException(dir + ": cannot mark the best checkpoint: " + AtomicFiles.reason(e), e);
            }
        }
        if (listener != null) {
            listener.onValidation(epoch, score, best);
        }
    }

    /** Writes a checkpoint when a directory is set; returns it, or null. */
    private Path checkpoint() {
        Path root = settings.checkpointDir();
        if (root == null) {
            return null;
        }
        try {
            Path dir = Checkpoints.write(root, steps, d -> {
                try (DataOutputStream out = new DataOutputStream(new BufferedOutputStream(
                        Files.newOutputStream(d.resolve(PARAMS_FILE))))) {
                    block.saveParameters(out);
                }
                try (DataOutputStream out = new DataOutputStream(new BufferedOutputStream(
                        Files.newOutputStream(d.resolve(OPTIMIZER_FILE))))) {
                    adam.save(out, block.getParameters());
                }
                writeState(d);
            });
            Checkpoints.point(root, "latest", dir);
            Set<Path> keep = new HashSet<>();
            keep.add(dir);
            if (bestCheckpoint != null) {
                keep.add(bestCheckpoint);
            }
            Checkpoints.prune(root, keep);
            return dir;
        } catch (IOException e) {
            throw new OutputException(root + ": cannot write a checkpoint: " + AtomicFiles.reason(e), e);
        }
    }

    private void writeState(Path dir) throws IOException {
        ObjectNode s = JSON.createObjectNode();
        s.put("format", "speech-sampler-checkpoint");
        s.put("version", 1);
        s.put("steps", steps);
        s.put("steps_in_epoch", stepsInEpoch);
        s.put("best_score", bestScore);
        if (bestCheckpoint != null) {
            s.put("best", bestCheckpoint.getFileName().toString());
        }
        s.set("pipeline", pipeline.saveState());
        s.set("pending", pending == null ? null : DrawJson.toJson(pending));
        Path tmp = dir.resolve(STATE_FILE + ".tmp");
        JSON.writerWithDefaultPrettyPrinter().writeValue(tmp.toFile(), s);
        Files.move(tmp, dir.resolve(STATE_FILE), java.nio.file.StandardCopyOption.REPLACE_EXISTING,
                java.nio.file.StandardCopyOption.ATOMIC_MOVE);
    }

    private static JsonNode readState(Path dir) {
        Path f = dir.resolve(STATE_FILE);
        try {
            JsonNode s = JSON.readTree(f.toFile());
            if (!"speech-sampler-checkpoint".equals(s.path("format").asText()) || s.path("version").asInt() != 1) {
                throw new ConfigException(f + " is not a version 1 speech-sampler checkpoint state");
            }
            return s;
        } catch (JsonProcessingException e) {
            throw new ConfigException(f + ": not valid JSON: " + e.getOriginalMessage(), e);
        } catch (IOException e) {
            throw new ConfigException("cannot read " + f + ": " + AtomicFiles.reason(e), e);
        }
    }

    private void loadModel(Path dir) {
        Path f = dir.resolve(PARAMS_FILE);
        try (DataInputStream in = new DataInputStream(new BufferedInputStream(Files.newInputStream(f)))) {
            block.loadParameters(model.getNDManager(), in);
        } catch (IOException e) {
            throw new ConfigException("cannot load model parameters from " + f + ": " + AtomicFiles.reason(e), e);
        } catch (MalformedModelException e) {
            throw new ConfigException("cannot load model parameters from " + f + ": not a parameter file of this "
                    + "model (" + (e.getMessage() == null ? "unreadable" : e.getMessage()) + ")", e);
        }
    }

    private void loadOptimizer(Path dir) {
        Path f = dir.resolve(OPTIMIZER_FILE);
        try (DataInputStream in = new DataInputStream(new BufferedInputStream(Files.newInputStream(f)))) {
            adam.loadState(in, block.getParameters(), model.getNDManager(), device);
        } catch (IOException e) {
            throw new ConfigException("cannot load optimizer state from " + f + ": " + AtomicFiles.reason(e), e);
        }
    }

    @Override
    public void close() {
        executor.shutdownNow();
        if (trainer != null) {
            trainer.close();
        }
        model.close();
    }

    /** Builder: pipeline, block, task, renderer and settings are required. */
    public static final class Builder {
        private Pipeline pipeline;
        private Block block;
        private Task task;
        private BatchRenderer renderer;
        private TrainSettings settings;
        private List<List<Draw>> validation = List.of();
        private LossWeighting validationWeighting;
        private StepListener listener;

        private Builder() {
        }

        public Builder setPipeline(Pipeline pipeline) {
            this.pipeline = Objects.requireNonNull(pipeline, "pipeline");
            return this;
        }

        /** The model; its parameters are initialised (or loaded on resume) by the loop. */
        public Builder setBlock(Block block) {
            this.block = Objects.requireNonNull(block, "block");
            return this;
        }

        public Builder setTask(Task task) {
            this.task = Objects.requireNonNull(task, "task");
            return this;
        }

        public Builder setRenderer(BatchRenderer renderer) {
            this.renderer = Objects.requireNonNull(renderer, "renderer");
            return this;
        }

        public Builder setSettings(TrainSettings settings) {
            this.settings = Objects.requireNonNull(settings, "settings");
            return this;
        }

        /** Validation batches, rendered by the same renderer after each validated epoch. */
        public Builder optValidation(List<List<Draw>> batches) {
            this.validation = List.copyOf(batches);
            return this;
        }

        /**
         * Model selection by a loss weighting over the whole validation set (score = minus its
         * {@code reduce}) instead of the mean metric.
         */
        public Builder optValidationWeighting(LossWeighting weighting) {
            this.validationWeighting = weighting;
            return this;
        }

        public Builder optListener(StepListener listener) {
            this.listener = listener;
            return this;
        }

        public TrainingLoop build() {
            List<String> missing = new ArrayList<>();
            if (pipeline == null) {
                missing.add("pipeline");
            }
            if (block == null) {
                missing.add("block");
            }
            if (task == null) {
                missing.add("task");
            }
            if (renderer == null) {
                missing.add("renderer");
            }
            if (settings == null) {
                missing.add("settings");
            }
            if (!missing.isEmpty()) {
                throw new IllegalStateException("TrainingLoop needs " + String.join(", ", missing));
            }
            return new TrainingLoop(this);
        }
    }
}
