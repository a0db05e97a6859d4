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
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.io.JsonEOFException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.speechsampler.api.config.ConfigException;
import io.speechsampler.api.draw.Batch;
import io.speechsampler.api.draw.Draw;
import io.speechsampler.api.draw.DrawJson;
import io.speechsampler.api.io.AtomicFiles;
import io.speechsampler.api.random.RandomStreams;
import io.speechsampler.api.spi.ClassMask;
import io.speechsampler.api.spi.ModelAccess;
import io.speechsampler.api.corpus.Corpus;
import io.speechsampler.djl.spi.RenderSpec;
import io.speechsampler.api.spi.LossWeighting;
import io.speechsampler.api.spi.Outcome;
import io.speechsampler.api.state.BinarySideFile;
import io.speechsampler.core.pipeline.Pipeline;
import io.speechsampler.djl.loss.GradientClipping;
import io.speechsampler.djl.loss.WeightedLoss;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
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

/**
 * One training loop for every task: takes the pipeline's batches, renders them (the next batch
 * on a background thread while the current one trains), computes per-sample losses, reduces them
 * with the pipeline's loss weighting, clips the global gradient norm, steps Adam, and sends
 * per-sample {@link Outcome}s back to the pipeline after every step. It validates every
 * {@code validate_every} epochs, keeps the best checkpoint, and checkpoints model parameters,
 * Adam's moments, the pipeline's state and the position as whole folders ({@link Checkpoints}), so
 * a process killed at any moment leaves a complete latest checkpoint; {@link #restore()} checks and
 * loads it without writing anything, and {@link #run()} then continues exactly: the same batches
 * as an uninterrupted run, and the same next step up to the engine's floating-point summation
 * order.
 *
 * <p>The next batch is taken from the pipeline before the current one trains, except when it
 * starts a segment ({@link Pipeline#nextStartsSegment()}): then it is taken after the current
 * step's outcomes were observed, so that the segment's decision sees them.
 *
 * <p>Rendering is the only work off the loop's thread, and it is a pure function of the draws,
 * so the result does not depend on the thread. DJL work stays on the calling thread (DJL allows
 * one gradient collector per JVM).
 */
public final class TrainingLoop implements AutoCloseable {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String STATE_FILE = "state.json";
    /** The binary parts of the pipeline state (per-sample columns), beside {@link #STATE_FILE}. */
    private static final String STATE_BINARY_FILE = "state.bin";
    private static final String PARAMS_FILE = "model.params";
    private static final String OPTIMIZER_FILE = "optimizer.bin";
    /** Draws per forward pass of the model in the loop. */
    private static final int INFERENCE_CHUNK = 16;

    private final Pipeline pipeline;
    private final Block block;
    private final Task task;
    private final BatchRenderer renderer;
    private final TrainSettings settings;
    private final List<List<Draw>> validation;
    private final LossWeighting validationWeighting;
    private final StepListener listener;
    private final Path initialWeights;
    private final java.util.function.Predicate<String> frozen;
    private final long maxSteps;
    private final java.util.function.Predicate<List<Double>> stopRule;
    private final List<Double> validations = new ArrayList<>();
    private final java.util.function.BiFunction<Corpus, RenderSpec, BatchRenderer> renderers;
    private final RenderSpec renderSpec;
    private final java.util.Map<Path, io.speechsampler.djl.run.TrainedModel> frozenModels = new java.util.HashMap<>();
    /** Model-in-the-loop calls so far (for tests: a resumed run replays decisions without asking). */
    private long modelCalls;
    private boolean stopped;
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
    private ResumePoint restored;

