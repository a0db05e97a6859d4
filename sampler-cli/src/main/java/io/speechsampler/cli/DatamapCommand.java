package io.speechsampler.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.speechsampler.api.config.ConfigException;
import io.speechsampler.api.config.RunConfig;
import io.speechsampler.api.corpus.Corpus;
import io.speechsampler.api.corpus.CorpusReader;
import io.speechsampler.api.io.AtomicFiles;
import io.speechsampler.api.registry.ProviderRegistry;
import io.speechsampler.api.state.BinarySideFile;
import io.speechsampler.curriculum.datamap.DatamapByFactor;
import io.speechsampler.curriculum.datamap.DatamapCsv;
import io.speechsampler.curriculum.datamap.DatamapRegions;
import io.speechsampler.curriculum.datamap.DatamapRegions.Region;
import io.speechsampler.curriculum.datamap.DatamapTable;
import io.speechsampler.curriculum.datamap.TseDatamap;
import io.speechsampler.djl.run.TrainedModel;
import io.speechsampler.djl.train.CheckpointFiles;
import io.speechsampler.djl.train.Checkpoints;
import io.speechsampler.core.pipeline.Pipeline;
import io.speechsampler.run.Plots;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.markers.SeriesMarkers;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code sampler datamap}: the TSE-Datamap of a run that trained with the {@code datamap} observer,
 * read from its latest checkpoint's pipeline state (the state a resume continues from, so the map
 * holds every finished epoch exactly once).
 */
@Command(name = "datamap", header = "Writes the TSE-Datamap of a run trained with the datamap observer.",
        mixinStandardHelpOptions = true,
        description = {"Reads the datamap observer's state from RUN's latest checkpoint and writes, into --out:",
                "datamap.csv (per utterance: id, speaker, confidence, variability, correctness, region, epochs",
                "seen, and the mean SNR, speaker count, overlap and real share it was drawn with; empty for",
                "draws without factors), regions.csv (count and share of each region; with factors also by",
                "SNR bin, speaker count, overlap bin and domain) and datamap.png (confidence against",
                "variability, coloured by correctness, region boundaries drawn); prints the region counts.",
                "Regions: the --ambiguous-share of highest variability are ambiguous; of the rest, confidence",
                "above --confidence-cut (default: their median) is easy, otherwise hard."})
final class DatamapCommand implements Callable<Integer> {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Option(names = "--run", required = true, description = "run folder of 'sampler train'")
    Path run;

    @Option(names = "--out", required = true, description = "output folder")
    Path out;

    @Option(names = "--data", description = "the training corpus (default: the corpus in RUN/config.yaml); a "
            + "curriculum's real_corpus in RUN/config.yaml is mapped after it")
    Path data;

    @Option(names = "--ambiguous-share", defaultValue = "0.3333333333333333",
            description = "share of the seen utterances, highest variability first, that are ambiguous, in [0, 1] "
                    + "(default: a third)")
    double ambiguousShare;

    @Option(names = "--confidence-cut", description = "easy above, hard at or below this confidence (default: the "
            + "median confidence of the non-ambiguous utterances)")
    Double confidenceCut;

    @Option(names = "--snr-bins", split = ",", defaultValue = "-5,0,5",
            description = "increasing edges (dB) of regions.csv's SNR bins: <e1, [e1;e2), ..., >=ek (default: -5,0,5)")
    double[] snrBins;

    @Option(names = "--overlap-bins", split = ",", defaultValue = "0.25,0.5,0.75",
            description = "increasing edges of regions.csv's overlap bins (default: 0.25,0.5,0.75)")
    double[] overlapBins;

