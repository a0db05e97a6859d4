package io.speechsampler.run.experiment;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.speechsampler.api.config.ConfigException;
import io.speechsampler.api.config.Phase;
import io.speechsampler.api.config.Recipe;
import io.speechsampler.api.io.AtomicFiles;
import io.speechsampler.audio.synth.ProgressListener;
import io.speechsampler.audio.synth.SyntheticCorpus;
import io.speechsampler.run.Evaluation;
import io.speechsampler.run.Plots;
import io.speechsampler.run.RecipeRun;
import io.speechsampler.run.TrainingRun;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.knowm.xchart.CategoryChart;
import org.knowm.xchart.CategoryChartBuilder;

/**
 * Runs every system of an {@link ExperimentSpec} with every seed into
 * {@code OUT/<system>/seed-<s>/} (a run folder; its evaluation in {@code test/}), resumably: a run
 * whose evaluation exists is not run again, and a run killed midway resumes from its checkpoint.
 * Then writes {@code results.json} (every run's figures), {@code RESULTS.md} (per system the mean
 * and 95% t-interval over seeds; per system after the first the paired difference to the first by
 * seed, with its interval, and whether it is resolved) and {@code results.png}.
 */
public final class Experiment {

    private static final Logger LOG = LoggerFactory.getLogger(Experiment.class);

    public static final String RESULTS_JSON = "results.json";
    public static final String RESULTS_MD = "RESULTS.md";
    public static final String RESULTS_PNG = "results.png";

    private static final ObjectMapper JSON = new ObjectMapper();

    private Experiment() {
    }

    /** One system's figures: the metric per seed, in the spec's seed order. */
    public record SystemResult(String name, double[] values, SeedStatistics stats, SeedStatistics paired) {
    }

    /** Runs what has not run, then writes the results; returns them. */
    public static List<SystemResult> run(ExperimentSpec spec, Path out) throws IOException {
        Files.createDirectories(out);
        Path train = spec.train();
        Path valid = spec.valid();
        Path test = spec.test();
        if (spec.synth() != null) {
            Path corpus = out.resolve("corpus");
            if (!Files.isDirectory(corpus.resolve("test"))) {
                LOG.info("experiment: making the built-in corpus in {}", corpus);
                SyntheticCorpus.write(spec.synth(), corpus, ProgressListener.NONE);
            }
            train = corpus.resolve("train");
            valid = spec.synth().validSpeakers() > 0 ? corpus.resolve("valid") : null;
            test = corpus.resolve("test");
        }
        int total = spec.systems().size() * spec.seeds().size();
        int k = 0;
        Map<String, double[]> values = new LinkedHashMap<>();
        ArrayNode runs = JSON.createArrayNode();
        for (ExperimentSpec.SystemSpec system : spec.systems()) {
            double[] v = new double[spec.seeds().size()];
            for (int i = 0; i < spec.seeds().size(); i++) {
                long seed = spec.seeds().get(i);
                k++;
                Path runDir = out.resolve(system.name()).resolve("seed-" + seed);
                Path report = runDir.resolve("test");
                Path summaryFile = report.resolve("summary.json");
                if (!Files.isRegularFile(summaryFile)) {
                    LOG.info("experiment: {}, seed {} ({}/{})", system.name(), seed, k, total);
                    List<String> set = new ArrayList<>(system.set());
                    set.add("seed=" + seed);
                    Recipe recipe = Recipe.load(system.config(), set);
                    List<Phase> phases = RecipeRun.withCorpus(recipe, train);
                    boolean started = Files.isRegularFile(runDir.resolve(RecipeRun.RECIPE))
                            || TrainingRun.hasTrained(runDir);
                    RecipeRun.train(phases, recipe.toYaml(), valid, runDir, started);
                    Evaluation.evaluate(runDir, test, report, spec.protocol());
                }
                JsonNode summary = JSON.readTree(summaryFile.toFile());
                JsonNode m = summary.get(spec.metric());
                if (m == null || !m.isNumber()) {
                    throw new ConfigException(spec.file() + ": metric '" + spec.metric() + "' is not in " + summaryFile
                            + "; it holds: " + String.join(", ", iterable(summary)));
                }
                v[i] = m.asDouble();
                ObjectNode o = runs.addObject();
                o.put("system", system.name());
                o.put("seed", seed);
                o.put("run", out.relativize(runDir).toString());
                o.set("summary", summary);
            }
            values.put(system.name(), v);
        }
        List<SystemResult> results = new ArrayList<>();
        double[] first = values.values().iterator().next();
        for (Map.Entry<String, double[]> e : values.entrySet()) {
            double[] diff = new double[first.length];
            for (int i = 0; i < diff.length; i++) {
                diff[i] = e.getValue()[i] - first[i];
            }
            results.add(new SystemResult(e.getKey(), e.getValue(), SeedStatistics.of(e.getValue()),
                    results.isEmpty() ? null : SeedStatistics.of(diff)));
        }
        write(spec, out, results, runs);
        return results;
    }

