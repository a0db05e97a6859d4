package io.speechsampler.djl.train;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.speechsampler.api.config.ConfigOrigin;
import io.speechsampler.api.config.ParamSpec;
import io.speechsampler.api.config.Params;
import io.speechsampler.api.config.RunConfig;
import java.nio.file.Path;
import java.util.List;

/**
 * The {@code train} section of a run config, validated.
 *
 * @param epochs           epochs to train in total (a resumed run counts the epochs already done)
 * @param maxStepsPerEpoch steps per epoch at most; 0 takes every batch of the epoch
 * @param lr               Adam learning rate
 * @param clipNorm         global gradient L2 norm limit; 0 turns clipping off
 * @param validateEvery    validate after every this many epochs; 0 never
 * @param checkpointDir    where checkpoints go, or null for none
 * @param checkpointEvery  also checkpoint every this many steps; 0 only at epoch ends
 * @param prefetch         render the next batch on a background thread while this one trains
 * @param device           {@code auto} (GPU when DJL sees one), {@code cpu} or {@code gpu}
 * @param validationWeighting name of a loss weighting (e.g. {@code rank-weighted}) whose reduction
 *                         over the whole validation set selects the best model, or null for the
 *                         mean metric
 * @param lrSchedule       the rate of each step ({@code lr_schedule}, {@code lr_warmup_steps},
 *                         {@code lr_final})
 */
