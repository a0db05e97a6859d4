package io.speechsampler.cli;

import io.speechsampler.api.config.ConfigException;
import java.io.PrintWriter;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code sampler} command line. Bad input prints one line and exits 2. */
@Command(name = "sampler", mixinStandardHelpOptions = true, version = "speech-sampler 0.1.0",
        description = "Pluggable samplers and curricula for speech training on DJL.",
        subcommands = {DemoCommand.class, CorpusCommand.class, PlanCommand.class, TrainCommand.class,
                EvaluateCommand.class, EmbedCommand.class, PitchCommand.class, MineCommand.class,
                AnalyzeCommand.class, ProvidersCommand.class,
                CommandLine.HelpCommand.class})
public final class Main {

    /** Exit code for bad input (config, corpus, arguments). */
    public static final int BAD_INPUT = 2;

    private Main() {
    }

    public static void main(String[] args) {
        System.exit(run(args));
    }

    /** Runs the command line and returns the exit code (for tests). */
    public static int run(String... args) {
        System.setProperty("ai.djl.offline", "true");
        pytorchThreads();
        CommandLine cli = commandLine();
        return cli.execute(args);
    }

    /**
     * PyTorch's OpenMP threads busy-wait; with the batch renderer and the JVM on the same cores,
     * as many intra-op threads as cores makes steps erratic and many times slower (measured on 2
     * cores: 0.2 s to 19 s a step). Unless the user set them, use one core fewer than the machine
     * has (at least 1) and one inter-op thread.
     */
    static void pytorchThreads() {
        int cores = Runtime.getRuntime().availableProcessors();
        if (System.getProperty("ai.djl.pytorch.num_threads") == null) {
            System.setProperty("ai.djl.pytorch.num_threads", Integer.toString(Math.max(1, cores - 1)));
        }
        if (System.getProperty("ai.djl.pytorch.num_interop_threads") == null) {
            System.setProperty("ai.djl.pytorch.num_interop_threads", "1");
        }
    }

    static CommandLine commandLine() {
        CommandLine cli = new CommandLine(new Main());
        cli.setExecutionExceptionHandler((ex, cmd, parsed) -> {
            PrintWriter err = cmd.getErr();
            Throwable t = ex;
            if (t instanceof ConfigException || t instanceof IllegalArgumentException
                    || t instanceof IllegalStateException) {
                err.println("error: " + t.getMessage());
                err.flush();
                return BAD_INPUT;
            }
            err.println("error: " + t);
            t.printStackTrace(err);
            err.flush();
            return 1;
        });
        return cli;
    }
}
