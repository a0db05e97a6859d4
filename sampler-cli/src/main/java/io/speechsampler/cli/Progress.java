package io.speechsampler.cli;

import java.text.DecimalFormat;
import java.time.Duration;
import java.time.temporal.ChronoUnit;
import me.tongfei.progressbar.ConsoleProgressBarConsumer;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;

/** Progress bars on standard error, with rate and ETA (me.tongfei progressbar). */
final class Progress {

    private Progress() {
    }

    /** A bar for {@code total} units named {@code unit}; close it when done. */
    static ProgressBar bar(String task, long total, String unit) {
        return bar(task, total, unit, 0);
    }

    /** A bar for {@code total} units of which {@code done} are done already (a resumed run); close it when done. */
    static ProgressBar bar(String task, long total, String unit, long done) {
        return new ProgressBarBuilder()
                .startsFrom(done, Duration.ZERO)
                .setTaskName(task)
                .setInitialMax(total)
                .setStyle(ProgressBarStyle.ASCII)
                .setConsumer(new ConsoleProgressBarConsumer(System.err))
                .setUpdateIntervalMillis(500)
                .setUnit(" " + unit, 1)
                .showSpeed(new DecimalFormat("#.#"))
                .setSpeedUnit(ChronoUnit.SECONDS)
                .build();
    }
}