public record TrainSettings(int epochs, int maxStepsPerEpoch, double lr, double clipNorm, int validateEvery,
                            Path checkpointDir, int checkpointEvery, boolean prefetch, String device,
                            String validationWeighting, LrSchedule lrSchedule) {

    /** The keys of the {@code train} section with their defaults and ranges. */
    public static final List<ParamSpec> SPECS = List.of(
            ParamSpec.integer("epochs", "epochs to train in total").min(1).defaultsTo(10),
            ParamSpec.integer("max_steps_per_epoch", "steps per epoch at most; 0 takes the whole epoch").min(0)
                    .defaultsTo(0),
            ParamSpec.real("lr", "Adam learning rate (the peak rate under a schedule)").min(1e-12).max(1)
                    .defaultsTo(1e-3),
            ParamSpec.choice("lr_schedule", "rate of each step: constant lr, or cosine decay from lr to lr_final "
                    + "over the planned steps", "constant", "cosine").defaultsTo("constant"),
            ParamSpec.integer("lr_warmup_steps", "steps of linear warm-up to lr first; 0 for none").min(0)
                    .defaultsTo(0),
            ParamSpec.real("lr_final", "the rate cosine decay ends at; below lr").min(0).max(1).defaultsTo(0.0),
            ParamSpec.real("clip_norm", "global gradient L2 norm limit; 0 turns clipping off").min(0).defaultsTo(5.0),
            ParamSpec.integer("validate_every", "validate after every this many epochs; 0 never").min(0)
                    .defaultsTo(1),
            ParamSpec.string("checkpoint_dir", "directory for checkpoints, relative to the config").defaultsTo(null),
            ParamSpec.integer("checkpoint_every", "also checkpoint every this many steps; 0 only at epoch ends")
                    .min(0).defaultsTo(0),
            ParamSpec.bool("prefetch", "render the next batch while the current one trains").defaultsTo(true),
            ParamSpec.choice("device", "where to train: auto uses a GPU when DJL sees one", "auto", "cpu", "gpu")
                    .defaultsTo("auto"),
            ParamSpec.string("validation_weighting", "loss weighting over the whole validation set that selects "
                    + "the best model (e.g. rank-weighted); unset: mean SI-SNRi or true-class probability")
                    .defaultsTo(null));

    /** A constant learning rate. */
    public TrainSettings(int epochs, int maxStepsPerEpoch, double lr, double clipNorm, int validateEvery,
                         Path checkpointDir, int checkpointEvery, boolean prefetch, String device,
                         String validationWeighting) {
        this(epochs, maxStepsPerEpoch, lr, clipNorm, validateEvery, checkpointDir, checkpointEvery, prefetch, device,
                validationWeighting, LrSchedule.CONSTANT);
    }

    public TrainSettings {
        java.util.Objects.requireNonNull(lrSchedule, "lrSchedule");
        if (lrSchedule.needsPlannedSteps() && !(lrSchedule.finalLr() < lr)) {
            throw new IllegalArgumentException("train.lr_final " + lrSchedule.finalLr() + " is not below train.lr "
                    + lr);
        }
        if (epochs < 1) {
            throw new IllegalArgumentException("train.epochs is not at least 1: " + epochs);
        }
        if (maxStepsPerEpoch < 0) {
            throw new IllegalArgumentException("train.max_steps_per_epoch is negative: " + maxStepsPerEpoch);
        }
        if (!(lr > 0) || Double.isInfinite(lr)) {
            throw new IllegalArgumentException("train.lr is not a finite number above 0: " + lr);
        }
        if (!(clipNorm >= 0) || Double.isInfinite(clipNorm)) {
            throw new IllegalArgumentException("train.clip_norm is not a finite number at least 0: " + clipNorm);
        }
        if (validateEvery < 0 || checkpointEvery < 0) {
            throw new IllegalArgumentException("train.validate_every and train.checkpoint_every must be at least 0: "
                    + validateEvery + ", " + checkpointEvery);
        }
        if (!List.of("auto", "cpu", "gpu").contains(device)) {
            throw new IllegalArgumentException("train.device is not one of [auto, cpu, gpu]: '" + device + "'");
        }
    }

    /** Every key at its default. */
    public static TrainSettings defaults() {
        return fromNode(com.fasterxml.jackson.databind.node.JsonNodeFactory.instance.objectNode(), ConfigOrigin.NONE,
                Path.of("."));
    }

    /** From a run config's {@code train} section; paths resolve against the config's directory. */
    public static TrainSettings fromConfig(RunConfig config) {
        return fromNode(config.train(), config.origin(), config.baseDir());
    }

    /**
     * From a {@code train} map.
     *
     * @throws io.speechsampler.api.config.ConfigException naming an unknown key, a wrong type or
     *                                                     a value out of range
     */
    public static TrainSettings fromNode(ObjectNode train, ConfigOrigin origin, Path baseDir) {
        Params p = Params.bind(train, SPECS, origin, "train", "the trainer");
        String dir = p.optString("checkpoint_dir");
        String schedule = p.getString("lr_schedule");
        if (schedule.equals("cosine") && !(p.getDouble("lr_final") < p.getDouble("lr"))) {
            throw origin.error("train.lr_final", "'train.lr_final' " + p.getDouble("lr_final") + " is not below 'train.lr' "
                    + p.getDouble("lr") + "; expected cosine decay to end below the rate it starts from");
        }
        return new TrainSettings(p.getInt("epochs"), p.getInt("max_steps_per_epoch"), p.getDouble("lr"),
                p.getDouble("clip_norm"), p.getInt("validate_every"),
                dir == null ? null : baseDir.resolve(dir).normalize(), p.getInt("checkpoint_every"),
                p.getBoolean("prefetch"), p.getString("device"), p.optString("validation_weighting"),
                new LrSchedule(schedule, p.getInt("lr_warmup_steps"), p.getDouble("lr_final")));
    }

    public TrainSettings withEpochs(int newEpochs) {
        return new TrainSettings(newEpochs, maxStepsPerEpoch, lr, clipNorm, validateEvery, checkpointDir,
                checkpointEvery, prefetch, device, validationWeighting, lrSchedule);
    }

    public TrainSettings withCheckpointDir(Path dir) {
        return new TrainSettings(epochs, maxStepsPerEpoch, lr, clipNorm, validateEvery, dir, checkpointEvery,
                prefetch, device, validationWeighting, lrSchedule);
    }
}
