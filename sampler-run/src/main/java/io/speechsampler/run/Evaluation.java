package io.speechsampler.run;

import io.speechsampler.api.io.AtomicFiles;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.speechsampler.api.config.ConfigException;
import io.speechsampler.api.corpus.Corpus;
import io.speechsampler.api.corpus.CorpusReader;
import io.speechsampler.api.corpus.Utterance;
import io.speechsampler.api.draw.Draw;
import io.speechsampler.api.draw.MixtureDraw;
import io.speechsampler.api.draw.Source;
import io.speechsampler.api.random.RandomStreams;
import io.speechsampler.api.registry.ProviderRegistry;
import io.speechsampler.audio.metrics.Eer;
import io.speechsampler.audio.metrics.OverSeparation;
import io.speechsampler.audio.metrics.SeparationSummary;
import io.speechsampler.audio.wav.AudioCache;
import io.speechsampler.djl.run.CorpusBatchRenderer;
import io.speechsampler.djl.run.TrainedModel;
import io.speechsampler.djl.spi.RenderSpec;
import io.speechsampler.run.validation.Protocol;
import io.speechsampler.djl.train.Evaluator;
import io.speechsampler.djl.train.RenderedBatch;
import io.speechsampler.djl.train.Trials;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;
import me.tongfei.progressbar.ProgressBar;
import org.apache.commons.rng.UniformRandomProvider;
import org.knowm.xchart.XYChart;

/**
 * Evaluates a trained model on a corpus and writes the results into a folder: separation and
 * extraction models get per-mixture SI-SNRi ({@code si_snri.csv}), {@code summary.json} with
 * {@code si_snri_db}, {@code hsr5_percent}, {@code hsr10_percent} and the sorted SI-SNRi curve
 * ({@code si_snri_sorted.png}); x-vector models get the EER over cosine-scored trials
 * ({@code trials.csv}, {@code summary.json} with {@code eer_percent}).
 */
public final class Evaluation {

    private static final ObjectMapper JSON = new ObjectMapper();

    /** Test mixtures are drawn with the run's seed plus this, so they differ from training and validation. */
    public static final long TEST_SEED_OFFSET = 2;

    /** Trials scored at most for EER. */
    public static final int MAX_TRIALS = 20000;

    public static final String SUMMARY_JSON = "summary.json";
    public static final String SI_SNRI_CSV = "si_snri.csv";
    public static final String SI_SNRI_PNG = "si_snri_sorted.png";
    public static final String TRIALS_CSV = "trials.csv";
    /**
     * The energy share above which an output counts as active for the over-separation rate of a
     * model with more outputs than the test mixtures' sources.
     */
    public static final double OVER_SEPARATION_SHARE = OverSeparation.DEFAULT_SHARE;

    private Evaluation() {
    }

    /** A report's files, by name, and its summary: written together or not at all. */
    private record Report(ObjectNode summary, Map<String, AtomicFiles.StreamBody> files) {
    }

    /**
     * Evaluates and writes the report as a whole ({@link AtomicFiles#fileSet()}): every file is
     * written before any is renamed into {@code outDir}, so a failure (a full disk, a folder in
     * the way) leaves the previous report whole. The targets are checked before the evaluation.
     */
    public static ObjectNode evaluate(Path checkpoint, Path data, Path outDir) throws IOException {
        return evaluate(checkpoint, data, outDir, null);
    }

