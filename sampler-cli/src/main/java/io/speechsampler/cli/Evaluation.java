package io.speechsampler.cli;

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
import io.speechsampler.audio.metrics.SeparationSummary;
import io.speechsampler.audio.wav.AudioCache;
import io.speechsampler.djl.run.CorpusBatchRenderer;
import io.speechsampler.djl.run.TrainedModel;
import io.speechsampler.djl.train.Evaluator;
import io.speechsampler.djl.train.RenderedBatch;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;
import me.tongfei.progressbar.ProgressBar;
import org.apache.commons.rng.UniformRandomProvider;

/**
 * Evaluates a trained model on a corpus and writes the results into a folder: separation and
 * extraction models get per-mixture SI-SNRi ({@code si_snri.csv}), {@code summary.json} with
 * {@code si_snri_db}, {@code hsr5_percent}, {@code hsr10_percent} and the sorted SI-SNRi curve
 * ({@code si_snri_sorted.png}); x-vector models get the EER over cosine-scored trials
 * ({@code trials.csv}, {@code summary.json} with {@code eer_percent}).
 */
final class Evaluation {

    private static final ObjectMapper JSON = new ObjectMapper();

    /** Test mixtures are drawn with the run's seed plus this, so they differ from training and validation. */
    static final long TEST_SEED_OFFSET = 2;

    /** Trials scored at most for EER. */
    static final int MAX_TRIALS = 20000;

    private Evaluation() {
    }

    static ObjectNode evaluate(Path checkpoint, Path data, Path outDir) throws IOException {
        try (TrainedModel tm = TrainedModel.load(checkpoint)) {
            Corpus corpus = CorpusReader.read(data);
            Files.createDirectories(outDir);
            ObjectNode summary = tm.spec().isClassification() ? speaker(tm, corpus, outDir) : separation(tm, corpus,
                    outDir);
            summary.put("checkpoint", tm.checkpoint().toAbsolutePath().toString());
            summary.put("data", data.toAbsolutePath().toString());
            AtomicFiles.writeString(outDir.resolve("summary.json"),
                    JSON.writerWithDefaultPrettyPrinter().writeValueAsString(summary) + "\n");
            return summary;
        }
    }

    private static ObjectNode separation(TrainedModel tm, Corpus corpus, Path outDir) throws IOException {
        List<List<Draw>> batches = TrainingRun.fixedBatches(tm.config(), corpus, ProviderRegistry.load(),
                TEST_SEED_OFFSET, Integer.MAX_VALUE);
        CorpusBatchRenderer renderer = CorpusBatchRenderer.of(corpus, TrainingRun.noiseCorpus(tm.config()), tm.spec(),
                Math.min(3600, 2 * TrainingRun.totalSeconds(corpus)));
        Evaluator evaluator = tm.spec().isExtraction() ? Evaluator.extraction(tm.model())
                : Evaluator.separation(tm.model(), tm.spec().sources());
        List<Double> all = new ArrayList<>();
        List<Draw> draws = new ArrayList<>();
        try (ProgressBar bar = Progress.bar("evaluate", batches.stream().mapToInt(List::size).sum(), "mixtures")) {
            for (List<Draw> b : batches) {
                RenderedBatch r = renderer.render(b);
                for (double v : evaluator.siSnrImprovement(List.of(r))) {
                    all.add(v);
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
        StringBuilder csv = new StringBuilder("mixture,sources,gains_db,si_snri_db\n");
        for (int i = 0; i < si.length; i++) {
            MixtureDraw m = (MixtureDraw) draws.get(i);
            csv.append(i).append(',')
                    .append(m.sources().stream().map(Source::id).collect(Collectors.joining("+"))).append(',')
                    .append(m.sources().stream().map(s -> String.format(Locale.ROOT, "%.2f", s.gainDb()))
                            .collect(Collectors.joining("/"))).append(',')
                    .append(String.format(Locale.ROOT, "%.4f", si[i])).append('\n');
        }
        AtomicFiles.writeString(outDir.resolve("si_snri.csv"), csv.toString());
        SeparationSummary s = SeparationSummary.of(si);
        Plots.sortedSiSnri(si, String.format(Locale.ROOT, "sorted SI-SNRi (mean %.2f dB, HSR5 %.1f%%, HSR10 %.1f%%)",
                s.meanSiSnrImprovement(), s.hsr5(), s.hsr10()), outDir.resolve("si_snri_sorted.png"));
        ObjectNode o = JSON.createObjectNode();
        o.put("task", tm.spec().name());
        o.put("mixtures", s.mixtures());
        o.put("si_snri_db", s.meanSiSnrImprovement());
        o.put("hsr5_percent", s.hsr5());
        o.put("hsr10_percent", s.hsr10());
        return o;
    }

    private static ObjectNode speaker(TrainedModel tm, Corpus corpus, Path outDir) throws IOException {
        List<float[]> emb = embeddings(tm, corpus);
        int n = corpus.size();
        UniformRandomProvider rng = RandomStreams.of(tm.config().seed(), "evaluate/trials", 0);
        long pairs = (long) n * (n - 1) / 2;
        List<int[]> trials = new ArrayList<>();
        if (pairs <= MAX_TRIALS) {
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
        AtomicFiles.writeString(outDir.resolve("trials.csv"), csv.toString());
        ObjectNode o = JSON.createObjectNode();
        o.put("task", tm.spec().name());
        o.put("trials", scores.length);
        o.put("eer_percent", 100 * Eer.of(scores, target));
        return o;
    }

    /** One embedding per utterance of {@code corpus}, in corpus order, with a progress bar. */
    static List<float[]> embeddings(TrainedModel tm, Corpus corpus) {
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
