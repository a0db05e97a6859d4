package io.speechsampler.cli;

import io.speechsampler.api.io.AtomicFiles;
import io.speechsampler.run.experiment.Experiment;
import io.speechsampler.run.experiment.ExperimentSpec;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code sampler experiment}: every system of an experiment file with every seed, then the statistics. */
@Command(name = "experiment", header = "Runs systems x seeds and reports means with 95%% intervals and paired differences.",
        mixinStandardHelpOptions = true,
        description = {"Trains every system of the experiment file (a config with --set overrides) with every seed into",
                "OUT/<system>/seed-<s>/, evaluates each on the same fixed test set, and writes results.json,",
                "RESULTS.md (mean and 95%% t-interval per system, paired difference to the first system) and",
                "results.png. Resumable: a finished run is not run again, a killed one resumes."})
final class ExperimentCommand implements Callable<Integer> {

    @Option(names = "--spec", required = true, description = "experiment file (YAML): seeds, corpus, test, metric, systems")
    Path spec;

    @Option(names = "--out", required = true, description = "output folder")
    Path out;

    @Override
    public Integer call() throws Exception {
        AtomicFiles.checkFolder(out);
        ExperimentSpec s = ExperimentSpec.load(spec);
        List<Experiment.SystemResult> results = Experiment.run(s, out);
        for (Experiment.SystemResult r : results) {
            System.out.printf(Locale.ROOT, "%-24s %s mean %.3f%s%s%n",
                    s.tests().size() > 1 ? r.test() + " " + r.name() : r.name(), r.metric(), r.stats().mean(),
                    r.stats().n() < 2 ? "" : String.format(Locale.ROOT, " [%.3f, %.3f]", r.stats().low(),
                            r.stats().high()),
                    r.paired() == null ? "" : String.format(Locale.ROOT, "; difference %+.3f%s", r.paired().mean(),
                            r.paired().excludesZero() ? " (resolved)" : " (not resolved)"));
        }
        System.out.println("results: " + out.resolve(Experiment.RESULTS_MD).toAbsolutePath());
        return 0;
    }
}