    /**
     * As {@link #evaluate(Path, Path, Path)}, on the draws of {@code protocol} (an experiment's
     * fixed test set), or when null of the run's own {@code validation} protocol, or without one
     * of epoch 0 of the run's sampler over {@code data}.
     */
    public static ObjectNode evaluate(Path checkpoint, Path data, Path outDir, Protocol protocol) throws IOException {
        try (TrainedModel tm = TrainedModel.load(checkpoint)) {
            Corpus corpus = CorpusReader.read(data);
            // speaker models (classification, contrastive) are scored by EER over their embeddings
            List<String> names = tm.trainable().render().utterances() ? List.of(TRIALS_CSV, SUMMARY_JSON)
                    : List.of(SI_SNRI_CSV, SI_SNRI_PNG, SUMMARY_JSON);
            names.forEach(n -> AtomicFiles.checkTarget(outDir.resolve(n)));
            Protocol chosen = protocol != null ? protocol : Protocol.of(tm.config()).orElse(null);
            Report report = tm.trainable().render().utterances() ? speaker(tm, corpus, chosen)
                    : separation(tm, corpus, chosen);
            ObjectNode summary = report.summary();
            summary.put("checkpoint", tm.checkpoint().toAbsolutePath().toString());
            summary.put("data", data.toAbsolutePath().toString());
            byte[] json = (JSON.writerWithDefaultPrettyPrinter().writeValueAsString(summary) + "\n")
                    .getBytes(StandardCharsets.UTF_8);
            try (AtomicFiles.FileSet set = AtomicFiles.fileSet()) {
                for (Map.Entry<String, AtomicFiles.StreamBody> f : report.files().entrySet()) {
                    set.write(outDir.resolve(f.getKey()), f.getValue());
                }
                set.write(outDir.resolve(SUMMARY_JSON), out -> out.write(json));
                set.commit();
            }
            return summary;
        }
    }

    /** {@code ,snr_db,overlap,domain} of a draw: interferer SNRs joined by '/', empty where not stated. */
    private static String factorColumns(MixtureDraw m) {
        return m.optFactors().map(f -> "," + f.interfererSnrDb().stream()
                        .map(v -> String.format(Locale.ROOT, "%.2f", v)).collect(Collectors.joining("/"))
                        + "," + (f.statesOverlap() ? String.format(Locale.ROOT, "%.3f", f.overlap()) : "")
                        + "," + (f.domain() == null ? "" : f.domain()))
                .orElse(",,,");
    }

    private static AtomicFiles.StreamBody text(CharSequence s) {
        return out -> out.write(s.toString().getBytes(StandardCharsets.UTF_8));
    }