    private static List<String> iterable(JsonNode o) {
        List<String> names = new ArrayList<>();
        o.fieldNames().forEachRemaining(names::add);
        return names;
    }

    private static void write(ExperimentSpec spec, Path out, List<SystemResult> results, ArrayNode runs)
            throws IOException {
        ObjectNode root = JSON.createObjectNode();
        root.put("experiment", spec.file().toAbsolutePath().toString());
        root.put("metric", spec.metric());
        ArrayNode seeds = root.putArray("seeds");
        spec.seeds().forEach(seeds::add);
        ArrayNode systems = root.putArray("systems");
        for (SystemResult r : results) {
            ObjectNode o = systems.addObject();
            o.put("name", r.name());
            ArrayNode v = o.putArray("values");
            for (double x : r.values()) {
                v.add(x);
            }
            o.put("mean", r.stats().mean());
            putNumber(o, "ci95_low", r.stats().low());
            putNumber(o, "ci95_high", r.stats().high());
            if (r.paired() != null) {
                ObjectNode d = o.putObject("paired_difference_to_" + results.get(0).name());
                d.put("mean", r.paired().mean());
                putNumber(d, "ci95_low", r.paired().low());
                putNumber(d, "ci95_high", r.paired().high());
                d.put("resolved", r.paired().excludesZero());
            }
        }
        root.set("runs", runs);
        try (AtomicFiles.FileSet set = AtomicFiles.fileSet()) {
            set.writeString(out.resolve(RESULTS_JSON), JSON.writerWithDefaultPrettyPrinter().writeValueAsString(root)
                    + "\n");
            set.writeString(out.resolve(RESULTS_MD), markdown(spec, results));
            set.write(out.resolve(RESULTS_PNG), Plots.png(chart(spec, results)));
            set.commit();
        }
    }

    private static void putNumber(ObjectNode o, String key, double v) {
        if (Double.isFinite(v)) {
            o.put(key, v);
        } else {
            o.putNull(key);
        }
    }

    /** The RESULTS.md text. */
    static String markdown(ExperimentSpec spec, List<SystemResult> results) {
        StringBuilder sb = new StringBuilder();
        sb.append("# Results: ").append(spec.file().getFileName()).append("\n\n");
        sb.append(String.format(Locale.ROOT, "Metric `%s` on the fixed test set%s, seeds %s (%d per system). Mean and "
                        + "95%% t-interval over seeds; paired differences are per seed against `%s`. A difference "
                        + "whose interval covers 0 is **not resolved**.%n%n", spec.metric(),
                spec.protocol() == null ? " (each run's own draws)" : " (" + spec.protocol().protocol() + ", "
                        + spec.protocol().count() + " per condition, seed " + spec.protocol().seed() + ")",
                spec.seeds(), spec.seeds().size(), results.get(0).name()));
        sb.append("| system | per seed | mean | 95% CI | difference to ").append(results.get(0).name())
                .append(" | 95% CI | resolved |\n|---|---|---|---|---|---|---|\n");
        for (SystemResult r : results) {
            StringBuilder per = new StringBuilder();
            for (double v : r.values()) {
                per.append(per.length() == 0 ? "" : ", ").append(String.format(Locale.ROOT, "%.3f", v));
            }
            sb.append("| ").append(r.name()).append(" | ").append(per).append(" | ")
                    .append(String.format(Locale.ROOT, "%.3f", r.stats().mean())).append(" | ")
                    .append(interval(r.stats())).append(" | ");
            if (r.paired() == null) {
                sb.append("(reference) | | |\n");
            } else {
                sb.append(String.format(Locale.ROOT, "%+.3f", r.paired().mean())).append(" | ")
                        .append(interval(r.paired())).append(" | ")
                        .append(r.paired().n() < 2 ? "no (one seed)" : r.paired().excludesZero() ? "yes" : "no")
                        .append(" |\n");
            }
        }
        return sb.toString();
    }

    private static String interval(SeedStatistics s) {
        return s.n() < 2 ? "n/a" : String.format(Locale.ROOT, "[%.3f, %.3f]", s.low(), s.high());
    }

    private static CategoryChart chart(ExperimentSpec spec, List<SystemResult> results) {
        CategoryChart chart = new CategoryChartBuilder().width(900).height(500)
                .title(spec.metric() + ": mean and 95% interval over " + spec.seeds().size() + " seeds")
                .xAxisTitle("system").yAxisTitle(spec.metric()).build();
        chart.getStyler().setChartBackgroundColor(java.awt.Color.WHITE);
        chart.getStyler().setLegendVisible(false);
        List<String> names = results.stream().map(SystemResult::name).toList();
        List<Double> means = results.stream().map(r -> r.stats().mean()).toList();
        List<Double> errors = results.stream().map(r -> Double.isFinite(r.stats().halfWidth())
                ? r.stats().halfWidth() : 0.0).toList();
        chart.addSeries(spec.metric(), names, means, errors);
        return chart;
    }
}
