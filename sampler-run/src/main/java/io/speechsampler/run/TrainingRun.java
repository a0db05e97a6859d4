package io.speechsampler.run;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import io.speechsampler.api.io.AtomicFiles;
import io.speechsampler.api.io.TextLines;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.speechsampler.api.config.ComponentConfig;
import io.speechsampler.api.config.ConfigException;
import io.speechsampler.api.config.RunConfig;
import io.speechsampler.api.corpus.Corpus;
import io.speechsampler.api.corpus.CorpusReader;
import io.speechsampler.api.corpus.Utterance;
import io.speechsampler.api.draw.Batch;
import io.speechsampler.api.draw.Draw;
import io.speechsampler.api.draw.DrawJson;
import io.speechsampler.api.registry.ProviderRegistry;
import io.speechsampler.api.spi.BuildContext;
import io.speechsampler.api.spi.LossWeighting;
import io.speechsampler.core.pipeline.Pipeline;
import io.speechsampler.djl.run.CorpusBatchRenderer;
import io.speechsampler.djl.run.TrainedModel;
import io.speechsampler.djl.spi.Trainables;
import io.speechsampler.run.validation.Protocol;
import io.speechsampler.djl.train.Checkpoints;
import io.speechsampler.djl.train.ResumePoint;
import io.speechsampler.djl.train.StepListener;
import io.speechsampler.djl.train.StepReport;
import io.speechsampler.djl.train.TrainSettings;
import io.speechsampler.djl.train.TrainingLoop;
import io.speechsampler.djl.train.TrainingSummary;
import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import me.tongfei.progressbar.ProgressBar;

/**
 * One {@code train} run: config + corpus → pipeline, renderer, model and loop; writes
 * {@code config.yaml}, {@code model.json}, {@code checkpoints/}, {@code metrics.jsonl},
 * {@code batches.jsonl} and a loss plot into the run folder. A resume checks the run's config and
 * checkpoint before it changes anything, then cuts both logs back to the checkpoint, so that they
 * hold every step once however the previous process ended.
 */
public final class TrainingRun {

    private static final Logger LOG = LoggerFactory.getLogger(TrainingRun.class);

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final YAMLMapper YAML = new YAMLMapper();

    /** One JSON line per step and per validation. */
    public static final String METRICS = "metrics.jsonl";
    /** One JSON line per step: the batch it trained, as {@code plan} writes it. */
    public static final String BATCHES = "batches.jsonl";

    /** The fixed validation draws of a protocol, one JSON line each with its condition. */
    public static final String VALIDATION = "validation.jsonl";

    /** Mixtures or items validated each epoch, at most (without a protocol). */
    public static final int MAX_VALIDATION_BATCHES = 16;

    private TrainingRun() {
    }

    /** What a finished run left behind. */
    public record Result(Path runDir, TrainingSummary summary, Trainables.Trainable trainable) {
    }

    /**
     * How a phase of a recipe differs from a plain run.
     *
     * @param initialWeights a checkpoint folder whose parameters a fresh start loads (not a resume), or null
     * @param frozen         parameter names not trained, or null
     * @param maxSteps       optimizer steps after which the run ends (0: none)
     * @param stopRule       ends the run at a validation for which it accepts the scores so far, or null
     * @param listener       told of every step and validation after the run's own logs (a trainer's
     *                       dashboard, a benchmark's hand-off), on the loop's thread, or null
     */
    public record Options(Path initialWeights, java.util.function.Predicate<String> frozen, long maxSteps,
                          java.util.function.Predicate<List<Double>> stopRule, StepListener listener) {
        /** A plain run. */
        public static final Options NONE = new Options(null, null, 0, null);

        public Options(Path initialWeights, java.util.function.Predicate<String> frozen, long maxSteps,
                       java.util.function.Predicate<List<Double>> stopRule) {
            this(initialWeights, frozen, maxSteps, stopRule, null);
        }

        /** These options with {@code extra} told of every step after the run's own logs. */
        public Options withListener(StepListener extra) {
            return new Options(initialWeights, frozen, maxSteps, stopRule, extra);
        }
    }

    public static Result train(RunConfig cfg, Path valid, Path runDir, boolean resume) throws IOException {
        return train(cfg, valid, runDir, resume, Options.NONE);
    }