    @Override
    public Integer call() throws IOException {
        if (!(ambiguousShare >= 0 && ambiguousShare <= 1)) {
            throw new ConfigException("--ambiguous-share is not in [0, 1]: " + ambiguousShare);
        }
        if (confidenceCut != null && !Double.isFinite(confidenceCut)) {
            throw new ConfigException("--confidence-cut is not finite: " + confidenceCut);
        }
        DatamapByFactor byFactor;
        try {
            byFactor = new DatamapByFactor(snrBins, overlapBins);
        } catch (IllegalArgumentException e) {
            throw new ConfigException("--snr-bins / --overlap-bins: " + e.getMessage());
        }
        AtomicFiles.checkFolder(out);
        Saved saved = readTable(run);
        DatamapTable table = saved.table();
        Corpus corpus = mappedCorpus(table.size(), saved.fingerprint());
        DatamapRegions regions = DatamapRegions.assign(table, ambiguousShare,
                confidenceCut == null ? Double.NaN : confidenceCut);
        int[] counts = regions.counts();
        int seen = corpus.size() - counts[Region.UNSEEN.ordinal()];
        XYChart chart = chart(table, regions, run.getFileName() + ": datamap (" + table.score() + ")");
        try (AtomicFiles.FileSet files = AtomicFiles.fileSet()) {
            files.writeText(out.resolve("datamap.csv"), w -> DatamapCsv.write(w, corpus, table, regions))
                    .writeText(out.resolve("regions.csv"), w -> byFactor.writeRegions(w, table, regions))
                    .write(out.resolve("datamap.png"), Plots.png(chart))
                    .commit();
        }
        StringBuilder line = new StringBuilder("datamap: " + seen + " utterances seen");
        for (Region r : Region.values()) {
            line.append(", ").append(r.label()).append(' ').append(counts[r.ordinal()]);
        }
        System.out.println(line);
        System.out.println("datamap: " + out.resolve("datamap.csv") + ", " + out.resolve("regions.csv") + ", "
                + out.resolve("datamap.png"));
        return 0;
    }

    /**
     * The datamap table of the run's latest checkpoint.
     *
     * @throws ConfigException one line naming the run folder when it holds no checkpoint or no
     *                         datamap state
     */
    /** A checkpoint's datamap and the pipeline fingerprint it was saved with (null when it has none). */
    record Saved(DatamapTable table, String fingerprint) {
    }

    static Saved readTable(Path run) throws IOException {
        Path root = run.resolve("checkpoints");
        Optional<Path> latest = Files.isDirectory(root) ? Checkpoints.resolve(root, Checkpoints.LATEST) : Optional.empty();
        if (latest.isEmpty()) {
            throw new ConfigException(run + ": no checkpoint (checkpoints/latest); expected the folder of a run "
                    + "trained with 'observers: [{name: datamap}]'");
        }
        Path stateFile = latest.get().resolve(CheckpointFiles.STATE_FILE);
        JsonNode state;
        try {
            state = JSON.readTree(stateFile.toFile());
        } catch (IOException e) {
            throw new ConfigException(stateFile + ": cannot read the checkpoint's state: " + AtomicFiles.reason(e), e);
        }
        List<JsonNode> found = new ArrayList<>();
        collect(state.path("pipeline"), found);
        if (found.isEmpty()) {
            throw new ConfigException(run + ": recorded no datamap (no 'datamap' observer state in " + stateFile
                    + "); expected a run trained with 'observers: [{name: datamap}]'");
        }
        if (found.size() > 1) {
            throw new ConfigException(run + ": recorded " + found.size() + " datamaps; expected one");
        }
        JsonNode inside = BinarySideFile.internalise(found.get(0), latest.get());
        try {
            JsonNode fp = state.path("pipeline").path("fingerprint");
            return new Saved(DatamapTable.fromState(inside), fp.isTextual() ? fp.asText() : null);
        } catch (IllegalStateException | IllegalArgumentException e) {
            throw new ConfigException(stateFile + ": the datamap state is damaged: " + e.getMessage(), e);
        }
    }

    private static void collect(JsonNode n, List<JsonNode> found) {
        if (n.isObject() && TseDatamap.STATE_TYPE.equals(n.path("type").asText()) && n.has("columns")) {
            found.add(n);
            return;
        }
        if (n.isContainerNode()) {
            n.forEach(c -> collect(c, found));
        }
    }

