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
import io.speechsampler.run.validation.Protocol;
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

    /** One system's figures on one test set: the metric per seed, in the spec's seed order. */
    public record SystemResult(String test, String name, double[] values, SeedStatistics stats,
                               SeedStatistics paired) {
    }

    /** Runs what has not run, then writes the results; returns them, test set by test set. */
    public static List<SystemResult> run(ExperimentSpec spec, Path out) throws IOException {
        Files.createDirectories(out);
        Path train = spec.train();
        Path valid = spec.valid();
        Path test = spec.test();
        if (spec.synth() != null) {
            Path corpus = out.resolve("corpus");
            make(spec.synth(), corpus);
            train = corpus.resolve("train");
            valid = spec.synth().validSpeakers() > 0 ? corpus.resolve("valid") : null;
            test = corpus.resolve("test");
        }
        for (ExperimentSpec.ExtraCorpus c : spec.corpora()) {
            if (c.synth() != null) {
                make(c.synth(), c.folder(out));
            }
        }
        int total = spec.systems().size() * spec.seeds().size();
        int k = 0;
        // by test set, then system: the metric per seed
        Map<String, Map<String, double[]>> values = new LinkedHashMap<>();
        spec.tests().forEach(t -> values.put(t.name(), new LinkedHashMap<>()));
        ArrayNode runs = JSON.createArrayNode();
        for (ExperimentSpec.SystemSpec system : spec.systems()) {
            for (ExperimentSpec.TestSet t : spec.tests()) {
                values.get(t.name()).put(system.name(), new double[spec.seeds().size()]);
            }
            for (int i = 0; i < spec.seeds().size(); i++) {
                long seed = spec.seeds().get(i);
                k++;
                Path runDir = out.resolve(system.name()).resolve("seed-" + seed);
                boolean trained = false;
                for (ExperimentSpec.TestSet t : spec.tests()) {
                    Path report = runDir.resolve(t.folder());
                    Path summaryFile = report.resolve("summary.json");
                    if (!Files.isRegularFile(summaryFile)) {
                        if (!trained) {
                            LOG.info("experiment: {}, seed {} ({}/{})", system.name(), seed, k, total);
                            List<String> set = new ArrayList<>(spec.resolvedSet(system, out));
                            set.add("seed=" + seed);
                            Recipe recipe = Recipe.load(system.config(), set);
                            List<Phase> phases = RecipeRun.withCorpus(recipe, train);
                            boolean started = Files.isRegularFile(runDir.resolve(RecipeRun.RECIPE))
                                    || TrainingRun.hasTrained(runDir);
                            RecipeRun.train(phases, recipe.toYaml(), valid, runDir, started);
                            trained = true;
                        }
                        Path data = t.corpus() == null ? test : spec.corpora().stream()
                                .filter(c -> c.name().equals(t.corpus())).findFirst().orElseThrow()
                                .folder(out).resolve("test");
                        Evaluation.evaluate(runDir, data, report, t.protocol());
                    }
                    JsonNode summary = JSON.readTree(summaryFile.toFile());
                    JsonNode m = summary.get(spec.metric());
                    if (m == null || !m.isNumber()) {
                        throw new ConfigException(spec.file() + ": metric '" + spec.metric() + "' is not in "
                                + summaryFile + "; it holds: " + String.join(", ", iterable(summary)));
                    }
                    values.get(t.name()).get(system.name())[i] = m.asDouble();
                    ObjectNode o = runs.addObject();
                    o.put("system", system.name());
                    o.put("seed", seed);
                    if (spec.tests().size() > 1 || !t.folder().equals(ExperimentSpec.TEST_FOLDER)) {
                        o.put("test", t.name());
                    }
                    o.put("run", out.relativize(runDir).toString());
                    o.set("summary", summary);
                }
            }
        }
        List<SystemResult> results = new ArrayList<>();
        for (Map.Entry<String, Map<String, double[]>> byTest : values.entrySet()) {
            double[] first = byTest.getValue().values().iterator().next();
            boolean firstOne = true;
            for (Map.Entry<String, double[]> e : byTest.getValue().entrySet()) {
                double[] diff = new double[first.length];
                for (int i = 0; i < diff.length; i++) {
                    diff[i] = e.getValue()[i] - first[i];
                }
                results.add(new SystemResult(byTest.getKey(), e.getKey(), e.getValue(), SeedStatistics.of(e.getValue()),
                        firstOne ? null : SeedStatistics.of(diff)));
                firstOne = false;
            }
        }
        write(spec, out, results, runs);
        return results;
    }

    private static void make(io.speechsampler.audio.synth.SynthSpec synth, Path corpus) throws IOException {
        if (!Files.isDirectory(corpus.resolve("test"))) {
            LOG.info("experiment: making the built-in corpus in {}", corpus);
            SyntheticCorpus.write(synth, corpus, ProgressListener.NONE);
        }
    }

    /** The results of one test set, in system order. */
    private static List<SystemResult> of(List<SystemResult> results, String test) {
        return results.stream().filter(r -> r.test().equals(test)).toList();
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
        boolean named = spec.tests().size() > 1 || !spec.tests().get(0).folder().equals(ExperimentSpec.TEST_FOLDER);
        ArrayNode systems = root.putArray("systems");
        for (SystemResult r : results) {
            ObjectNode o = systems.addObject();
            if (named) {
                o.put("test", r.test());
            }
            o.put("name", r.name());
            ArrayNode v = o.putArray("values");
            for (double x : r.values()) {
                v.add(x);
            }
            o.put("mean", r.stats().mean());
            putNumber(o, "ci95_low", r.stats().low());
            putNumber(o, "ci95_high", r.stats().high());
            if (r.paired() != null) {
                ObjectNode d = o.putObject("paired_difference_to_" + of(results, r.test()).get(0).name());
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
        String reference = results.get(0).name();
        if (spec.tests().size() == 1 && spec.tests().get(0).folder().equals(ExperimentSpec.TEST_FOLDER)) {
            Protocol protocol = spec.tests().get(0).protocol();
            sb.append(String.format(Locale.ROOT, "Metric `%s` on the fixed test set%s, seeds %s (%d per system). Mean "
                            + "and 95%% t-interval over seeds; paired differences are per seed against `%s`. A "
                            + "difference whose interval covers 0 is **not resolved**.%n%n", spec.metric(),
                    described(protocol), spec.seeds(), spec.seeds().size(), reference));
            table(sb, results, reference);
            return sb.toString();
        }
        sb.append(String.format(Locale.ROOT, "Metric `%s` on %d fixed test sets, seeds %s (%d per system). Mean and 95%% "
                        + "t-interval over seeds; paired differences are per seed against `%s` on the same test set. "
                        + "A difference whose interval covers 0 is **not resolved**.%n%n", spec.metric(),
                spec.tests().size(), spec.seeds(), spec.seeds().size(), reference));
        sb.append("| system |");
        spec.tests().forEach(t -> sb.append(' ').append(t.name()).append(" |"));
        sb.append("\n|---|").append("---|".repeat(spec.tests().size())).append('\n');
        for (ExperimentSpec.SystemSpec system : spec.systems()) {
            sb.append("| ").append(system.name()).append(" |");
            for (ExperimentSpec.TestSet t : spec.tests()) {
                SystemResult r = of(results, t.name()).stream().filter(x -> x.name().equals(system.name()))
                        .findFirst().orElseThrow();
                sb.append(String.format(Locale.ROOT, " %.3f", r.stats().mean()));
                if (r.paired() != null && r.paired().n() >= 2) {
                    sb.append(String.format(Locale.ROOT, " (%+.3f%s)", r.paired().mean(),
                            r.paired().excludesZero() ? ", resolved" : ""));
                }
                sb.append(" |");
            }
            sb.append('\n');
        }
        sb.append("\nMeans over seeds; in brackets the paired difference to `").append(reference)
                .append("`, marked when its 95% interval excludes 0.\n");
        for (ExperimentSpec.TestSet t : spec.tests()) {
            sb.append("\n## ").append(t.name()).append("\n\n").append("Test set").append(described(t.protocol()))
                    .append(t.corpus() == null ? "" : " on the test speakers of corpus `" + t.corpus() + "`")
                    .append(", evaluated into `").append(t.folder()).append("/` of each run.\n\n");
            table(sb, of(results, t.name()), reference);
        }
        return sb.toString();
    }

    private static String described(Protocol p) {
        if (p == null) {
            return " (each run's own draws)";
        }
        return " (" + p.protocol() + (p.sampler() != null ? " drawn by " + p.sampler() : "") + ", " + p.count()
                + " per condition, seed " + p.seed() + ")";
    }

    private static void table(StringBuilder sb, List<SystemResult> results, String reference) {
        sb.append("| system | per seed | mean | 95% CI | difference to ").append(reference)
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
    }

    private static String interval(SeedStatistics s) {
        return s.n() < 2 ? "n/a" : String.format(Locale.ROOT, "[%.3f, %.3f]", s.low(), s.high());
    }

    private static CategoryChart chart(ExperimentSpec spec, List<SystemResult> results) {
        boolean several = spec.tests().size() > 1;
        CategoryChart chart = new CategoryChartBuilder().width(several ? 1200 : 900).height(500)
                .title(spec.metric() + ": mean and 95% interval over " + spec.seeds().size() + " seeds")
                .xAxisTitle(several ? "test set" : "system").yAxisTitle(spec.metric()).build();
        chart.getStyler().setChartBackgroundColor(java.awt.Color.WHITE);
        chart.getStyler().setLegendVisible(several);
        if (!several) {
            addSeries(chart, spec.metric(), results.stream().map(SystemResult::name).toList(), results);
            return chart;
        }
        List<String> tests = spec.tests().stream().map(ExperimentSpec.TestSet::name).toList();
        for (ExperimentSpec.SystemSpec system : spec.systems()) {
            List<SystemResult> bySystem = results.stream().filter(r -> r.name().equals(system.name())).toList();
            addSeries(chart, system.name(), tests, bySystem);
        }
        return chart;
    }

    private static void addSeries(CategoryChart chart, String name, List<String> categories, List<SystemResult> rs) {
        List<Double> means = rs.stream().map(r -> r.stats().mean()).toList();
        List<Double> errors = rs.stream().map(r -> Double.isFinite(r.stats().halfWidth())
                ? r.stats().halfWidth() : 0.0).toList();
        chart.addSeries(name, categories, means, errors);
    }
}
