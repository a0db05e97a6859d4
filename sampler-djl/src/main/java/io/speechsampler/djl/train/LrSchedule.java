package io.speechsampler.djl.train;

/**
 * The learning rate of each step: {@code constant} (the {@code train.lr} throughout) or
 * {@code cosine} (from {@code train.lr} down to {@code train.lr_final} along half a cosine over the
 * run's planned steps, as PyTorch's {@code CosineAnnealingLR} with {@code T_max} the planned steps,
 * or DJL's {@code CosineTracker}), either after a linear warm-up of {@code train.lr_warmup_steps}
 * from {@code lr / warmup} to {@code lr}. A function of the step and the planned length only, so a
 * resumed run continues on the same rates.
 *
 * @param name        {@code constant} or {@code cosine}
 * @param warmupSteps steps of linear warm-up, 0 for none
 * @param finalLr     the rate cosine decay ends at, below {@code train.lr}
 */
public record LrSchedule(String name, int warmupSteps, double finalLr) {

    /** {@code train.lr} at every step. */
    public static final LrSchedule CONSTANT = new LrSchedule("constant", 0, 0);

    public LrSchedule {
        if (!name.equals("constant") && !name.equals("cosine")) {
            throw new IllegalArgumentException("train.lr_schedule is not one of [constant, cosine]: '" + name + "'");
        }
        if (warmupSteps < 0) {
            throw new IllegalArgumentException("train.lr_warmup_steps is negative: " + warmupSteps);
        }
        if (!(finalLr >= 0) || Double.isInfinite(finalLr)) {
            throw new IllegalArgumentException("train.lr_final is not a finite number at least 0: " + finalLr);
        }
    }

    /** Whether the rate depends on the run's planned length. */
    public boolean needsPlannedSteps() {
        return name.equals("cosine");
    }

    /** Whether every step trains at {@code lr}. */
    public boolean isConstant() {
        return name.equals("constant") && warmupSteps == 0;
    }

    /**
     * The rate of step {@code step} (0-based) of {@code planned} steps ({@code planned} is read
     * only by {@code cosine}; past the planned end cosine stays at {@code finalLr}).
     */
    public double rate(double lr, long step, long planned) {
        if (step < warmupSteps) {
            return lr * (step + 1) / warmupSteps;
        }
        if (!needsPlannedSteps()) {
            return lr;
        }
        long span = Math.max(1, planned - warmupSteps);
        double t = Math.min(1.0, (double) (step - warmupSteps) / span);
        return finalLr + (lr - finalLr) * 0.5 * (1 + Math.cos(Math.PI * t));
    }
}