    private TrainingLoop(Builder b) {
        this.pipeline = b.pipeline;
        this.block = b.block;
        this.task = b.task;
        this.renderer = b.renderer;
        this.settings = b.settings;
        this.validation = List.copyOf(b.validation);
        this.validationWeighting = b.validationWeighting;
        this.listener = b.listener;
        this.initialWeights = b.initialWeights;
        this.frozen = b.frozen;
        this.maxSteps = b.maxSteps;
        this.stopRule = b.stopRule;
        this.renderers = b.renderers;
        this.renderSpec = b.renderSpec;
        this.device = device(settings.device());
        this.executor = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "batch-renderer");
            t.setDaemon(true);
            return t;
        });
        this.model = Model.newInstance("speech-sampler", device);
        model.setBlock(block);
        this.adam = StatefulAdam.of(settings.lr());
        pipeline.setModelAccess(new LoopModels());
    }

    /** Model-in-the-loop calls this loop has answered. */
    public long modelCalls() {
        return modelCalls;
    }

    /**
     * The model in the loop ({@link ModelAccess}) as the pipeline's segmented components see it:
     * the training model in inference mode, or a frozen one loaded once per checkpoint, over draws
     * rendered by the run's renderer (or one made for another corpus), in chunks of 16.
     */
    private final class LoopModels implements ModelAccess {
        @Override
        public float[][] apply(Corpus corpus, List<Draw> draws, Output output) {
            modelCalls++;
            BatchRenderer r = corpus == null || corpus == pipeline.corpus() ? renderer : rendererFor(corpus, renderSpec);
            if (trainer == null && !draws.isEmpty()) {
                // a decision at the run's first batch comes before any step: initialise now
                ensureTrainer(r.render(draws.subList(0, 1)));
            }
            return infer(block, task, r, draws, output, model.getNDManager());
        }

        @Override
        public float[][] apply(Path checkpoint, Corpus corpus, List<Draw> draws, Output output) {
            modelCalls++;
            io.speechsampler.djl.run.TrainedModel tm = frozenModels.computeIfAbsent(checkpoint.toAbsolutePath()
                    .normalize(), io.speechsampler.djl.run.TrainedModel::load);
            BatchRenderer r = rendererFor(corpus == null ? pipeline.corpus() : corpus, tm.trainable().render());
            return infer(tm.model().getBlock(), tm.trainable().loss(), r, draws, output, tm.model().getNDManager());
        }

        private BatchRenderer rendererFor(Corpus corpus, RenderSpec spec) {
            if (renderers == null || spec == null) {
                throw new IllegalStateException("the model in the loop needs TrainingLoop.Builder.optRenderers to "
                        + "render draws of another corpus or for a frozen model");
            }
            return renderers.apply(corpus, spec);
        }

        private float[][] infer(Block b, Task t, BatchRenderer r, List<Draw> draws, Output output, NDManager parent) {
            List<float[]> rows = new ArrayList<>(draws.size());
            for (int i = 0; i < draws.size(); i += INFERENCE_CHUNK) {
                RenderedBatch rendered = r.render(draws.subList(i, Math.min(draws.size(), i + INFERENCE_CHUNK)));
                try (NDManager m = parent.newSubManager()) {
                    NDList in = t.inputs(m, rendered);
                    NDList out = b.forward(new ai.djl.training.ParameterStore(m, false), in, false);
                    rows.addAll(List.of(t.infer(out, output)));
                }
            }
            return rows.toArray(new float[0][]);
        }
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

    /**
     * Trains from where the loop stands: with freshly initialised parameters from the pipeline's
     * current position, or, after {@link #restore()}, from the restored checkpoint. A restored run
     * first re-points {@code best} at the checkpoint its state names and deletes checkpoints no
     * pointer names and the temporary files of a killed process.
     */
    public TrainingSummary run() {
        Path root = settings.checkpointDir();
        if (root != null && restored != null) {
            if (bestCheckpoint != null) {
                Checkpoints.point(root, Checkpoints.BEST, bestCheckpoint);
            }
            Checkpoints.prune(root, keep(restored.checkpoint()));
        } else if (root != null) {
            Checkpoints.removeTemporaries(root);
        }
        if (restored == null && initialWeights != null) {
            // a phase that starts from another's checkpoint: its weights, a fresh optimizer
            loadModel(initialWeights);
        }
        pipeline.plan(settings.epochs(), settings.maxStepsPerEpoch());
        stopped = stopped || (maxSteps > 0 && steps >= maxSteps) || (stopRule != null && stopRule.test(validations));
        while (!stopped && pipeline.epoch() < settings.epochs()) {
            trainEpoch();
        }
        return new TrainingSummary(pipeline.epoch(), steps, lastLoss, bestScore, bestCheckpoint);
    }

    /**
     * {@link #restore()}, then {@link #run()}.
     *
     * @throws ConfigException when there is no checkpoint, or it is damaged
     */
    public TrainingSummary resume() {
        if (restore().isEmpty()) {
            throw new ConfigException(settings.checkpointDir().resolve(Checkpoints.LATEST)
                    + ": not found; expected a checkpoint to resume");
        }
        return run();
    }

    /**
     * Loads the latest checkpoint in {@code checkpoint_dir} (model parameters, Adam state,
     * pipeline state, position, best score) and checks it, writing nothing: a refused checkpoint
     * leaves the run folder as it was (close the loop then; its pipeline may be half restored).
     * Empty when there is no checkpoint yet ({@code latest} does not exist).
     *
     * @throws ConfigException       naming the file and what was expected, for a damaged checkpoint
     *                               ({@code latest} naming a missing checkpoint, {@code state.json}
     *                               truncated, a field missing or out of range, a pipeline state
     *                               this pipeline refuses, {@code state.bin} (the state's binary
     *                               parts) missing, truncated or failing its CRC32 check,
     *                               {@code model.params} or {@code optimizer.bin} missing or
     *                               truncated)
     * @throws IllegalStateException without a checkpoint directory, or after training started
     */
    public Optional<ResumePoint> restore() {
        Path root = settings.checkpointDir();
        if (root == null) {
            throw new IllegalStateException("restore needs train.checkpoint_dir");
        }
        if (trainer != null || restored != null) {
            throw new IllegalStateException("restore() comes before training, once");
        }
        Optional<Path> latest = Checkpoints.resolve(root, Checkpoints.LATEST);
        if (latest.isEmpty()) {
            return Optional.empty();
        }
        Path dir = latest.get();
        Path file = dir.resolve(STATE_FILE);
        JsonNode state = readState(file);
        long savedSteps = count(state, "steps", file);
        long savedInEpoch = count(state, "steps_in_epoch", file);
        JsonNode score = state.get("best_score");
        if (score == null) {
            throw new ConfigException(file + ": missing 'best_score'; expected a number or \"NaN\"");
        }
        if (!(score.isNumber() || score.isNull() || "NaN".equals(score.asText()))) {
            throw new ConfigException(file + ": 'best_score' must be a number or \"NaN\", got " + score);
        }
        Path best = null;
        if (state.hasNonNull("best")) {
            String name = state.get("best").asText();
            best = root.resolve(name);
            if (!Checkpoints.isCheckpointName(name) || !Files.isDirectory(best)) {
                throw new ConfigException(file + ": 'best' names checkpoint '" + name + "', which does not exist "
                        + "(expected a step-NNNNNNNNNN folder beside it)");
            }
        }
        Batch savedPending = null;
        if (state.hasNonNull("pending")) {
            try {
                savedPending = DrawJson.batchFromJson(state.get("pending"));
            } catch (IllegalArgumentException e) {
                throw new ConfigException(file + ": 'pending': " + e.getMessage());
            }
        }
        // the components see the run's plan in a replayed epoch too (the state's own plan wins there)
        pipeline.plan(settings.epochs(), settings.maxStepsPerEpoch());
        JsonNode pipelineState = BinarySideFile.internalise(state.get("pipeline"), dir);
        try {
            pipeline.restoreState(pipelineState);
        } catch (IllegalStateException e) {
            // the documented refusal of a state (Stateful, Pipeline.restoreState)
            throw new ConfigException(file + ": the pipeline state is refused: " + e.getMessage(), e);
        }
        int taken = savedPending == null ? 0 : 1;
        if (pipeline.epoch() > settings.epochs()) {
            throw new ConfigException(file + ": the pipeline is at epoch " + pipeline.epoch() + ", past the run's "
                    + settings.epochs() + " epochs (train.epochs); expected at most " + settings.epochs());
        }
        if (pipeline.step() != savedSteps + taken || pipeline.positionInEpoch() != savedInEpoch + taken) {
            throw new ConfigException(file + ": 'steps' " + savedSteps + " and 'steps_in_epoch' " + savedInEpoch
                    + " do not match the pipeline's step " + pipeline.step() + " and position "
                    + pipeline.positionInEpoch() + "; expected them equal" + (taken == 1 ? " less the pending batch" : ""));
        }
        if (savedPending != null && (savedPending.epoch() != pipeline.epoch() || savedPending.step() != savedSteps)) {
            throw new ConfigException(file + ": the pending batch is epoch " + savedPending.epoch() + ", step "
                    + savedPending.step() + "; expected epoch " + pipeline.epoch() + ", step " + savedSteps);
        }
        loadModel(dir);
        loadOptimizer(dir);
        validations.clear();
        state.path("validations").forEach(x -> validations.add(x.asDouble(Double.NaN)));
        steps = savedSteps;
        stepsInEpoch = (int) savedInEpoch;
        bestScore = score.asDouble(Double.NaN);
        bestCheckpoint = best;
        pending = savedPending;
        restored = new ResumePoint(dir, savedSteps, pipeline.epoch());
        return Optional.of(restored);
    }

    private Set<Path> keep(Path latest) {
        Set<Path> keep = new HashSet<>();
        keep.add(latest);
        if (bestCheckpoint != null) {
            keep.add(bestCheckpoint);
        }
        return keep;
    }

    /** A whole number >= 0 under {@code key} of a state file, or an error naming both. */
    private static long count(JsonNode state, String key, Path file) {
        JsonNode n = state.get(key);
        if (n == null || n.isNull()) {
            throw new ConfigException(file + ": missing '" + key + "'; expected a whole number >= 0");
        }
        if (!n.isIntegralNumber() || !n.canConvertToLong() || n.longValue() < 0) {
            throw new ConfigException(file + ": '" + key + "' must be a whole number >= 0, got " + n);
        }
        return n.longValue();
    }

    private void trainEpoch() {
        int limit = settings.maxStepsPerEpoch() == 0 ? Integer.MAX_VALUE : settings.maxStepsPerEpoch();
        Batch current = pending != null ? pending : nextBatch(limit);
        pending = null;
        CompletableFuture<RenderedBatch> rendering = current == null ? null : render(current);
        if (current != null) {
            ensureTrainer(join(rendering, current));
        }
        while (current != null) {
            boolean more = stepsInEpoch + 1 < limit && (maxSteps <= 0 || steps + 1 < maxSteps);
            // a batch that starts a segment is drawn after its decision, which must see this step's
            // outcomes: pull it after the step (one step without overlap per segment)
            boolean atBoundary = more && pipeline.nextStartsSegment();
            Batch next = more && !atBoundary ? nextBatch(limit) : null;
            CompletableFuture<RenderedBatch> nextRendering = next == null ? null : render(next);
            long begin = System.nanoTime();
            RenderedBatch rendered = join(rendering, current);
            step(current, rendered, begin);
            stepsInEpoch++;
            if (atBoundary) {
                next = nextBatch(limit);
                nextRendering = next == null ? null : render(next);
            }
            current = next;
            rendering = nextRendering;
            if (settings.checkpointEvery() > 0 && steps % settings.checkpointEvery() == 0 && current != null) {
                pending = current;
                checkpoint();
                pending = null;
            }
        }
        if (maxSteps > 0 && steps >= maxSteps) {
            // the run's step budget is spent (a phase's end: {steps: N}), maybe inside the epoch:
            // validate there when the run validates, checkpoint, and stop
            stopped = true;
            if (trainer != null && !validation.isEmpty() && settings.validateEvery() > 0) {
                validate(pipeline.epoch());
            } else if (trainer != null) {
                checkpoint();
            }
            return;
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
            if (r.draws() != b.size()) {
                throw new IllegalStateException("the renderer returned " + r.size() + " rows of " + r.views()
                        + " view(s) per draw for a batch of " + b.size() + " draws (epoch " + b.epoch() + ", step "
                        + b.step() + ")");
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

    private void ensureTrainer(RenderedBatch first) {
        if (trainer != null) {
            return;
        }
        Shape[] shapes;
        try (NDManager tmp = model.getNDManager().newSubManager()) {
            NDList in = task.inputs(tmp, first);
            shapes = in.getShapes();
        }
        Engine.getInstance().setRandomSeed((int) RandomStreams.derive(pipeline.config().seed(), "djl/init", 0));
        DefaultTrainingConfig config = new DefaultTrainingConfig(Loss.l2Loss()).optOptimizer(adam)
                .optDevices(new Device[] {device});
        trainer = model.newTrainer(config);
        // parameters restore() loaded are kept; the others are initialised
        trainer.initialize(shapes);
        if (frozen != null) {
            int trainable = 0;
            for (var p : block.getParameters()) {
                if (frozen.test(p.getKey())) {
                    p.getValue().freeze(true);
                } else {
                    trainable++;
                }
            }
            if (trainable == 0) {
                throw new ConfigException("freeze: every parameter of the model is frozen, so nothing would train; "
                        + "expected patterns that leave some parameters out (names such as "
                        + block.getParameters().get(0).getKey() + ")");
            }
        }
    }

    private void step(Batch batch, RenderedBatch rendered, long begin) {
        List<Draw> draws = batch.draws();
        BitSet live = null;
        if (task.usesMask()) {
            Optional<ClassMask> mask = pipeline.mask();
            int classes = task.classes() > 0 ? task.classes() : pipeline.corpus().numSpeakers();
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
                                + batch.step() + ", sample " + i + " ('" + draws.get(i).key() + "')");
                    }
                }
                metrics = per.metric();
                double[] w = pipeline.weigh(draws, losses, metrics);
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
                if (norm == 0) {
                    // Nothing to apply, and DJL's Trainer.step refuses all-zero gradients. It happens when
                    // every sample's loss is constant in the weights: under mixture consistency MixIT's
                    // trivial assignment (all outputs to one mixture) remixes to exactly the input.
                    skippedSteps++;
                    System.err.printf("warning: zero gradient at epoch %d, step %d: update skipped%n",
                            batch.epoch(), batch.step());
                } else if (Double.isFinite(norm)) {
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
            outcomes.add(new Outcome(draws.get(i), batch.epoch(), batch.step(), batch.globalIndex(), losses[i],
                    metrics[i]));
        }
        pipeline.observe(outcomes);
        steps++;
        lastLoss = loss;
        if (listener != null) {
            listener.onStep(new StepReport(batch.epoch(), batch.step(), loss, mean(losses), mean(metrics), norm,
                    (System.nanoTime() - begin) / 1e9, batch));
        }
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
            Batch b = new Batch(epoch, -1, -1, pipeline.rank(), draws);
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

    /**
     * Validates, reports the score, then checkpoints: a validation line written before its
     * checkpoint is one a resume from an earlier checkpoint knows to drop, and the checkpoint's
     * state names itself as {@code best} when it is, so the state is written once.
     */
    private void validate(int epoch) {
        double score = validationScore(epoch);
        validations.add(score);
        if (stopRule != null && stopRule.test(validations)) {
            stopped = true;
        }
        boolean best = Double.isNaN(bestScore) || score > bestScore;
        if (listener != null) {
            listener.onValidation(epoch, score, best);
        }
        if (best) {
            bestScore = score;
            if (settings.checkpointDir() != null) {
                bestCheckpoint = settings.checkpointDir().resolve(Checkpoints.name(steps));
            }
        }
        checkpoint();
    }

    /**
     * Writes a checkpoint when a directory is set (whole, then {@code latest}, then {@code best}
     * when it is the best) and deletes the ones no pointer names; returns it, or null.
     */
    private Path checkpoint() {
        Path root = settings.checkpointDir();
        if (root == null) {
            return null;
        }
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
        Checkpoints.point(root, Checkpoints.LATEST, dir);
        if (dir.equals(bestCheckpoint)) {
            Checkpoints.point(root, Checkpoints.BEST, dir);
        }
        Checkpoints.prune(root, keep(dir));
        return dir;
    }

    private void writeState(Path dir) throws IOException {
        ObjectNode s = JSON.createObjectNode();
        s.put("format", "speech-sampler-checkpoint");
        s.put("version", 1);
        s.put("steps", steps);
        s.put("steps_in_epoch", stepsInEpoch);
        s.put("best_score", bestScore);
        var v = s.putArray("validations");
        validations.forEach(v::add);
        if (bestCheckpoint != null) {
            s.put("best", bestCheckpoint.getFileName().toString());
        }
        s.set("pipeline", BinarySideFile.externalise(pipeline.saveState(), dir, STATE_BINARY_FILE));
        s.set("pending", pending == null ? null : DrawJson.toJson(pending));
        AtomicFiles.write(dir.resolve(STATE_FILE), JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(s));
    }

    /** A checkpoint's state file, read whole and checked for its format. */
    private static JsonNode readState(Path f) {
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(f);
        } catch (NoSuchFileException e) {
            throw new ConfigException(f + ": not found; expected the checkpoint's state (the checkpoint is damaged)");
        } catch (IOException e) {
            throw new ConfigException(f + ": cannot read: " + AtomicFiles.reason(e), e);
        }
        JsonNode s;
        try (JsonParser p = JSON.createParser(bytes)) {
            s = JSON.readTree(p);
            if (s != null && p.nextToken() != null) {
                throw new ConfigException(f + ": has text after the state at line " + p.currentLocation().getLineNr()
                        + "; expected one JSON document as 'sampler train' writes it");
            }
        } catch (JsonProcessingException e) {
            var at = e.getLocation();
            String where = at == null ? "" : " at line " + at.getLineNr() + ", column " + at.getColumnNr();
            boolean atEnd = e instanceof JsonEOFException || (at != null && at.getByteOffset() >= bytes.length)
                    || String.valueOf(e.getOriginalMessage()).contains("end-of-input");
            throw new ConfigException(f + ": " + (atEnd ? "ends early" : "is not valid JSON")
                    + where + " (truncated or damaged); expected the whole state 'sampler train' writes", e);
        } catch (IOException e) {
            throw new ConfigException(f + ": cannot read: " + AtomicFiles.reason(e), e);
        }
        if (s == null || !s.isObject()) {
            throw new ConfigException(f + ": is empty or not a JSON map; expected the state 'sampler train' writes");
        }
        if (!"speech-sampler-checkpoint".equals(s.path("format").asText()) || s.path("version").asInt() != 1) {
            throw new ConfigException(f + ": not a version 1 speech-sampler checkpoint state; expected "
                    + "\"format\": \"speech-sampler-checkpoint\" and \"version\": 1");
        }
        return s;
    }

    private void loadModel(Path dir) {
        Path f = dir.resolve(PARAMS_FILE);
        try (DataInputStream in = new DataInputStream(new BufferedInputStream(Files.newInputStream(f)))) {
            block.loadParameters(model.getNDManager(), in);
        } catch (NoSuchFileException e) {
            throw new ConfigException(f + ": not found; expected the checkpoint's model parameters");
        } catch (IOException | MalformedModelException e) {
            throw new ConfigException(f + ": cannot load model parameters (" + damage(e) + "); expected the "
                    + "parameters 'sampler train' writes for this model", e);
        }
    }

    private void loadOptimizer(Path dir) {
        Path f = dir.resolve(OPTIMIZER_FILE);
        try (DataInputStream in = new DataInputStream(new BufferedInputStream(Files.newInputStream(f)))) {
            adam.loadState(in, block.getParameters(), model.getNDManager(), device);
        } catch (NoSuchFileException e) {
            throw new ConfigException(f + ": not found; expected the checkpoint's optimizer state (Adam moments)");
        } catch (IOException e) {
            throw new ConfigException(f + ": cannot load the optimizer state (" + damage(e) + "); expected the "
                    + "Adam moments 'sampler train' writes for this model", e);
        }
    }

    /** What is wrong with a file that did not load, in words. */
    private static String damage(Exception e) {
        if (e instanceof EOFException) {
            return "it ends early: truncated";
        }
        if (e instanceof FileSystemException fs) {
            return AtomicFiles.reason(fs);
        }
        String m = e.getMessage();
        return m == null || m.isBlank() ? "damaged" : m;
    }

    @Override
    public void close() {
        executor.shutdownNow();
        frozenModels.values().forEach(io.speechsampler.djl.run.TrainedModel::close);
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
        private Path initialWeights;
        private java.util.function.Predicate<String> frozen;
        private long maxSteps;
        private java.util.function.Predicate<List<Double>> stopRule;
        private java.util.function.BiFunction<Corpus, RenderSpec, BatchRenderer> renderers;
        private RenderSpec renderSpec;

        private Builder() {
        }

        /**
         * How the model in the loop renders draws of another corpus (an enrolment set) or for a
         * frozen model: a renderer per corpus and rendering; {@code trainingRender} is the training
         * task's rendering.
         */
        public Builder optRenderers(java.util.function.BiFunction<Corpus, RenderSpec, BatchRenderer> renderers,
                                    RenderSpec trainingRender) {
            this.renderers = renderers;
            this.renderSpec = trainingRender;
            return this;
        }

        /**
         * Starts a fresh run (not a resumed one) from the parameters of this checkpoint folder
         * ({@code model.params}), with a fresh optimizer: a phase's {@code init_from}.
         */
        public Builder optInitialWeights(Path checkpoint) {
            this.initialWeights = checkpoint;
            return this;
        }

        /** Parameters whose names (as {@code Block.getParameters()} gives them) this accepts are not trained. */
        public Builder optFrozen(java.util.function.Predicate<String> frozen) {
            this.frozen = frozen;
            return this;
        }

        /** Ends the run after this many optimizer steps in all (0: no limit), with a checkpoint. */
        public Builder optMaxSteps(long steps) {
            this.maxSteps = steps;
            return this;
        }

        /**
         * Ends the run at a validation for which this accepts the validation scores so far (in
         * order, larger is better), e.g. loss-gated learning's patience rule.
         */
        public Builder optStopRule(java.util.function.Predicate<List<Double>> rule) {
            this.stopRule = rule;
            return this;
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
