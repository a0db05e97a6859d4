package io.speechsampler.cli;

import io.speechsampler.api.io.AtomicFiles;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.speechsampler.api.config.ComponentConfig;
import io.speechsampler.api.config.ConfigException;
import io.speechsampler.api.config.RunConfig;
import io.speechsampler.api.corpus.Corpus;
import io.speechsampler.api.corpus.CorpusReader;
import io.speechsampler.api.corpus.Utterance;
import io.speechsampler.api.draw.Batch;
import io.speechsampler.api.draw.Draw;
import io.speechsampler.api.registry.ProviderRegistry;
import io.speechsampler.api.spi.BuildContext;
import io.speechsampler.api.spi.LossWeighting;
import io.speechsampler.core.pipeline.Pipeline;
import io.speechsampler.djl.run.CorpusBatchRenderer;
import io.speechsampler.djl.run.ModelSpec;
import io.speechsampler.djl.run.TrainedModel;
import io.speechsampler.djl.train.StepListener;
import io.speechsampler.djl.train.StepReport;
import io.speechsampler.djl.train.TrainSettings;
import io.speechsampler.djl.train.TrainingLoop;
import io.speechsampler.djl.train.TrainingSummary;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import me.tongfei.progressbar.ProgressBar;

/**
 * One {@code train} run: config + corpus → pipeline, renderer, model and loop; writes
 * {@code config.yaml}, {@code model.json}, {@code checkpoints/}, {@code metrics.jsonl} and a
 * loss plot into the run folder.
 */
final class TrainingRun {

    private static final ObjectMapper JSON = new ObjectMapper();

    /** Mixtures or items validated each epoch, at most. */
    static final int MAX_VALIDATION_BATCHES = 16;

    private TrainingRun() {
    }

    /** What a finished run left behind. */
    record Result(Path runDir, TrainingSummary summary, ModelSpec spec) {
    }

    static Result train(RunConfig cfg, Path valid, Path runDir, boolean resume) throws IOException {
        ModelSpec spec = ModelSpec.fromConfig(cfg);
        TrainSettings settings = TrainSettings.fromConfig(cfg).withCheckpointDir(runDir.resolve("checkpoints"));
        if (!resume && Files.isRegularFile(runDir.resolve(TrainedModel.CONFIG))) {
            throw new ConfigException(runDir + ": already holds a run; pass --resume to continue it or choose "
                    + "another --out");
        }
        if (resume && !Files.isRegularFile(runDir.resolve("checkpoints/latest"))) {
            throw new ConfigException(runDir + ": no checkpoint to resume (expected checkpoints/latest)");
        }
        Corpus corpus = CorpusReader.read(cfg.corpusPath());
        ProviderRegistry registry = ProviderRegistry.load();
        registry.problems().forEach(p -> System.err.println("warning: " + p));
        Pipeline pipeline = Pipeline.build(cfg, corpus, registry, 0, 1);
        Corpus validCorpus = valid == null ? null : CorpusReader.read(valid);
        List<List<Draw>> validation = validCorpus == null ? List.of()
                : fixedBatches(cfg, validCorpus, registry, 1, MAX_VALIDATION_BATCHES);
        Corpus renderCorpus = validCorpus == null ? corpus : union(corpus, validCorpus);
        CorpusBatchRenderer renderer = CorpusBatchRenderer.of(renderCorpus, noiseCorpus(cfg), spec,
                Math.min(3600, 2 * totalSeconds(renderCorpus)));

        Files.createDirectories(runDir);
        AtomicFiles.writeString(runDir.resolve(TrainedModel.CONFIG), cfg.toYaml());
        TrainedModel.writeInfo(runDir, corpus.sampleRate(), corpus.speakers());

        int perEpoch = pipeline.batchesInEpoch();
        if (settings.maxStepsPerEpoch() > 0) {
            perEpoch = Math.min(perEpoch, settings.maxStepsPerEpoch());
        }
        long total = (long) perEpoch * settings.epochs();
        Path metrics = runDir.resolve("metrics.jsonl");
        TrainingSummary summary;
        try (ProgressBar bar = Progress.bar("train", total, "steps");
             BufferedWriter log = Files.newBufferedWriter(metrics, StandardOpenOption.CREATE,
                     StandardOpenOption.APPEND);
             TrainingLoop loop = TrainingLoop.builder().setPipeline(pipeline)
                     .setBlock(spec.block(corpus.sampleRate(), corpus.numSpeakers()))
                     .setTask(spec.task(corpus)).setRenderer(renderer).setSettings(settings)
                     .optValidation(validation).optValidationWeighting(validationWeighting(cfg, settings, corpus,
                             registry))
                     .optListener(new MetricsListener(bar, log)).build()) {
            System.err.println("train: " + spec.name() + " (" + spec.preset() + ") on " + loop.device() + ", "
                    + corpus.size() + " utterances, " + perEpoch + " steps per epoch, " + settings.epochs()
                    + " epochs; run folder " + runDir);
            summary = resume ? loop.resume() : loop.run();
            bar.stepTo(bar.getMax());
        }
        plotLoss(metrics, runDir.resolve("report/loss.png"));
        return new Result(runDir, summary, spec);
    }

