package io.speechsampler.spark;

import io.speechsampler.api.config.ConfigException;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Function;
import java.util.regex.Pattern;
import org.apache.spark.SparkConf;
import org.apache.spark.api.java.JavaSparkContext;

/**
 * Opens the Spark context of a job and runs it: the master is {@code --master} when given, else
 * the {@code spark.master} that {@code spark-submit} sets, else {@code local[*]}. A standalone
 * master ({@code spark://host:port[,host:port...]}) is tried first with a TCP connection of at
 * most {@code connectSeconds} (Spark itself would retry its registration for a minute and then
 * leave the job hanging without executors); none reachable is bad input, before anything is
 * computed or written. Spark's wrapping of a task's failure is undone so that bad input found on
 * an executor (a corrupt WAV) is the same one {@code error:} line as on one machine.
 */
final class SparkJobs {

    /** The master when neither {@code --master} nor {@code spark-submit} names one. */
    static final String DEFAULT_MASTER = "local[*]";

    private SparkJobs() {
    }

    /** The master that a job with {@code --master option} (null when not given) runs on. */
    static String master(String option) {
        if (option != null) {
            return option;
        }
        String submitted = System.getProperty("spark.master");
        return submitted != null && !submitted.isBlank() ? submitted : DEFAULT_MASTER;
    }

    /** Runs {@code job} in a Spark context on {@code master} named {@code app}, then stops the context. */
    static <T> T run(String master, String app, int connectSeconds, Function<JavaSparkContext, T> job) {
        checkForm(master);
        checkReachable(master, connectSeconds);
        SparkConf conf = new SparkConf().setMaster(master).setAppName(app);
        conf.setIfMissing("spark.ui.enabled", "false");
        conf.setIfMissing("spark.ui.showConsoleProgress", "false");
        if (master.startsWith("local")) {
            // no name lookup of this host for a job that never leaves it
            conf.setIfMissing("spark.driver.host", "127.0.0.1");
            conf.setIfMissing("spark.driver.bindAddress", "127.0.0.1");
        }
        JavaSparkContext sc = new JavaSparkContext(conf);
        sc.setLogLevel("WARN");
        try {
            return job.apply(sc);
        } catch (RuntimeException e) {
            throw badInputOf(e);
        } finally {
            sc.stop();
        }
    }

    /**
     * The {@link ConfigException} in {@code e}'s causes (a task's bad input, which Spark wraps in
     * its own exception), else {@code e} itself.
     */
    static RuntimeException badInputOf(RuntimeException e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof ConfigException c) {
                return c;
            }
            if (t.getCause() == t) {
                break;
            }
        }
        return e;
    }

    /** The forms of master URL Spark 4 knows (its {@code SparkContext.createTaskScheduler}). */
    private static final Pattern MASTER = Pattern.compile(
            "local(\\[(\\*|[1-9][0-9]*)(,[1-9][0-9]*)?])?|local-cluster\\[.+]|spark://.+|yarn|k8s://.+");

    /** Refuses, before Spark starts (and logs its own error), a master URL that is none of Spark's forms. */
    static void checkForm(String master) {
        if (!MASTER.matcher(master).matches()) {
            throw new ConfigException("--master " + master + ": not a Spark master URL; expected local[*], local[N], "
                    + "spark://HOST:PORT, yarn or k8s://https://HOST:PORT");
        }
    }

    /** For a standalone master: at least one of its hosts accepts a connection within the timeout. */
    static void checkReachable(String master, int connectSeconds) {
        if (!master.startsWith("spark://")) {
            return;
        }
        List<String> failures = new ArrayList<>();
        for (String hostPort : master.substring("spark://".length()).split(",")) {
            int colon = hostPort.lastIndexOf(':');
            int port;
            try {
                port = colon > 0 ? Integer.parseInt(hostPort.substring(colon + 1)) : -1;
            } catch (NumberFormatException e) {
                port = -1;
            }
            if (port < 1 || port > 65535) {
                throw new ConfigException("--master " + master + ": '" + hostPort + "' is not HOST:PORT with a port "
                        + "in [1, 65535]; expected spark://HOST:PORT (7077 is Spark's default)");
            }
            String host = hostPort.substring(0, colon);
            try (Socket s = new Socket()) {
                s.connect(new InetSocketAddress(host, port), connectSeconds * 1000);
                return;
            } catch (IOException e) {
                failures.add(hostPort + " (" + (e.getMessage() != null ? e.getMessage() : e.getClass().getSimpleName())
                        + ")");
            }
        }
        throw new ConfigException(String.format(Locale.ROOT, "--master %s: cannot reach the Spark master within %d s: "
                + "%s; expected a running Spark master (or --master local[*] to run on this machine)", master,
                connectSeconds, String.join(", ", failures)));
    }

    /** Partitions for {@code items} work items: {@code option} when given (at least 1), else Spark's default parallelism. */
    static int partitions(JavaSparkContext sc, Integer option, int items) {
        int p = option != null ? option : sc.defaultParallelism();
        return Math.max(1, Math.min(p, Math.max(1, items)));
    }
}