    /**
     * The utterances the datamap maps, in its order: the training corpus (--data, else the run's),
     * then the corpora the run's sampler drew targets from (a curriculum's {@code real_corpus},
     * ids {@code real:ID}), as the run's datamap observer mapped them; the training corpus alone
     * for a map of that size (a run without them, or one made before they were mapped).
     */
    private Corpus mappedCorpus(int mapped, String saved) {
        RunConfig cfg = Files.isRegularFile(run.resolve(TrainedModel.CONFIG)) ? TrainedModel.runConfig(run) : null;
        Path trainingPath = data;
        if (trainingPath == null) {
            if (cfg == null) {
                throw new ConfigException(run.resolve(TrainedModel.CONFIG) + ": not found; pass --data DIR, the corpus "
                        + "the run trained on");
            }
            trainingPath = cfg.corpusPath();
            if (trainingPath == null) {
                throw new ConfigException(run.resolve(TrainedModel.CONFIG) + ": names no corpus; pass --data DIR, the "
                        + "corpus the run trained on");
            }
        }
        Corpus training = CorpusReader.read(trainingPath);
        if (cfg != null && saved != null && !saved.equals(Pipeline.fingerprint(cfg, training))) {
            throw new ConfigException(training.source() + ": is not the corpus " + run + " trained on (its utterance ids "
                    + "differ from the run's checkpoint); expected the run's training corpus (--data)");
        }
        if (training.size() == mapped) {
            return training;
        }
        Corpus keys = cfg == null ? training : Pipeline.keyCorpus(cfg, training, ProviderRegistry.load());
        if (keys.size() == mapped) {
            return keys;
        }
        throw new ConfigException(training.source() + ": holds " + training.size() + " utterances"
                + (keys != training ? " (" + keys.size() + " with the sampler's other corpora)" : "")
                + ", but the datamap of " + run + " has " + mapped + "; expected the corpus the run trained on (--data)");
    }

    /** Cartography's figure: x variability, y confidence, one colour per correctness share of epochs. */
    private static XYChart chart(DatamapTable t, DatamapRegions r, String title) {
        XYChart chart = new XYChartBuilder().width(800).height(600).title(title).xAxisTitle("variability")
                .yAxisTitle("confidence").build();
        chart.getStyler().setDefaultSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Scatter);
        chart.getStyler().setMarkerSize(5);
        // correctness as a share of the epochs seen, in fifths
        TreeMap<Integer, List<double[]>> bins = new TreeMap<>();
        double maxVar = 0;
        double minConf = Double.POSITIVE_INFINITY;
        double maxConf = Double.NEGATIVE_INFINITY;
        for (int i = 0; i < t.size(); i++) {
            if (t.epochsSeen(i) == 0) {
                continue;
            }
            int bin = (int) Math.round(5.0 * t.correct(i) / t.epochsSeen(i));
            bins.computeIfAbsent(bin, b -> new ArrayList<>()).add(new double[] {t.variability(i), t.confidence(i)});
            maxVar = Math.max(maxVar, t.variability(i));
            minConf = Math.min(minConf, t.confidence(i));
            maxConf = Math.max(maxConf, t.confidence(i));
        }
        if (bins.isEmpty()) {
            chart.addSeries("no utterance seen", new double[] {0}, new double[] {0}).setMarker(SeriesMarkers.NONE);
            return chart;
        }
        bins.forEach((bin, pts) -> chart.addSeries(String.format(Locale.ROOT, "correct %.1f", bin / 5.0),
                pts.stream().mapToDouble(p -> p[0]).toArray(), pts.stream().mapToDouble(p -> p[1]).toArray()));
        double vCut = Double.isNaN(r.variabilityCut()) ? maxVar : r.variabilityCut();
        if (!Double.isNaN(r.variabilityCut())) {
            line(chart, "ambiguous from here", new double[] {vCut, vCut}, new double[] {minConf, maxConf});
        }
        if (!Double.isNaN(r.confidenceCut())) {
            line(chart, "easy above / hard below", new double[] {0, vCut},
                    new double[] {r.confidenceCut(), r.confidenceCut()});
        }
        return chart;
    }

    private static void line(XYChart chart, String name, double[] x, double[] y) {
        XYSeries s = chart.addSeries(name, x, y);
        s.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Line);
        s.setMarker(SeriesMarkers.NONE);
        s.setLineColor(java.awt.Color.DARK_GRAY);
    }
}