    public static Result train(RunConfig cfg, Path valid, Path runDir, boolean resume, Options options)
            throws IOException {
        Trainables trainables = Trainables.load();
        trainables.problems().forEach(LOG::warn);
        trainables.choose(cfg);
        TrainSettings settings = TrainSettings.fromConfig(cfg).withCheckpointDir(runDir.resolve("checkpoints"));
        Path configFile = runDir.resolve(TrainedModel.CONFIG);
        if (!resume && Files.isRegularFile(configFile) && hasTrained(runDir)) {
            throw new ConfigException(runDir + ": already holds a run; pass --resume to continue it or choose "
                    + "another --out");
        }
        if (resume) {
            checkSameRun(configFile, cfg, settings);
        }
        Corpus corpus = CorpusReader.read(cfg.corpusPath());
        ProviderRegistry registry = ProviderRegistry.load();
        registry.problems().forEach(LOG::warn);
        Pipeline pipeline = Pipeline.build(cfg, corpus, registry, 0, 1);
        Corpus validCorpus = valid == null ? null : CorpusReader.read(valid);
        Trainables.Trainable trainable = trainables.build(cfg, corpus.sampleRate(), corpus.numSpeakers(), corpus);
        Optional<Protocol> protocol = Protocol.of(cfg);
        List<List<Draw>> validation;
        Protocol.Fixed fixed = null;
        if (validCorpus == null) {
            validation = List.of();
            protocol.ifPresent(p -> LOG.warn(cfg.origin().file() + ": 'validation' names a "
                    + "protocol but no --valid corpus was given: nothing is validated"));
        } else if (protocol.isPresent()) {
            fixed = protocol.get().draw(validCorpus, trainable.render(), validCorpus.source() + ": ");
            validation = fixed.batches();
        } else {
            validation = fixedBatches(cfg, validCorpus, registry, 1, MAX_VALIDATION_BATCHES);
        }
        // the key corpus: the training corpus, then a curriculum's real_corpus (ids real:ID)
        Corpus renderCorpus = validCorpus == null ? pipeline.keyCorpus() : union(pipeline.keyCorpus(), validCorpus);
        Corpus noise = noiseCorpus(cfg);
        CorpusBatchRenderer renderer = CorpusBatchRenderer.of(renderCorpus, noise, trainable.render(),
                Math.min(3600, 2 * totalSeconds(renderCorpus)));

        // -1: a segmented epoch whose size is not known in advance (its draws depend on outcomes)
        int perEpoch = pipeline.batchesInEpoch();
        if (settings.maxStepsPerEpoch() > 0 && perEpoch >= 0) {
            perEpoch = Math.min(perEpoch, settings.maxStepsPerEpoch());
        }
        if (options.maxSteps() > 0 && perEpoch > 0) {
            // an end rule of N steps trains N steps: the run plans the epochs they take, whatever
            // train.epochs says (as {epochs: N} sets them), so pacing sees the phase's real length
            long needed = (options.maxSteps() + perEpoch - 1) / perEpoch;
            settings = settings.withEpochs((int) Math.min(Integer.MAX_VALUE, needed));
        }
        long total = perEpoch < 0 ? -1 : (long) perEpoch * settings.epochs();
        Path metrics = runDir.resolve(METRICS);
        Path batches = runDir.resolve(BATCHES);
        Path lossPlot = runDir.resolve("report/loss.png");
        TrainingSummary summary;
        RunLogListener logs = new RunLogListener(metrics, batches, RunRecords.epochReports(pipeline));
        RunRecords records = RunRecords.of(pipeline, runDir, logs); // drops.jsonl and the like, beside the logs
        try (TrainingLoop loop = TrainingLoop.builder().setPipeline(pipeline)
                .setBlock(trainable.network().block())
                .setTask(trainable.loss()).setRenderer(renderer).setSettings(settings)
                .optValidation(validation).optValidationWeighting(validationWeighting(cfg, settings, corpus,
                        registry))
                .optValidationTrials(fixed == null ? null : fixed.trials())
                .optListener(options.listener() == null ? records : StepListener.both(records, options.listener()))
                .optRenderers((c, spec) -> CorpusBatchRenderer.of(c, noise, spec, Math.min(600, 2 * totalSeconds(c))),
                        trainable.render())
                .optInitialWeights(options.initialWeights()).optFrozen(options.frozen())
                .optMaxSteps(options.maxSteps()).optStopRule(options.stopRule()).build()) {
            // everything a resume reads is checked before anything in the run folder changes
            Optional<ResumePoint> from = resume ? loop.restore() : Optional.empty();
            long doneSteps = from.map(ResumePoint::steps).orElse(0L);
            int doneEpochs = from.map(ResumePoint::epoch).orElse(0);
            // step lines by their step; validation and epoch-report lines by their epoch
            long keepMetrics = RunLog.kept(metrics, o -> o.path("type").asText().equals("step")
                    ? o.path("step").asLong(Long.MAX_VALUE) < doneSteps
                    : o.path("epoch").asLong(Long.MAX_VALUE) < doneEpochs);
            long keepBatches = RunLog.kept(batches, o -> o.path("step").asLong(Long.MAX_VALUE) < doneSteps);
            records.keepBefore(doneSteps);

            Files.createDirectories(runDir);
            for (Path out : List.of(configFile, runDir.resolve(TrainedModel.MODEL_INFO), metrics, batches, lossPlot)) {
                AtomicFiles.removeTemporaries(out);
            }
            String yaml = cfg.toYaml();
            if (!Files.isRegularFile(configFile) || !Files.readString(configFile).equals(yaml)) {
                AtomicFiles.writeString(configFile, yaml);
            }
            // the class rows' names: the corpus's speakers, or a label file's labels
            TrainedModel.writeInfo(runDir, corpus.sampleRate(), trainable.classes(), cfg.baseDir());
            if (fixed != null) {
                writeValidation(runDir.resolve(VALIDATION), fixed);
            }
            RunLog.cutTo(metrics, keepMetrics);
            RunLog.cutTo(batches, keepBatches);
            records.open();
            String where = from.map(f -> "; resuming at step " + f.steps() + " (epoch " + f.epoch() + ") from "
                    + f.checkpoint().getFileName()).orElse(resume ? "; no checkpoint yet, starting at step 0" : "");
            LOG.info("train: " + trainable.describe() + " on " + loop.device() + ", "
                    + corpus.size() + " utterances, " + (perEpoch < 0 ? "an unknown number of" : perEpoch)
                    + " steps per epoch, " + settings.epochs()
                    + " epochs; run folder " + runDir + where);
            // total -1: a bar without a total (progressbar's indefinite mode)
            long done = total < 0 ? doneSteps : Math.min(doneSteps, total);
            try (ProgressBar bar = Progress.bar("train", total, "steps", done)) {
                logs.start(bar);
                summary = loop.run();
                if (total >= 0) {
                    bar.stepTo(bar.getMax());
                }
            } finally {
                logs.close();
                records.close();
            }
        }
        plotLoss(metrics, lossPlot);
        return new Result(runDir, summary, trainable);
    }

