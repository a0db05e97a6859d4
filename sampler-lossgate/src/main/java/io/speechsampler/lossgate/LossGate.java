package io.speechsampler.lossgate;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.speechsampler.api.config.ParamSpec;
import io.speechsampler.api.config.Params;
import io.speechsampler.api.draw.Draw;
import io.speechsampler.api.spi.BuildContext;
import io.speechsampler.api.spi.LossWeighting;
import io.speechsampler.api.spi.LossWeightingProvider;
import io.speechsampler.api.spi.Outcome;
import io.speechsampler.api.spi.OutcomeObserver;
import java.util.ArrayList;
import java.util.List;

/**
 * The gate of loss-gated learning (LGL; Tao et al., ICASSP 2022), as the authors' code
 * (TaoRuijie/Loss-Gated-Learning) applies it to each batch: {@code mask_i = loss_i <= gate},
 * {@code loss = sum(loss * mask) / sum(mask)}. As a {@link LossWeighting} the mask is the weight
 * (1 or 0), and the training loop's {@code sum(w l) / sum(w)} is that loss. Where the reference
 * code divides by zero when no sample passes, the loop skips the update instead (a step with all
 * weights 0 trains nothing).
 *
 * <p>LGL trains each round first with the gate open (phase T, gate = infinity) and then closed
 * (phase L). {@code open_epochs} gives the number of leading epochs with the gate open; the gate
 * learns the epoch from the pipeline's {@code endEpoch} calls, so it is part of the state and a
 * resumed run gates the same. It also counts the samples it let through in each epoch (O(epochs)
 * memory), for reports: the fraction of pseudo-labels trusted.
 */
public final class LossGate implements LossWeighting, OutcomeObserver {

    private static final String STATE_TYPE = "loss-gate";

    private final double gate;
    private final int openEpochs;
    private int epoch;
    private long passed;
    private long seen;
    private final List<EpochCount> history = new ArrayList<>();

    /** Samples the gate let through out of those it weighed in one epoch. */
    public record EpochCount(int epoch, long passed, long seen) {
        public double fraction() {
            return seen == 0 ? Double.NaN : (double) passed / seen;
        }
    }

    private LossGate(double gate, int openEpochs) {
        this.gate = gate;
        this.openEpochs = openEpochs;
    }

    /**
     * @throws IllegalArgumentException when {@code gate} is not finite and {@code > 0}, or
     *                                  {@code openEpochs < 0}
     */
    public static LossGate of(double gate, int openEpochs) {
        if (!(gate > 0) || Double.isInfinite(gate)) {
            throw new IllegalArgumentException("gate is not finite and > 0: " + gate);
        }
        if (openEpochs < 0) {
            throw new IllegalArgumentException("open_epochs is negative: " + openEpochs);
        }
        return new LossGate(gate, openEpochs);
    }

    /** Whether the gate is open (every sample counts) in the current epoch. */
    public boolean isOpen() {
        return epoch < openEpochs;
    }

    /** The current epoch as the gate knows it (epochs ended so far). */
    public int epoch() {
        return epoch;
    }

    /** Counts of the epochs ended so far, oldest first. */
    public List<EpochCount> history() {
        return List.copyOf(history);
    }

    /**
     * @throws IllegalArgumentException when a loss is NaN or infinite, naming its index
     */
    @Override
    public double[] weights(List<Draw> draws, double[] losses, double[] metrics) {
        double[] w = new double[losses.length];
        boolean open = isOpen();
        for (int i = 0; i < losses.length; i++) {
            if (!Double.isFinite(losses[i])) {
                throw new IllegalArgumentException("loss " + i + " is not finite: " + losses[i]);
            }
            w[i] = open || losses[i] <= gate ? 1 : 0;
            passed += (long) w[i];
        }
        seen += losses.length;
        return w;
    }

    @Override
    public void observe(List<Outcome> outcomes) {
        // the gate needs only the epoch boundaries; the losses come through weights()
    }

    @Override
    public void endEpoch(int ended) {
        history.add(new EpochCount(ended, passed, seen));
        passed = 0;
        seen = 0;
        epoch = ended + 1;
    }

    @Override
    public JsonNode saveState() {
        ObjectNode o = JsonNodeFactory.instance.objectNode();
        o.put("type", STATE_TYPE);
        o.put("gate", gate);
        o.put("epoch", epoch);
        o.put("passed", passed);
        o.put("seen", seen);
        ArrayNode h = o.putArray("history");
        for (EpochCount c : history) {
            h.addObject().put("epoch", c.epoch()).put("passed", c.passed()).put("seen", c.seen());
        }
        return o;
    }

    @Override
    public void restoreState(JsonNode state) {
        if (state == null || !STATE_TYPE.equals(state.path("type").asText()) || !state.path("history").isArray()
                || !state.path("epoch").canConvertToInt()) {
            throw new IllegalStateException("not a " + STATE_TYPE + " state: " + state);
        }
        if (state.path("gate").asDouble() != gate) {
            throw new IllegalStateException("the state was written for gate " + state.path("gate") + ", this gate is "
                    + gate);
        }
        epoch = state.get("epoch").asInt();
        passed = state.path("passed").asLong();
        seen = state.path("seen").asLong();
        history.clear();
        for (JsonNode c : state.get("history")) {
            history.add(new EpochCount(c.path("epoch").asInt(), c.path("passed").asLong(), c.path("seen").asLong()));
        }
    }

    /**
     * {@code loss-gate}: {@code gate} (finite, > 0; the authors' gates are 1, 3, 3, 5, 6 for the
     * cross-entropy of an AAM-softmax head with m = 0.2, s = 30), {@code open_epochs} (leading
     * epochs in which every sample counts, LGL's phase T; default 0).
     */
    public static final class Provider implements LossWeightingProvider {
        @Override
        public String name() {
            return "loss-gate";
        }

        @Override
        public String description() {
            return "loss-gated learning (Tao et al. 2022): a sample counts (weight 1) only if its loss is at most the "
                    + "gate";
        }

        @Override
        public List<ParamSpec> parameters() {
            return List.of(
                    ParamSpec.real("gate", "samples whose loss is at most this count; finite and > 0"),
                    ParamSpec.integer("open_epochs", "leading epochs with the gate open (every sample counts)").min(0)
                            .defaultsTo(0));
        }

        @Override
        public LossWeighting create(Params params, BuildContext context) {
            double gate = params.getDouble("gate");
            if (!(gate > 0)) {
                throw params.error("gate", "'" + params.pathOf("gate") + "' must be > 0 (a loss at most it counts), got "
                        + gate);
            }
            return of(gate, params.getInt("open_epochs"));
        }
    }
}
