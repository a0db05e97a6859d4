package io.speechsampler.cli;

import io.speechsampler.run.Progress;
import io.speechsampler.api.config.ConfigException;
import java.io.PrintWriter;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The {@code sampler} command line. Exit codes: 0 done; {@link #BAD_INPUT} (2) for input or an
 * environment the user can fix (a {@link ConfigException}: config, corpus, arguments, an output
 * that cannot be written), printed as one {@code error:} line; 1 for anything else, which is a bug
 * and is printed with its stack trace.
 */
@Command(name = "sampler", mixinStandardHelpOptions = true, version = "speech-sampler 0.1.0",
        description = "Pluggable samplers and curricula for speech training on DJL.",
        subcommands = {DemoCommand.class, CorpusCommand.class, PlanCommand.class, TrainCommand.class,
                EvaluateCommand.class, EmbedCommand.class, PitchCommand.class, MineCommand.class,
                AnalyzeCommand.class, DatamapCommand.class, ExperimentCommand.class, ProvidersCommand.class,
                CommandLine.HelpCommand.class})
public final class Main {

    /** Exit code for bad input (config, corpus, arguments, unwritable outputs). */
    public static final int BAD_INPUT = 2;

    /** Exit code for a bug: an exception no check of the input anticipated. */
    public static final int INTERNAL_ERROR = 1;

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
            Progress.endOpenLine(err);
            if (ex instanceof ConfigException) {
                err.println("error: " + oneLine(ex.getMessage()));
                err.flush();
                return BAD_INPUT;
            }
            err.println("error: internal error (a bug, not bad input; please report it with this trace): " + ex);
            ex.printStackTrace(err);
            err.flush();
            return INTERNAL_ERROR;
        });
        cli.setParameterExceptionHandler((ex, args) -> {
            CommandLine cmd = ex.getCommandLine();
            PrintWriter err = cmd.getErr();
            String hint = ex instanceof CommandLine.UnmatchedArgumentException u && !u.getSuggestions().isEmpty()
                    ? "; did you mean " + String.join(" or ", u.getSuggestions()) + "?" : "";
            // picocli's argument-group messages begin with their own "Error: "
            String message = oneLine(ex.getMessage()).replaceFirst("^Error: ", "");
            err.println("error: " + message + hint + " (see '"
                    + cmd.getCommandSpec().qualifiedName() + " --help')");
            err.flush();
            return BAD_INPUT;
        });
        return cli;
    }

    /** Messages are one line by contract; a stray line break (from a library's text) must not split it. */
    static String oneLine(String message) {
        return message == null ? "" : message.strip().replaceAll("\\s*\\R\\s*", " ");
    }
}