    /**
     * True when the folder holds a run that trained: a checkpoint or a logged step. A start that
     * was refused before its first step (a model that does not fit the draws, say) leaves only its
     * config behind, and a corrected config may start there afresh.
     */
    public static boolean hasTrained(Path runDir) throws IOException {
        Path metrics = runDir.resolve(METRICS);
        return Files.exists(runDir.resolve("checkpoints").resolve(Checkpoints.LATEST))
                || (Files.isRegularFile(metrics) && Files.size(metrics) > 0);
    }

    /**
     * A resume continues the run in the folder: its config must be this one, except that
     * {@code train.epochs} may be raised to extend the run.
     *
     * @throws ConfigException when there is no run, or naming the keys that differ
     */
    public static void checkSameRun(Path configFile, RunConfig cfg, TrainSettings settings) throws IOException {
        if (!Files.isRegularFile(configFile)) {
            throw new ConfigException(configFile.getParent() + ": no run to resume (expected " + TrainedModel.CONFIG
                    + " from an earlier 'sampler train' into this folder)");
        }
        RunConfig previous = RunConfig.load(configFile);
        List<String> changed = differingKeys(previous, cfg);
        int before = TrainSettings.fromConfig(previous).epochs();
        if (changed.equals(List.of("train.epochs")) && settings.epochs() >= before) {
            return;
        }
        if (changed.isEmpty()) {
            return;
        }
        String epochs = changed.contains("train.epochs") && settings.epochs() < before
                ? "; train.epochs " + settings.epochs() + " is less than the run's " + before : "";
        throw new ConfigException(configFile + ": the run was trained with another config; "
                + String.join(", ", changed) + (changed.size() == 1 ? " differs" : " differ") + epochs
                + " (only train.epochs may be raised, to extend the run)");
    }