    /** The {@code train.validation_weighting} provider, created like the pipeline's weighting, or null. */
    static LossWeighting validationWeighting(RunConfig cfg, TrainSettings settings, Corpus corpus,
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
    static List<List<Draw>> fixedBatches(RunConfig cfg, Corpus corpus, ProviderRegistry registry, long seedOffset,
                                         int maxBatches) {
        List<ComponentConfig> keep = cfg.stages().stream().filter(s -> s.name().equals("tse-target")).toList();
        RunConfig eval = new RunConfig(cfg.corpus(), cfg.seed() + seedOffset, cfg.sampler(), keep, cfg.batch(),
                false, cfg.weighting(), null, List.of(), cfg.model(), cfg.train(), cfg.baseDir(), cfg.origin());
        Pipeline p = Pipeline.build(eval, corpus, registry, 0, 1);
        List<List<Draw>> out = new ArrayList<>();
        Optional<Batch> b;
        while (out.size() < maxBatches && (b = p.nextInEpoch()).isPresent()) {
            out.add(b.get().draws());
        }
        return out;
    }

    /** The {@code noise_corpus} of a dynamic-mixing sampler, read, or null. */
    static Corpus noiseCorpus(RunConfig cfg) {
        ObjectNode p = cfg.sampler().params();
        if (!p.hasNonNull("noise_corpus")) {
            return null;
        }
        return CorpusReader.read(cfg.baseDir().resolve(p.get("noise_corpus").asText()).normalize());
    }

    static Corpus union(Corpus a, Corpus b) {
        List<Utterance> all = new ArrayList<>(a.utterances());
        all.addAll(b.utterances());
        return Corpus.of(a.source(), all);
    }

    static double totalSeconds(Corpus c) {
        double s = 0;
        for (Utterance u : c.utterances()) {
            s += u.seconds();
        }
        return s;
    }

    private static void plotLoss(Path metrics, Path png) throws IOException {
        List<Double> x = new ArrayList<>();
        List<Double> y = new ArrayList<>();
        for (String line : Files.readAllLines(metrics)) {
            var o = JSON.readTree(line);
            if (o.path("type").asText().equals("step") && o.get("loss").isNumber()) {
                x.add(o.get("step").asDouble());
                y.add(o.get("loss").asDouble());
            }
        }
        if (x.size() > 1) {
            Plots.line(x.stream().mapToDouble(Double::doubleValue).toArray(),
                    y.stream().mapToDouble(Double::doubleValue).toArray(), "training loss", "step", "loss", png);
        }
    }

    /** Progress bar with loss and throughput, and one JSON line per step and per validation. */
    private static final class MetricsListener implements StepListener {
        private final ProgressBar bar;
        private final BufferedWriter log;
        private double smoothed = Double.NaN;

        MetricsListener(ProgressBar bar, BufferedWriter log) {
            this.bar = bar;
            this.log = log;
        }

        @Override
        public void onStep(StepReport r) {
            if (Double.isFinite(r.loss())) {
                smoothed = Double.isNaN(smoothed) ? r.loss() : 0.95 * smoothed + 0.05 * r.loss();
            }
            bar.step();
            bar.setExtraMessage(String.format(" epoch %d loss %.3f", r.epoch(), smoothed));
            ObjectNode o = JSON.createObjectNode();
            o.put("type", "step");
            o.put("epoch", r.epoch());
            o.put("step", r.step());
            putNumber(o, "loss", r.loss());
            putNumber(o, "mean_loss", r.meanLoss());
            putNumber(o, "mean_metric", r.meanMetric());
            putNumber(o, "grad_norm", r.gradientNorm());
            o.put("seconds", r.seconds());
            write(o);
        }

        @Override
        public void onValidation(int epoch, double score, boolean best) {
            ObjectNode o = JSON.createObjectNode();
            o.put("type", "validation");
            o.put("epoch", epoch);
            putNumber(o, "score", score);
            o.put("best", best);
            write(o);
            bar.setExtraMessage(String.format(" epoch %d valid %.2f%s", epoch, score, best ? " (best)" : ""));
        }

        private static void putNumber(ObjectNode o, String key, double v) {
            if (Double.isFinite(v)) {
                o.put(key, v);
            } else {
                o.putNull(key);
            }
        }

        private void write(ObjectNode o) {
            try {
                log.write(JSON.writeValueAsString(o));
                log.write('\n');
                log.flush();
            } catch (IOException e) {
                throw new UncheckedIOException("cannot write metrics.jsonl: " + e.getMessage(), e);
            }
        }
    }
}