    private static Report separation(TrainedModel tm, Corpus corpus, Protocol protocol) {
        List<List<Draw>> batches;
        List<String> conditions = null;
        if (protocol != null) {
            Protocol.Fixed fixed = protocol.draw(corpus, tm.trainable().render(), corpus.source() + ": ");
            batches = fixed.batches();
            conditions = fixed.conditions();
        } else {
            batches = TrainingRun.fixedBatches(tm.config(), corpus, ProviderRegistry.load(), TEST_SEED_OFFSET,
                    Integer.MAX_VALUE);
        }
        CorpusBatchRenderer renderer = CorpusBatchRenderer.of(corpus, TrainingRun.noiseCorpus(tm.config()), tm.trainable().render(),
                Math.min(3600, 2 * TrainingRun.totalSeconds(corpus)));
        boolean extraction = tm.trainable().render().kind() == RenderSpec.Kind.EXTRACTION;
        int outputs = tm.trainable().network().outputs();
        // more outputs than the test mixtures' references (a MixIT teacher): best single outputs,
        // oracle merge and the over-separation rate (OverSeparation)
        boolean overOutputs = !extraction && outputs > tm.trainable().render().sources();
        Evaluator evaluator = extraction ? Evaluator.extraction(tm.model()) : Evaluator.separation(tm.model(), outputs);
        // a MixIT teacher trained under mixture consistency: its estimates are the projected ones
        boolean consistency = tm.trainable().task().equals("mixit")
                && tm.config().task().path("mixture_consistency").asBoolean(false);
        if (consistency) {
            evaluator = evaluator.withMixtureConsistency();
        }
        List<Double> all = new ArrayList<>();
        List<OverSeparation> over = new ArrayList<>();
        List<Draw> draws = new ArrayList<>();
        try (ProgressBar bar = Progress.bar("evaluate", batches.stream().mapToInt(List::size).sum(), "mixtures")) {
            for (List<Draw> b : batches) {
                RenderedBatch r = renderer.render(b);
                if (overOutputs) {
                    float[][][] est = evaluator.outputs(r);
                    for (int i = 0; i < r.size(); i++) {
                        OverSeparation o = OverSeparation.of(r.mixture()[i], r.sources()[i], est[i],
                                OVER_SEPARATION_SHARE);
                        over.add(o);
                        all.add(o.bestSingleSiSnri());
                    }
                } else {
                    for (double v : evaluator.siSnrImprovement(List.of(r))) {
                        all.add(v);
                    }
                }
                draws.addAll(b);
                bar.stepBy(b.size());
            }
        }
        double[] si = all.stream().mapToDouble(Double::doubleValue).toArray();
        if (si.length == 0) {
            throw new ConfigException(corpus.source() + ": no test mixtures drawn (the config's sampler and batcher "
                    + "give no full batch over its " + corpus.size() + " utterances); expected at least one");
        }
        // the factors a recipe states (multi-factor-curriculum draws), so rows can be grouped by them
        boolean factors = draws.stream().anyMatch(d -> ((MixtureDraw) d).optFactors().isPresent());
        StringBuilder csv = new StringBuilder("mixture,sources,gains_db,si_snri_db"
                + (overOutputs ? ",merged_si_snri_db,active_outputs" : "")
                + (conditions == null ? "" : ",condition")
                + (factors ? ",snr_db,overlap,domain" : "") + "\n");
        for (int i = 0; i < si.length; i++) {
            MixtureDraw m = (MixtureDraw) draws.get(i);
            csv.append(i).append(',')
                    .append(m.sources().stream().map(Source::id).collect(Collectors.joining("+"))).append(',')
                    .append(m.sources().stream().map(s -> String.format(Locale.ROOT, "%.2f", s.gainDb()))
                            .collect(Collectors.joining("/"))).append(',')
                    .append(String.format(Locale.ROOT, "%.4f", si[i]))
                    .append(overOutputs ? String.format(Locale.ROOT, ",%.4f,%d", over.get(i).mergedSiSnri(),
                            over.get(i).activeOutputs()) : "")
                    .append(conditions == null ? "" : "," + conditions.get(i))
                    .append(factors ? factorColumns(m) : "").append('\n');
        }
        SeparationSummary s = SeparationSummary.of(si);
        XYChart curve = Plots.sortedSiSnri(si, String.format(Locale.ROOT,
                "sorted SI-SNRi (mean %.2f dB, HSR5 %.1f%%, HSR10 %.1f%%)", s.meanSiSnrImprovement(), s.hsr5(), s.hsr10()));
        Map<String, AtomicFiles.StreamBody> files = new LinkedHashMap<>();
        files.put(SI_SNRI_CSV, text(csv));
        files.put(SI_SNRI_PNG, Plots.png(curve));
        ObjectNode o = JSON.createObjectNode();
        o.put("task", tm.trainable().model());
        o.put("trained_for", tm.trainable().task());
        if (consistency) {
            o.put("mixture_consistency", true);
        }
        o.put("mixtures", s.mixtures());
        o.put("si_snri_db", s.meanSiSnrImprovement());
        o.put("hsr5_percent", s.hsr5());
        o.put("hsr10_percent", s.hsr10());
        if (overOutputs) {
            // si_snri_db above: the best assignment of single outputs to the references
            o.put("outputs", outputs);
            o.put("merged_si_snri_db", over.stream().mapToDouble(OverSeparation::mergedSiSnri).average().orElse(0));
            o.put("over_separation_percent", 100.0 * over.stream().filter(OverSeparation::overSeparated).count()
                    / over.size());
            o.put("over_separation_energy_share", OVER_SEPARATION_SHARE);
        }
        if (conditions != null) {
            ObjectNode by = o.putObject("conditions");
            for (String c : Protocol.conditionNames(conditions)) {
                List<Double> part = new ArrayList<>();
                for (int i = 0; i < si.length; i++) {
                    if (conditions.get(i).equals(c)) {
                        part.add(si[i]);
                    }
                }
                SeparationSummary cs = SeparationSummary.of(part.stream().mapToDouble(Double::doubleValue).toArray());
                ObjectNode co = by.putObject(c);
                co.put("mixtures", cs.mixtures());
                co.put("si_snri_db", cs.meanSiSnrImprovement());
                co.put("hsr5_percent", cs.hsr5());
                co.put("hsr10_percent", cs.hsr10());
            }
        }
        return new Report(o, files);
    }