    /** The dotted keys (e.g. {@code train.lr}, {@code sampler.gain_db}) whose values differ, sorted. */
    public static List<String> differingKeys(RunConfig a, RunConfig b) throws IOException {
        List<String> out = new ArrayList<>();
        differences("", YAML.readTree(a.toYaml()), YAML.readTree(b.toYaml()), out);
        Collections.sort(out);
        return out;
    }

    private static void differences(String prefix, JsonNode a, JsonNode b, List<String> out) {
        if (a != null && b != null && a.isObject() && b.isObject()) {
            Set<String> keys = new TreeSet<>();
            a.fieldNames().forEachRemaining(keys::add);
            b.fieldNames().forEachRemaining(keys::add);
            for (String k : keys) {
                differences(prefix.isEmpty() ? k : prefix + "." + k, a.get(k), b.get(k), out);
            }
        } else if (!Objects.equals(a, b)) {
            out.add(prefix);
        }
    }

    /** The {@code train.validation_weighting} provider, created like the pipeline's weighting, or null. */
    public static LossWeighting validationWeighting(RunConfig cfg, TrainSettings settings, Corpus corpus,
                                             ProviderRegistry registry) {
        if (settings.validationWeighting() == null) {
            return null;
        }
        ComponentConfig c = new ComponentConfig(settings.validationWeighting(), null, "train.validation_weighting",
                cfg.origin());
        return registry.create(ProviderRegistry.Kind.WEIGHTING, c,
                new BuildContext(corpus, cfg.baseDir(), cfg.seed(), -1, "train.validation_weighting"));
    }

    /** The draws of epoch 0 of the config's sampler and batcher (no stages) over another corpus. */
    public static List<List<Draw>> fixedBatches(RunConfig cfg, Corpus corpus, ProviderRegistry registry, long seedOffset,
                                         int maxBatches) {
        List<ComponentConfig> keep = cfg.stages().stream().filter(s -> s.name().equals("tse-target")).toList();
        RunConfig eval = new RunConfig(cfg.corpus(), cfg.seed() + seedOffset, cfg.sampler(), keep, cfg.batch(),
                false, cfg.weighting(), null, List.of(), cfg.model(), cfg.train(), cfg.baseDir(), cfg.origin(),
                cfg.components());
        Pipeline p = Pipeline.build(eval, corpus, registry, 0, 1);
        List<List<Draw>> out = new ArrayList<>();
        Optional<Batch> b;
        while (out.size() < maxBatches && (b = p.nextInEpoch()).isPresent()) {
            out.add(b.get().draws());
        }
        return out;
    }

    /** Writes a protocol's draws, one line each: {@code {"condition": ..., "draw": ...}}. */
    static void writeValidation(Path file, Protocol.Fixed fixed) {
        StringBuilder sb = new StringBuilder();
        List<Draw> draws = fixed.draws();
        for (int i = 0; i < draws.size(); i++) {
            ObjectNode o = JSON.createObjectNode();
            o.put("condition", fixed.conditions().get(i));
            o.set("draw", DrawJson.toJson(draws.get(i)));
            sb.append(o).append('\n');
        }
        AtomicFiles.writeString(file, sb.toString());
    }

    /** The {@code noise_corpus} of a dynamic-mixing sampler, read, or null. */
    public static Corpus noiseCorpus(RunConfig cfg) {
        ObjectNode p = cfg.sampler().params();
        if (!p.hasNonNull("noise_corpus")) {
            return null;
        }
        return CorpusReader.read(cfg.baseDir().resolve(p.get("noise_corpus").asText()).normalize());
    }

    public static Corpus union(Corpus a, Corpus b) {
        List<Utterance> all = new ArrayList<>(a.utterances());
        all.addAll(b.utterances());
        return Corpus.of(a.source(), all);
    }

    public static double totalSeconds(Corpus c) {
        double s = 0;
        for (Utterance u : c.utterances()) {
            s += u.seconds();
        }
        return s;
    }

