package io.speechsampler.run;

import java.io.PrintStream;
import java.io.PrintWriter;
import java.text.DecimalFormat;
import java.time.Duration;
import java.time.temporal.ChronoUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import me.tongfei.progressbar.ConsoleProgressBarConsumer;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;

/** Progress bars on standard error, with rate and ETA (me.tongfei progressbar). */
public final class Progress {

    /** Whether a bar's line is on standard error without its line break. */
    private static final AtomicBoolean LINE_OPEN = new AtomicBoolean();

    private Progress() {
    }

    /**
     * Ends a bar's line that was left open, so that an error printed next starts a line of its
     * own: progressbar 0.10.1 prints no line break when a bar is closed before its first scheduled
     * update, which is just when a command fails early.
     */
    public static void endOpenLine(PrintWriter err) {
        if (LINE_OPEN.getAndSet(false)) {
            err.println();
        }
    }

    /** The console consumer, noting whether its last output left the line open. */
    private static final class LineTrackingConsumer extends ConsoleProgressBarConsumer {
        LineTrackingConsumer(PrintStream out) {
            super(out);
        }

        @Override
        public void accept(String rendered) {
            super.accept(rendered);
            LINE_OPEN.set(true);
        }

        @Override
        public void close() {
            super.close();
            LINE_OPEN.set(false);
        }
    }

    /** A bar for {@code total} units named {@code unit}; close it when done. */
    public static ProgressBar bar(String task, long total, String unit) {
        return bar(task, total, unit, 0);
    }

    /** A bar for {@code total} units of which {@code done} are done already (a resumed run); close it when done. */
    public static ProgressBar bar(String task, long total, String unit, long done) {
        return new ProgressBarBuilder()
                .startsFrom(done, Duration.ZERO)
                .setTaskName(task)
                .setInitialMax(total)
                .setStyle(ProgressBarStyle.ASCII)
                .setConsumer(new LineTrackingConsumer(System.err))
                .setUpdateIntervalMillis(500)
                .setUnit(" " + unit, 1)
                .showSpeed(new DecimalFormat("#.#"))
                .setSpeedUnit(ChronoUnit.SECONDS)
                .build();
    }
}