    /**
     * EER of a speaker model over trials of {@code corpus}: a {@code trials} protocol's fixed list
     * (an experiment's test set, or the run's validation protocol: the same trials for every run and
     * seed), else every pair of utterances up to {@link #MAX_TRIALS}, beyond that random pairs from the
     * run's seed.
     */
    private static Report speaker(TrainedModel tm, Corpus corpus, Protocol protocol) {
        List<float[]> emb = embeddings(tm, corpus);
        int n = corpus.size();
        UniformRandomProvider rng = RandomStreams.of(tm.config().seed(), "evaluate/trials", 0);
        long pairs = (long) n * (n - 1) / 2;
        List<int[]> trials = new ArrayList<>();
        if (protocol != null && protocol.protocol().equals("trials")) {
            // the trials alone: a speaker model of any task (a contrastive one renders two views) embeds utterances
            Trials fixed = protocol.trials(corpus, corpus.source() + ": ");
            for (int k = 0; k < fixed.a().length; k++) {
                trials.add(new int[] {fixed.a()[k], fixed.b()[k]});
            }
        } else if (pairs <= MAX_TRIALS) {
            for (int i = 0; i < n; i++) {
                for (int j = i + 1; j < n; j++) {
                    trials.add(new int[] {i, j});
                }
            }
        } else {
            while (trials.size() < MAX_TRIALS) {
                int i = rng.nextInt(n);
                int j = rng.nextInt(n);
                if (i != j) {
                    trials.add(new int[] {i, j});
                }
            }
        }
        double[] scores = new double[trials.size()];
        boolean[] target = new boolean[trials.size()];
        StringBuilder csv = new StringBuilder("enrolment,test,target,cosine\n");
        for (int k = 0; k < scores.length; k++) {
            int[] t = trials.get(k);
            scores[k] = Eer.cosine(emb.get(t[0]), emb.get(t[1]));
            target[k] = corpus.speakerOf(t[0]) == corpus.speakerOf(t[1]);
            csv.append(corpus.get(t[0]).id()).append(',').append(corpus.get(t[1]).id()).append(',')
                    .append(target[k] ? 1 : 0).append(',').append(String.format(Locale.ROOT, "%.6f", scores[k])).append('\n');
        }
        int targets = 0;
        for (boolean t : target) {
            targets += t ? 1 : 0;
        }
        if (targets == 0 || targets == target.length) {
            throw new ConfigException(corpus.source() + ": an EER needs trials of one speaker and of two; the "
                    + corpus.size() + " utterances of " + corpus.numSpeakers() + " speakers gave " + targets
                    + " same-speaker trials of " + target.length + "; expected a test corpus with at least two "
                    + "speakers and two utterances of one");
        }
        ObjectNode o = JSON.createObjectNode();
        o.put("task", tm.trainable().model());
        o.put("trained_for", tm.trainable().task());
        o.put("trials", scores.length);
        o.put("eer_percent", 100 * Eer.of(scores, target));
        return new Report(o, Map.of(TRIALS_CSV, text(csv)));
    }

    /** One embedding per utterance of {@code corpus}, in corpus order, with a progress bar. */
    public static List<float[]> embeddings(TrainedModel tm, Corpus corpus) {
        AudioCache cache = AudioCache.ofSeconds(60, corpus.sampleRate());
        List<float[]> out = new ArrayList<>(corpus.size());
        try (ProgressBar bar = Progress.bar("embed", corpus.size(), "utterances")) {
            for (Utterance u : corpus.utterances()) {
                out.add(tm.embed(cache.get(u)));
                bar.step();
            }
        }
        return out;
    }
}
