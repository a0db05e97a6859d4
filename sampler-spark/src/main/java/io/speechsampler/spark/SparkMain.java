package io.speechsampler.spark;

import ai.djl.engine.Engine;
import ai.djl.pytorch.engine.PtEngine;
import ai.djl.pytorch.jni.JniUtils;
import io.speechsampler.api.config.ConfigException;
import java.io.PrintWriter;
import org.apache.spark.TaskContext;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * The {@code sampler-spark} command line: {@code pitch}, {@code embed} and {@code mine} as Spark
 * jobs, with the outputs of {@code sampler pitch}, {@code embed} and {@code mine}. Run it with
 * {@code ./sampler-spark} (on {@code local[*]} unless {@code --master} says otherwise) or with
 * {@code spark-submit --class io.speechsampler.spark.SparkMain target/sampler-spark.jar}. Exit
 * codes as {@code sampler}'s: 0 done, 2 bad input (one {@code error:} line, nothing written), 1 a
 * bug (with its stack trace).
 */
@Command(name = "sampler-spark", mixinStandardHelpOptions = true, version = "speech-sampler 0.1.0",
        description = "Pitch table, x-vector embeddings and exact hard pairs of a corpus as Apache Spark jobs; "
                + "outputs equal those of 'sampler pitch', 'sampler embed' and 'sampler mine'.",
        subcommands = {SparkPitchCommand.class, SparkEmbedCommand.class, SparkMineCommand.class,
                CommandLine.HelpCommand.class})
public final class SparkMain {

    /** Exit code for bad input. */
    public static final int BAD_INPUT = 2;

    /** Exit code for a bug. */
    public static final int INTERNAL_ERROR = 1;

    private SparkMain() {
    }

    public static void main(String[] args) {
        System.exit(run(args));
    }

    /** Runs the command line and returns the exit code (for tests). */
    public static int run(String... args) {
        engineSettings();
        return commandLine().execute(args);
    }

    /**
     * DJL offline, and PyTorch's threads as {@code sampler} sets them (one core fewer than the
     * machine, one inter-op thread) unless given: on the driver and on every executor, before the
     * engine loads.
     */
    static void engineSettings() {
        if (System.getProperty("ai.djl.offline") == null) {
            System.setProperty("ai.djl.offline", "true");
        }
        int cores = Runtime.getRuntime().availableProcessors();
        if (System.getProperty("ai.djl.pytorch.num_threads") == null) {
            System.setProperty("ai.djl.pytorch.num_threads", Integer.toString(Math.max(1, cores - 1)));
        }
        if (System.getProperty("ai.djl.pytorch.num_interop_threads") == null) {
            System.setProperty("ai.djl.pytorch.num_interop_threads", "1");
        }
    }

    /**
     * On an executor's task thread, PyTorch's intra-op threads at the task's cores ({@code
     * spark.task.cpus}, 1 by default): Spark runs one task per core, and libtorch keeps its thread
     * count per calling thread, so a task thread left at libtorch's default (every core) competed
     * with the other tasks' (local[2] on 2 cores: x-vector mining of 1e4 utterances took 88 s instead
     * of 31 s). Other engines keep their own setting.
     */
    static void taskThreads() {
        TaskContext task = TaskContext.get();
        if (task == null || !PtEngine.ENGINE_NAME.equals(Engine.getDefaultEngineName())) {
            return;
        }
        Engine.getEngine(PtEngine.ENGINE_NAME); // loads the native library JniUtils calls
        int cpus = Math.max(1, task.cpus());
        if (JniUtils.getNumThreads() != cpus) {
            JniUtils.setNumThreads(cpus);
        }
    }

    static CommandLine commandLine() {
        CommandLine cli = new CommandLine(new SparkMain());
        cli.setExecutionExceptionHandler((ex, cmd, parsed) -> {
            PrintWriter err = cmd.getErr();
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
            err.println("error: " + oneLine(ex.getMessage()) + " (see '" + cmd.getCommandSpec().qualifiedName()
                    + " --help')");
            err.flush();
            return BAD_INPUT;
        });
        return cli;
    }

    static String oneLine(String message) {
        return message == null ? "" : message.strip().replaceAll("\\s*\\R\\s*", " ");
    }

    /** The options every job has. */
    static final class SparkOptions {

        @Option(names = "--master", description = {"Spark master: local[*] (this machine, every core), local[N],",
                "spark://HOST:PORT, yarn, k8s://URL. Default: spark-submit's --master, else local[*]"})
        String master;

        @Option(names = "--partitions", description = "Spark partitions (tasks), at least 1 (default: Spark's "
                + "default parallelism)")
        Integer partitions;

        @Option(names = "--connect-timeout", defaultValue = "10", description = {"seconds to wait for a",
                "spark://HOST:PORT master to accept a connection, in [1, 600] (default ${DEFAULT-VALUE})"})
        int connectSeconds;

        /** Refuses out-of-range settings (before anything runs). */
        void check() {
            if (partitions != null && partitions < 1) {
                throw new ConfigException("--partitions must be at least 1, got " + partitions);
            }
            if (connectSeconds < 1 || connectSeconds > 600) {
                throw new ConfigException("--connect-timeout must be in [1, 600] seconds, got " + connectSeconds);
            }
        }

        String master() {
            return SparkJobs.master(master);
        }
    }
}
