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
import io.speechsampler.api.corpus.Corpus;
import io.speechsampler.api.corpus.CorpusReader;
import io.speechsampler.audio.mix.CorpusSubset;
import io.speechsampler.audio.mix.DynamicMixingSettings;
import io.speechsampler.audio.mix.MixtureCorpus;
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

    /**
     * One system's figures on one test set: its metric per seed, in the spec's seed order, and the
     * spec's {@code report} keys per seed (NaN where a summary lacks one).
     */
    public record SystemResult(String test, String name, String metric, double[] values, SeedStatistics stats,
                               SeedStatistics paired, Map<String, double[]> reported) {
    }

    /** A paired comparison {@code a - b} on one test set. */
    public record PairResult(String test, String a, String b, double[] differences, SeedStatistics stats) {
    }

    /** Runs what has not run, then writes the results; returns them, test set by test set. */
    public static List<SystemResult> run(ExperimentSpec spec, Path out) throws IOException {
        // every system's recipe and phase checked before anything is written
        Map<String, Recipe> loaded = new LinkedHashMap<>();
        for (ExperimentSpec.SystemSpec system : spec.systems()) {
            if (system.config() != null) {
                loaded.put(system.name(), recipe(spec, system, out, spec.seeds().get(0)));
            }
            if (system.phase() != null) {
                phase(spec, system, loaded.get(system.owner()).phases());
            }
        }
        Files.createDirectories(out);
        Path train = spec.own("train", out);
        Path valid = spec.own("valid", out);
        Path test = spec.own("test", out);
        if (spec.synth() != null) {
            make(spec.synth(), out.resolve("corpus"));
        }
        for (ExperimentSpec.ExtraCorpus c : spec.corpora()) {
            if (c.synth() != null) {
                make(c.synth(), c.folder(out));
            } else if (c.derived() != null) {
                make(spec, c, out);
            }
        }
        // and their corpora, once made, before anything trains
        Map<String, List<Phase>> recipes = new LinkedHashMap<>();
        for (Map.Entry<String, Recipe> e : loaded.entrySet()) {
            ExperimentSpec.SystemSpec system = spec.systems().stream().filter(x -> x.name().equals(e.getKey()))
                    .findFirst().orElseThrow();
            recipes.put(e.getKey(), phases(spec, system, e.getValue(), out, train));
        }
        int total = spec.systems().size() * spec.seeds().size();
        int k = 0;
        // by test set, then system: the metric per seed, and the reported keys per seed
        Map<String, Map<String, double[]>> values = new LinkedHashMap<>();
        Map<String, Map<String, Map<String, double[]>>> reported = new LinkedHashMap<>();
        spec.tests().forEach(t -> {
            values.put(t.name(), new LinkedHashMap<>());
            reported.put(t.name(), new LinkedHashMap<>());
        });
        java.util.Set<Path> trainedNow = new java.util.HashSet<>();
        ArrayNode runs = JSON.createArrayNode();
        for (ExperimentSpec.SystemSpec system : spec.systems()) {
            String metric = system.metric() != null ? system.metric() : spec.metric();
            for (ExperimentSpec.TestSet t : spec.tests()) {
                values.get(t.name()).put(system.name(), new double[spec.seeds().size()]);
                Map<String, double[]> r = new LinkedHashMap<>();
                spec.report().forEach(key -> r.put(key, new double[spec.seeds().size()]));
                reported.get(t.name()).put(system.name(), r);
            }
            for (int i = 0; i < spec.seeds().size(); i++) {
                long seed = spec.seeds().get(i);
                k++;
                Path runDir = out.resolve(system.owner()).resolve("seed-" + seed);
                Path evalDir = out.resolve(system.name()).resolve("seed-" + seed);
                for (ExperimentSpec.TestSet t : spec.tests()) {
                    Path report = evalDir.resolve(t.folder());
                    Path summaryFile = report.resolve("summary.json");
                    if (!Files.isRegularFile(summaryFile)) {
                        if (trainedNow.add(runDir)) {
                            ExperimentSpec.SystemSpec owner = spec.systems().stream()
                                    .filter(x -> x.name().equals(system.owner())).findFirst().orElseThrow();
                            LOG.info("experiment: {}, seed {} ({}/{})", owner.name(), seed, k, total);
                            Recipe recipe = recipe(spec, owner, out, seed);
                            boolean started = Files.isRegularFile(runDir.resolve(RecipeRun.RECIPE))
                                    || TrainingRun.hasTrained(runDir);
                            RecipeRun.train(phases(spec, owner, recipe, out, train), recipe.toYaml(), valid, runDir,
                                    started);
                        }
                        Path checkpoint = system.phase() == null ? runDir
                                : RecipeRun.folder(runDir, phase(spec, system, recipes.get(system.owner())));
                        Path data = t.corpus() == null ? test : spec.corpora().stream()
                                .filter(c -> c.name().equals(t.corpus())).findFirst().orElseThrow()
                                .folder(out).resolve("test");
                        Evaluation.evaluate(checkpoint, data, report, t.protocol());
                    }
                    JsonNode summary = JSON.readTree(summaryFile.toFile());
                    JsonNode m = summary.get(metric);
                    if (m == null || !m.isNumber()) {
                        throw new ConfigException(spec.file() + ": metric '" + metric + "' of system '" + system.name()
                                + "' is not in " + summaryFile + "; it holds: " + String.join(", ", iterable(summary)));
                    }
                    values.get(t.name()).get(system.name())[i] = m.asDouble();
                    for (Map.Entry<String, double[]> e : reported.get(t.name()).get(system.name()).entrySet()) {
                        JsonNode x = summary.get(e.getKey());
                        e.getValue()[i] = x != null && x.isNumber() ? x.asDouble() : Double.NaN;
                    }
                    ObjectNode o = runs.addObject();
                    o.put("system", system.name());
                    o.put("seed", seed);
                    if (spec.tests().size() > 1 || !t.folder().equals(ExperimentSpec.TEST_FOLDER)) {
                        o.put("test", t.name());
                    }
                    o.put("run", out.relativize(runDir).toString());
                    if (system.phase() != null) {
                        o.put("phase", system.phase());
                    }
                    o.put("metric", metric);
                    o.set("summary", summary);
                }
            }
        }
        List<SystemResult> results = new ArrayList<>();
        List<PairResult> pairs = new ArrayList<>();
        for (Map.Entry<String, Map<String, double[]>> byTest : values.entrySet()) {
            double[] first = byTest.getValue().values().iterator().next();
            boolean firstOne = true;
            for (Map.Entry<String, double[]> e : byTest.getValue().entrySet()) {
                ExperimentSpec.SystemSpec system = spec.systems().stream().filter(x -> x.name().equals(e.getKey()))
                        .findFirst().orElseThrow();
                results.add(new SystemResult(byTest.getKey(), e.getKey(),
                        system.metric() != null ? system.metric() : spec.metric(), e.getValue(),
                        SeedStatistics.of(e.getValue()), firstOne ? null : SeedStatistics.of(minus(e.getValue(), first)),
                        reported.get(byTest.getKey()).get(e.getKey())));
                firstOne = false;
            }
            for (ExperimentSpec.Pair pair : spec.pairs()) {
                double[] d = minus(byTest.getValue().get(pair.a()), byTest.getValue().get(pair.b()));
                pairs.add(new PairResult(byTest.getKey(), pair.a(), pair.b(), d, SeedStatistics.of(d)));
            }
        }
        write(spec, out, results, pairs, runs);
        return results;
    }

    private static double[] minus(double[] a, double[] b) {
        double[] d = new double[a.length];
        for (int i = 0; i < d.length; i++) {
            d[i] = a[i] - b[i];
        }
        return d;
    }

    /** A system's recipe with its overrides and {@code seed}. */
    private static Recipe recipe(ExperimentSpec spec, ExperimentSpec.SystemSpec system, Path out, long seed) {
        List<String> set = new ArrayList<>(spec.resolvedSet(system, out));
        set.add("seed=" + seed);
        return Recipe.load(system.config(), set);
    }

    /** The recipe's phases on their corpora: {@code data:NAME} from the system's {@code data}, others {@code train}. */
    private static List<Phase> phases(ExperimentSpec spec, ExperimentSpec.SystemSpec system, Recipe recipe, Path out,
                                      Path train) {
        try {
            return RecipeRun.withCorpora(recipe, train, spec.resolvedData(system, out));
        } catch (ConfigException e) {
            throw new ConfigException(spec.file() + ": system '" + system.name() + "': " + e.getMessage(), e);
        }
    }

    /** The phase a system evaluates: its path ({@code lgl/2/gated}) or, when unique, its name. */
    private static Phase phase(ExperimentSpec spec, ExperimentSpec.SystemSpec system, List<Phase> phases) {
        List<Phase> byPath = phases.stream().filter(p -> p.path().equals(system.phase())).toList();
        List<Phase> byName = phases.stream().filter(p -> p.name().equals(system.phase())).toList();
        List<Phase> found = !byPath.isEmpty() ? byPath : byName;
        if (found.size() != 1) {
            throw new ConfigException(spec.file() + ": system '" + system.name() + "' evaluates phase '"
                    + system.phase() + "', " + (found.isEmpty() ? "which" : "a name that names " + found.size()
                    + " phases of") + " the recipe of '" + system.owner() + "' " + (found.isEmpty() ? "does not have" : "has")
                    + "; its phases: " + String.join(", ", phases.stream().map(Phase::path).toList()));
        }
        return found.get(0);
    }

    private static void make(io.speechsampler.audio.synth.SynthSpec synth, Path corpus) throws IOException {
        if (!Files.isDirectory(corpus.resolve("test"))) {
            LOG.info("experiment: making the built-in corpus in {}", corpus);
            SyntheticCorpus.write(synth, corpus, ProgressListener.NONE);
        }
    }

    /**
     * Makes a derived corpus ({@code mix} or {@code subset}) into its folder's {@code train}, as a
     * whole folder ({@link AtomicFiles#writeFolder}): a killed experiment remakes it.
     */
    private static void make(ExperimentSpec spec, ExperimentSpec.ExtraCorpus c, Path out) throws IOException {
        Path target = c.folder(out).resolve("train");
        if (Files.isDirectory(target)) {
            return;
        }
        ExperimentSpec.Derived d = c.derived();
        Path from = switch (d.from()) {
            case "train", "valid", "test" -> spec.own(d.from(), out);
            default -> spec.corpora().stream().filter(x -> x.name().equals(d.from())).findFirst().orElseThrow()
                    .folder(out).resolve("train");
        };
        if (from == null) {
            throw new ConfigException(spec.file() + ": corpora." + c.name() + "." + d.kind() + ".from is '" + d.from()
                    + "', which this experiment does not have");
        }
        Corpus source = CorpusReader.read(from);
        LOG.info("experiment: making corpus '{}' ({} of {}) in {}", c.name(), d.kind(), from, target);
        if (d.kind().equals("mix") && source.numSpeakers() < d.speakers()) {
            throw new ConfigException(spec.file() + ": corpora." + c.name() + ".mix: mixtures of " + d.speakers()
                    + " speakers need at least " + d.speakers() + " speakers, " + from + " has " + source.numSpeakers());
        }
        int subset = d.kind().equals("mix") ? 0 : CorpusSubset.count(source.size(), d.count(), d.fraction(),
                spec.file() + ": corpora." + c.name() + ".subset: ", "utterances", "fraction");
        Files.createDirectories(target.getParent());
        AtomicFiles.writeFolder(target, dir -> {
            if (d.kind().equals("mix")) {
                MixtureCorpus.write(source, new DynamicMixingSettings(d.speakers(), -d.gainDb(), d.gainDb(),
                        d.seconds(), 1.0, 10, 20), d.count(), d.seed(), dir, ProgressListener.NONE);
            } else {
                CorpusSubset.write(source, subset, d.seed(), dir, ProgressListener.NONE);
            }
        });
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

    private static void write(ExperimentSpec spec, Path out, List<SystemResult> results, List<PairResult> pairs,
                              ArrayNode runs) throws IOException {
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
            o.put("metric", r.metric());
            putStats(o, r.values(), r.stats());
            if (!r.reported().isEmpty()) {
                ObjectNode rep = o.putObject("reported");
                r.reported().forEach((key, vals) -> putStats(rep.putObject(key), vals, SeedStatistics.of(vals)));
            }
            if (r.paired() != null) {
                ObjectNode d = o.putObject("paired_difference_to_" + of(results, r.test()).get(0).name());
                putInterval(d, r.paired());
                d.put("resolved", r.paired().excludesZero());
            }
        }
        if (!pairs.isEmpty()) {
            ArrayNode ps = root.putArray("pairs");
            for (PairResult pr : pairs) {
                ObjectNode o = ps.addObject();
                if (named) {
                    o.put("test", pr.test());
                }
                o.put("a", pr.a());
                o.put("b", pr.b());
                putStats(o, pr.differences(), pr.stats());
                o.put("resolved", pr.stats().excludesZero());
            }
        }
        root.set("runs", runs);
        try (AtomicFiles.FileSet set = AtomicFiles.fileSet()) {
            set.writeString(out.resolve(RESULTS_JSON), JSON.writerWithDefaultPrettyPrinter().writeValueAsString(root)
                    + "\n");
            set.writeString(out.resolve(RESULTS_MD), markdown(spec, results, pairs));
            set.write(out.resolve(RESULTS_PNG), Plots.png(chart(spec, results)));
            set.commit();
        }
    }

    private static void putStats(ObjectNode o, double[] values, SeedStatistics stats) {
        ArrayNode v = o.putArray("values");
        for (double x : values) {
            if (Double.isFinite(x)) {
                v.add(x);
            } else {
                v.addNull();
            }
        }
        putInterval(o, stats);
    }

    private static void putInterval(ObjectNode o, SeedStatistics stats) {
        putNumber(o, "mean", stats.mean());
        putNumber(o, "ci95_low", stats.low());
        putNumber(o, "ci95_high", stats.high());
    }

    private static void putNumber(ObjectNode o, String key, double v) {
        if (Double.isFinite(v)) {
            o.put(key, v);
        } else {
            o.putNull(key);
        }
    }

    /** The RESULTS.md text. */
    static String markdown(ExperimentSpec spec, List<SystemResult> results, List<PairResult> pairs) {
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
            extras(sb, spec, results, pairs);
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
            extras(sb, spec, of(results, t.name()), pairs.stream().filter(p -> p.test().equals(t.name())).toList());
        }
        return sb.toString();
    }

    /** The {@code report} keys' table and the {@code pairs}' table of one test set. */
    private static void extras(StringBuilder sb, ExperimentSpec spec, List<SystemResult> results,
                               List<PairResult> pairs) {
        if (!spec.report().isEmpty()) {
            sb.append("\nAlso reported (mean and 95% t-interval over seeds; n/a where a system's summary has no such key):\n\n");
            sb.append("| system |");
            spec.report().forEach(key -> sb.append(" `").append(key).append("` |"));
            sb.append("\n|---|").append("---|".repeat(spec.report().size())).append('\n');
            for (SystemResult r : results) {
                sb.append("| ").append(r.name()).append(" |");
                for (String key : spec.report()) {
                    double[] v = r.reported().get(key);
                    boolean all = java.util.Arrays.stream(v).allMatch(Double::isFinite);
                    SeedStatistics st = SeedStatistics.of(v);
                    sb.append(all ? String.format(Locale.ROOT, " %.3f %s", st.mean(), interval(st)) : " n/a").append(" |");
                }
                sb.append('\n');
            }
        }
        if (!pairs.isEmpty()) {
            sb.append("\nPaired comparisons (A - B by seed, each system's own metric):\n\n")
                    .append("| A - B | per seed | mean | 95% CI | resolved |\n|---|---|---|---|---|\n");
            for (PairResult p : pairs) {
                StringBuilder per = new StringBuilder();
                for (double v : p.differences()) {
                    per.append(per.length() == 0 ? "" : ", ").append(String.format(Locale.ROOT, "%+.3f", v));
                }
                sb.append("| ").append(p.a()).append(" - ").append(p.b()).append(" | ").append(per).append(" | ")
                        .append(String.format(Locale.ROOT, "%+.3f", p.stats().mean())).append(" | ")
                        .append(interval(p.stats())).append(" | ")
                        .append(p.stats().n() < 2 ? "no (one seed)" : p.stats().excludesZero() ? "yes" : "no")
                        .append(" |\n");
            }
        }
    }

    private static String described(Protocol p) {
        if (p == null) {
            return " (each run's own draws)";
        }
        return " (" + p.protocol() + (p.sampler() != null ? " drawn by " + p.sampler() : "") + ", " + p.count()
                + " per condition, seed " + p.seed() + ")";
    }

    private static void table(StringBuilder sb, List<SystemResult> results, String reference) {
        boolean metrics = results.stream().map(SystemResult::metric).distinct().count() > 1;
        sb.append("| system |").append(metrics ? " metric |" : "").append(" per seed | mean | 95% CI | difference to ")
                .append(reference).append(" | 95% CI | resolved |\n|---|---|---|---|---|---|---|")
                .append(metrics ? "---|" : "").append('\n');
        for (SystemResult r : results) {
            StringBuilder per = new StringBuilder();
            for (double v : r.values()) {
                per.append(per.length() == 0 ? "" : ", ").append(String.format(Locale.ROOT, "%.3f", v));
            }
            sb.append("| ").append(r.name()).append(" | ").append(metrics ? "`" + r.metric() + "` | " : "")
                    .append(per).append(" | ")
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