    private static void plotLoss(Path metrics, Path png) throws IOException {
        List<Double> x = new ArrayList<>();
        List<Double> y = new ArrayList<>();
        TextLines.forEach(metrics, "training log", "not found; expected the run's metrics.jsonl", (line, no) -> {
            JsonNode o;
            try {
                o = JSON.readTree(line);
            } catch (JsonProcessingException e) {
                throw TextLines.error(metrics, no, "not a JSON line");
            }
            if (o.path("type").asText().equals("step") && o.get("loss").isNumber()) {
                x.add(o.get("step").asDouble());
                y.add(o.get("loss").asDouble());
            }
        });
        if (x.size() > 1) {
            Plots.line(x.stream().mapToDouble(Double::doubleValue).toArray(),
                    y.stream().mapToDouble(Double::doubleValue).toArray(), "training loss", "step", "loss", png);
        }
    }

    /**
     * Progress bar with loss and throughput, one JSON line per step, per validation and per
     * epoch-report component's epoch ({@link io.speechsampler.api.spi.EpochReport}) in
     * {@code metrics.jsonl}, and the batch of every step in {@code batches.jsonl} (the line
     * {@code plan} writes). Attached to the loop before its logs are cut and opened, hence
     * {@link #start}.
     */
    private static final class RunLogListener implements StepListener, AutoCloseable {
        private final Path metricsFile;
        private final Path batchesFile;
        private final List<io.speechsampler.api.spi.EpochReport> epochReports;
        private ProgressBar bar;
        private BufferedWriter metrics;
        private BufferedWriter batches;
        private double smoothed = Double.NaN;

        RunLogListener(Path metricsFile, Path batchesFile, List<io.speechsampler.api.spi.EpochReport> epochReports) {
            this.metricsFile = metricsFile;
            this.batchesFile = batchesFile;
            this.epochReports = List.copyOf(epochReports);
        }

        void start(ProgressBar progress) {
            this.bar = progress;
            this.metrics = RunLog.append(metricsFile);
            this.batches = RunLog.append(batchesFile);
        }

        @Override
        public void onStep(StepReport r) {
            if (Double.isFinite(r.loss())) {
                smoothed = Double.isNaN(smoothed) ? r.loss() : 0.95 * smoothed + 0.05 * r.loss();
            }
            bar.step();
            bar.setExtraMessage(String.format(Locale.ROOT, " epoch %d loss %.3f", r.epoch(), smoothed));
            RunLog.writeLine(batches, batchesFile, DrawJson.toLine(r.batch()));
            ObjectNode o = JSON.createObjectNode();
            o.put("type", "step");
            o.put("epoch", r.epoch());
            o.put("step", r.step());
            putNumber(o, "loss", r.loss());
            putNumber(o, "mean_loss", r.meanLoss());
            putNumber(o, "mean_metric", r.meanMetric());
            putNumber(o, "grad_norm", r.gradientNorm());
            o.put("seconds", r.seconds());
            RunLog.writeLine(metrics, metricsFile, o.toString());
        }

        @Override
        public void onValidation(int epoch, double score, boolean best) {
            ObjectNode o = JSON.createObjectNode();
            o.put("type", "validation");
            o.put("epoch", epoch);
            putNumber(o, "score", score);
            o.put("best", best);
            RunLog.writeLine(metrics, metricsFile, o.toString());
            bar.setExtraMessage(String.format(Locale.ROOT, " epoch %d valid %.2f%s", epoch, score,
                    best ? " (best)" : ""));
        }

        @Override
        public void onEpochEnd(int epoch) {
            for (io.speechsampler.api.spi.EpochReport r : epochReports) {
                ObjectNode o = JSON.createObjectNode();
                o.put("type", r.reportType());
                o.put("epoch", epoch);
                r.epochReport(epoch).forEach((k, v) -> {
                    if (v == Math.rint(v) && Math.abs(v) < 0x1p53) {
                        o.put(k, (long) (double) v); // counts read as counts
                    } else {
                        putNumber(o, k, v);
                    }
                });
                RunLog.writeLine(metrics, metricsFile, o.toString());
            }
        }

        private static void putNumber(ObjectNode o, String key, double v) {
            if (Double.isFinite(v)) {
                o.put(key, v);
            } else {
                o.putNull(key);
            }
        }

        @Override
        public void close() throws IOException {
            for (BufferedWriter w : new BufferedWriter[] {metrics, batches}) {
                if (w != null) {
                    w.close();
                }
            }
        }
    }
}
