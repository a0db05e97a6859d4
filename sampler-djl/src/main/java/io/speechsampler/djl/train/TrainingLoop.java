package io.speechsampler.djl.train;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import ai.djl.Device;
import ai.djl.Model;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.training.DefaultTrainingConfig;
import ai.djl.training.GradientCollector;
import ai.djl.training.Trainer;
import ai.djl.training.loss.Loss;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.speechsampler.api.config.ConfigException;
import io.speechsampler.api.draw.Batch;
import io.speechsampler.api.draw.Draw;
import io.speechsampler.api.draw.DrawJson;
import io.speechsampler.api.random.RandomStreams;
import io.speechsampler.api.spi.ClassMask;
import io.speechsampler.api.corpus.Corpus;
import io.speechsampler.djl.spi.RenderSpec;
import io.speechsampler.api.spi.LossWeighting;
import io.speechsampler.api.spi.Outcome;
import io.speechsampler.api.spi.OutcomeBatch;
import io.speechsampler.api.state.BinarySideFile;
import io.speechsampler.core.pipeline.Pipeline;
import io.speechsampler.djl.loss.GradientClipping;
import io.speechsampler.djl.loss.WeightedLoss;
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

    private static final Logger LOG = LoggerFactory.getLogger(TrainingLoop.class);
    /** Whether {@link #adviseMalloc} has spoken in this JVM. */
    private static final java.util.concurrent.atomic.AtomicBoolean ADVISED = new java.util.concurrent.atomic.AtomicBoolean();

    private static final ObjectMapper JSON = new ObjectMapper();
    /** Draws per forward pass of the model in the loop. */
    private static final int INFERENCE_CHUNK = 16;

    private final Pipeline pipeline;
    private final Block block;
    private final Task task;
    private final BatchRenderer renderer;
    private final TrainSettings settings;
    private final StepListener listener;
    private final Path initialWeights;
    private final java.util.function.Predicate<String> frozen;
    private final long maxSteps;
    private final java.util.function.Predicate<List<Double>> stopRule;
    private final List<Double> validations = new ArrayList<>();
    private final ModelInTheLoop models;
    private final Validator validator;
    private final Prefetcher prefetcher;
    private boolean stopped;
    private final Device device;
    private final Model model;
    private final StatefulAdam adam;
    private Trainer trainer;

    private int stepsInEpoch;
    private long steps;
    /** This rank's planned steps (a cosine schedule's length), or -1 when nothing reads it. */
    private long plannedSteps = -1;
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
        this.listener = b.listener;
        this.initialWeights = b.initialWeights;
        this.frozen = b.frozen;
        this.maxSteps = b.maxSteps;
        this.stopRule = b.stopRule;
        this.device = device(settings.device());
        adviseMalloc(device);
        this.model = Model.newInstance("speech-sampler", device);
        model.setBlock(block);
        this.adam = StatefulAdam.of(settings.lr());
        this.models = new ModelInTheLoop(block, task, renderer, pipeline.corpus(), model.getNDManager(),
                this::ensureTrainer, b.renderers, b.renderSpec);
        pipeline.setModelAccess(models);
        this.validator = new Validator(b.validation, b.validationWeighting, renderer, task, pipeline.rank(), b.trials);
        this.prefetcher = new Prefetcher(renderer, settings.prefetch());
    }

    /**
     * On Linux with glibc, memory PyTorch frees at the end of a step is trimmed back to the system
     * and page-faulted in again on the next step unless the malloc thresholds are fixed: measured,
     * CPU steps 7-10% slower than a bare DJL loop on the same batches, about 1% with them
     * (BENCHMARKS.md, section 3c). {@code ./sampler} sets them; a trainer that embeds the loop is
     * told once.
     */
    private static void adviseMalloc(Device device) {
        if (device.isGpu() || !System.getProperty("os.name", "").startsWith("Linux")
                || System.getenv("GLIBC_TUNABLES") != null || !ADVISED.compareAndSet(false, true)) {
            return;
        }
        boolean trim = System.getenv("MALLOC_TRIM_THRESHOLD_") != null;
        boolean mmap = System.getenv("MALLOC_MMAP_THRESHOLD_") != null;
        if (!trim && !mmap) {
            LOG.info("training on the CPU: start the JVM with MALLOC_TRIM_THRESHOLD_=268435456 and "
                    + "MALLOC_MMAP_THRESHOLD_=33554432 in its environment (both) for 7-10% faster steps: glibc "
                    + "otherwise gives the memory PyTorch frees after every step back to the system and faults it "
                    + "in again");
        } else if (trim != mmap) {
            LOG.warn("only " + (trim ? "MALLOC_TRIM_THRESHOLD_" : "MALLOC_MMAP_THRESHOLD_") + " is set: glibc then "
                    + "holds the other at its small default instead of adapting it (with the trim threshold alone, CPU "
                    + "steps took twice as long); set MALLOC_TRIM_THRESHOLD_=268435456 and "
                    + "MALLOC_MMAP_THRESHOLD_=33554432 together");
        }
    }

    /** Model-in-the-loop calls this loop has answered. */
    public long modelCalls() {
        return models.calls();
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
        if (restored == null && initialWeights != null && !InitialWeights.ofRun(initialWeights)) {
            // a bare checkpoint (no run folder around it): the same network's parameters, loaded whole
            CheckpointFiles.loadParameters(block, model.getNDManager(), initialWeights);
        }
        pipeline.plan(settings.epochs(), settings.maxStepsPerEpoch());
        // known before the first step (refused here when a cosine schedule cannot know it), read by every step
        plannedSteps = plannedSteps();
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
        Path file = dir.resolve(CheckpointFiles.STATE_FILE);
        JsonNode state = CheckpointFiles.readState(file);
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
        CheckpointFiles.loadParameters(block, model.getNDManager(), dir);
        CheckpointFiles.loadOptimizer(adam, block, model.getNDManager(), device, dir);
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
        CompletableFuture<RenderedBatch> rendering = current == null ? null : prefetcher.render(current);
        if (current != null) {
            ensureTrainer(Prefetcher.join(rendering, current));
        }
        while (current != null) {
            boolean more = stepsInEpoch + 1 < limit && (maxSteps <= 0 || steps + 1 < maxSteps);
            // a batch that starts a segment is drawn after its decision, which must see this step's
            // outcomes: pull it after the step (one step without overlap per segment)
            boolean atBoundary = more && pipeline.nextStartsSegment();
            Batch next = more && !atBoundary ? nextBatch(limit) : null;
            CompletableFuture<RenderedBatch> nextRendering = next == null ? null : prefetcher.render(next);
            long begin = System.nanoTime();
            RenderedBatch rendered = Prefetcher.join(rendering, current);
            step(current, rendered, begin);
            stepsInEpoch++;
            if (atBoundary) {
                next = nextBatch(limit);
                nextRendering = next == null ? null : prefetcher.render(next);
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
            if (trainer != null && !validator.isEmpty() && settings.validateEvery() > 0) {
                validate(pipeline.epoch());
            } else if (trainer != null) {
                checkpoint();
            }
            return;
        }
        pipeline.finishEpoch();
        stepsInEpoch = 0;
        int done = pipeline.epoch();
        if (listener != null) {
            listener.onEpochEnd(done - 1);
        }
        if (trainer != null && settings.validateEvery() > 0 && done % settings.validateEvery() == 0
                && !validator.isEmpty()) {
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
        if (restored == null && initialWeights != null && InitialWeights.ofRun(initialWeights)) {
            // a phase that starts from another run's checkpoint: its weights by name and shape, a fresh optimizer
            InitialWeights.copy(block, initialWeights);
        }
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

    /**
     * This rank's planned steps, which a cosine schedule decays over: a phase's {@code end: {steps:
     * N}}, else the planned epochs' batches shared over the ranks.
     *
     * @throws ConfigException when the run's length is not known (a sampler whose epochs have no
     *                         known size, with no step budget)
     */
    private long plannedSteps() {
        if (maxSteps > 0) {
            return maxSteps;
        }
        if (!settings.lrSchedule().needsPlannedSteps()) {
            return -1;
        }
        long batches = pipeline.runPlan().plannedBatches();
        if (batches < 0) {
            throw new ConfigException("train.lr_schedule 'cosine' needs the run's planned length, but the epochs of "
                    + "this pipeline have no known size; expected a phase with end: {steps: N}, or lr_schedule: constant");
        }
        int world = pipeline.worldSize();
        return (batches + world - 1) / world;
    }

    private void step(Batch batch, RenderedBatch rendered, long begin) {
        List<Draw> draws = batch.draws();
        BitSet live = null;
        if (task.usesMask()) {
            Optional<ClassMask> mask = pipeline.mask();
            int classes = task.classes() > 0 ? task.classes() : pipeline.corpus().numSpeakers();
            live = mask.map(m -> m.liveClasses(batch, classes)).orElse(null);
        }
        double loss = Double.NaN;
        double norm = Double.NaN;
        double[] losses;
        double[] metrics;
        try (NDManager scratch = trainer.getManager().newSubManager()) {
            NDList inputs = task.inputs(scratch, rendered, live);
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
                    LOG.warn("zero gradient at epoch {}, step {}: update skipped", batch.epoch(), batch.step());
                } else if (Double.isFinite(norm)) {
                    if (!settings.lrSchedule().isConstant()) {
                        adam.setLearningRate(settings.lrSchedule().rate(settings.lr(), steps, plannedSteps));
                    }
                    trainer.step();
                } else {
                    // as mixed-precision grad scalers do: a step whose gradient overflowed is skipped
                    skippedSteps++;
                    LOG.warn("non-finite gradient norm at epoch {}, step {}: update skipped", batch.epoch(),
                            batch.step());
                }
            }
        }
        // the keys' corpus indexes looked up once here, for every observer with per-sample arrays
        pipeline.observe(OutcomeBatch.of(batch, losses, metrics).withKeyIndexes(pipeline.keyCorpus()));
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

    /** The validation score of the current model, higher is better (see {@link Validator}). */
    public double validationScore(int epoch) {
        return validator.score(trainer, epoch);
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
            CheckpointFiles.saveParameters(block, d);
            CheckpointFiles.saveOptimizer(adam, block, d);
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
        s.put("steps", steps);
        s.put("steps_in_epoch", stepsInEpoch);
        s.put("best_score", bestScore);
        var v = s.putArray("validations");
        validations.forEach(v::add);
        if (bestCheckpoint != null) {
            s.put("best", bestCheckpoint.getFileName().toString());
        }
        s.set("pipeline", BinarySideFile.externalise(pipeline.saveState(), dir, CheckpointFiles.STATE_BINARY_FILE));
        s.set("pending", pending == null ? null : DrawJson.toJson(pending));
        CheckpointFiles.writeState(dir, s);
    }

    @Override
    public void close() {
        prefetcher.close();
        models.close();
        task.close();
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
        private Trials trials;

        private Builder() {
        }

        /**
         * Validates by a trial list over the validation draws (an utterance each, in order): the score
         * is minus the EER in percent of cosine-scored embeddings (speaker models).
         */
        public Builder optValidationTrials(Trials trials) {
            this.trials = trials;
            return this;
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
