package io.speechsampler.lossgate;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.speechsampler.api.config.ConfigException;
import io.speechsampler.api.config.ParamSpec;
import io.speechsampler.api.config.Params;
import io.speechsampler.api.draw.Draw;
import io.speechsampler.api.corpus.Corpus;
import io.speechsampler.api.corpus.Labels;
import io.speechsampler.api.spi.BuildContext;
import io.speechsampler.api.spi.EpochReport;
import io.speechsampler.api.spi.LossWeighting;
import io.speechsampler.api.spi.LossWeightingProvider;
import io.speechsampler.api.spi.Outcome;
import io.speechsampler.api.spi.OutcomeObserver;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The gate of loss-gated learning (LGL; Tao et al., ICASSP 2022), as the authors' code
 * (TaoRuijie/Loss-Gated-Learning) applies it to each batch: {@code mask_i = loss_i <= gate},
 * {@code loss = sum(loss * mask) / sum(mask)}. As a {@link LossWeighting} the mask is the weight
 * (1 or 0), and the training loop's {@code sum(w l) / sum(w)} is that loss. Where the reference
 * code divides by zero when no sample passes, the loop skips the update instead (a step with all
 * weights 0 trains nothing).
 *
 * <p>LGL trains each round first with the gate open (phase T, gate = infinity) and then closed
 * (phase L). {@code open_epochs} gives the number of leading epochs with the gate open ({@code open}:
 * all of them, the gate then only measures); the gate learns the epoch from the pipeline's
 * {@code endEpoch} calls, so it is part of the state and a resumed run gates the same.
 *
 * <p>What the gate does, measured (O(epochs) memory, and O(N) for the labels): per epoch, the
 * samples it weighed, the samples it let train, and the samples whose loss is under the gate (the
 * same as those trained once the gate is closed; while it is open, those it would let through).
 * Given the {@code labels} the phase trains on (the pseudo-labels) and a corpus whose speakers are
 * known ({@link ClusterQuality#speakersKnown}), it also counts the samples under and above the gate
 * whose pseudo-label is right: whose speaker is its cluster's majority speaker over the whole label
 * file ({@link ClusterQuality#agreesWithMajority}). Their shares, {@code under_purity} and
 * {@code above_purity}, are the paper's observation made visible: the network fits the reliable
 * labels first, so the samples under the gate carry cleaner labels. Each epoch's numbers go into the
 * run's {@code metrics.jsonl} as a {@code "type": "gate"} line ({@link EpochReport}).
 */
public final class LossGate implements LossWeighting, OutcomeObserver, EpochReport {

    private static final Logger LOG = LoggerFactory.getLogger(LossGate.class);
    private static final String STATE_TYPE = "loss-gate";

    private final double gate;
    private final int openEpochs;
    /** Per corpus utterance: 1 when its pseudo-label names its speaker's cluster, 0 when not; null without labels. */
    private final PseudoLabelTruth truth;
    private int epoch;
    private long passed;
    private long seen;
    private long under;
    private long underRight;
    private long aboveRight;
    private final List<EpochCount> history = new ArrayList<>();

    /**
     * What the gate did in one epoch.
     *
     * @param epoch      the epoch (from 0)
     * @param passed     samples that trained (weight 1)
     * @param seen       samples weighed
     * @param under      samples whose loss was at most the gate
     * @param underRight samples under the gate whose pseudo-label is right (0 without labels)
     * @param aboveRight samples above the gate whose pseudo-label is right (0 without labels)
     */
    public record EpochCount(int epoch, long passed, long seen, long under, long underRight, long aboveRight) {

        /** Samples trained out of those weighed; NaN for none weighed. */
        public double fraction() {
            return seen == 0 ? Double.NaN : (double) passed / seen;
        }

        /** The share of samples under the gate; NaN for none weighed. */
        public double underShare() {
            return seen == 0 ? Double.NaN : (double) under / seen;
        }

        /** The share of the samples under the gate whose pseudo-label is right; NaN for none under it. */
        public double underPurity() {
            return under == 0 ? Double.NaN : (double) underRight / under;
        }

        /** The share of the samples above the gate whose pseudo-label is right; NaN for none above it. */
        public double abovePurity() {
            return seen == under ? Double.NaN : (double) aboveRight / (seen - under);
        }
    }

    /**
     * Which utterances' pseudo-labels are right.
     *
     * @param file     the label file, for messages
     * @param corpus   the corpus it labels
     * @param right    per corpus utterance index: whether its label is its cluster's majority speaker
     * @param labelled per corpus utterance index: whether the file labels it
     */
    record PseudoLabelTruth(Path file, Corpus corpus, boolean[] right, boolean[] labelled) {

        /** From a label file over a corpus whose speakers are known. */
        static PseudoLabelTruth of(Labels labels, Corpus corpus) {
            int[] clusters = new int[corpus.size()];
            int[] speakers = new int[corpus.size()];
            boolean[] labelled = new boolean[corpus.size()];
            for (int i = 0; i < clusters.length; i++) {
                clusters[i] = labels.classOf(i);
                speakers[i] = corpus.speakerOf(i);
                labelled[i] = clusters[i] >= 0;
            }
            return new PseudoLabelTruth(labels.file(), corpus, ClusterQuality.agreesWithMajority(clusters, speakers),
                    labelled);
        }

        /** Whether the draw's pseudo-label is right; a draw of several utterances or an unlabelled one is refused. */
        boolean rightFor(Draw d) {
            List<String> ids = d.utteranceIds();
            if (ids.size() != 1) {
                throw new IllegalArgumentException("the loss gate's labels (" + file + ") measure draws of one "
                        + "utterance; '" + d.key() + "' holds " + ids.size());
            }
            java.util.OptionalInt i = corpus.indexOf(ids.get(0));
            if (i.isEmpty() || !labelled[i.getAsInt()]) {
                throw new ConfigException(file + ": utterance '" + ids.get(0) + "' was drawn but has no label in "
                        + "this file; expected a line '" + ids.get(0) + "<TAB>label'");
            }
            return right[i.getAsInt()];
        }
    }

    private LossGate(double gate, int openEpochs, PseudoLabelTruth truth) {
        this.gate = gate;
        this.openEpochs = openEpochs;
        this.truth = truth;
    }

    /**
     * @throws IllegalArgumentException when {@code gate} is not finite and {@code > 0}, or
     *                                  {@code openEpochs < 0}
     */
    public static LossGate of(double gate, int openEpochs) {
        return of(gate, openEpochs, null, null);
    }

    /**
     * A gate that also measures how many of the samples under and above it carry a right
     * pseudo-label: {@code labels} over {@code corpus}, whose speakers are the truth.
     *
     * @param labels the pseudo-labels the phase trains on, or null to measure shares only
     * @param corpus the corpus {@code labels} was read against (with it, or null)
     * @throws IllegalArgumentException when {@code gate} is not finite and {@code > 0},
     *                                  {@code openEpochs < 0}, or only one of labels and corpus is given
     */
    public static LossGate of(double gate, int openEpochs, Labels labels, Corpus corpus) {
        if (!(gate > 0) || Double.isInfinite(gate)) {
            throw new IllegalArgumentException("gate is not finite and > 0: " + gate);
        }
        if (openEpochs < 0) {
            throw new IllegalArgumentException("open_epochs is negative: " + openEpochs);
        }
        if ((labels == null) != (corpus == null)) {
            throw new IllegalArgumentException("labels and corpus come together: " + labels + ", " + corpus);
        }
        return new LossGate(gate, openEpochs, labels == null ? null : PseudoLabelTruth.of(labels, corpus));
    }

    /** Whether the gate counts right pseudo-labels (it was given labels). */
    public boolean measuresPurity() {
        return truth != null;
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
        if (truth != null && draws.size() != losses.length) {
            throw new IllegalArgumentException("the gate measures labels and needs one draw per loss: " + draws.size()
                    + " draws, " + losses.length + " losses");
        }
        double[] w = new double[losses.length];
        boolean open = isOpen();
        for (int i = 0; i < losses.length; i++) {
            if (!Double.isFinite(losses[i])) {
                throw new IllegalArgumentException("loss " + i + " is not finite: " + losses[i]);
            }
        }
        for (int i = 0; i < losses.length; i++) {
            boolean isUnder = losses[i] <= gate;
            w[i] = open || isUnder ? 1 : 0;
            passed += (long) w[i];
            if (isUnder) {
                under++;
            }
            if (truth != null && truth.rightFor(draws.get(i))) {
                if (isUnder) {
                    underRight++;
                } else {
                    aboveRight++;
                }
            }
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
        history.add(new EpochCount(ended, passed, seen, under, underRight, aboveRight));
        passed = 0;
        seen = 0;
        under = 0;
        underRight = 0;
        aboveRight = 0;
        epoch = ended + 1;
    }

    @Override
    public String reportType() {
        return "gate";
    }

    /**
     * {@code gate}, {@code open} (1 while open), {@code seen}, {@code trained}, {@code under},
     * {@code under_share}, and with labels {@code under_purity} and {@code above_purity}; empty for
     * an epoch the gate did not see end.
     */
    @Override
    public Map<String, Double> epochReport(int ended) {
        Map<String, Double> out = new LinkedHashMap<>();
        for (EpochCount c : history) {
            if (c.epoch() == ended) {
                out.put("gate", gate);
                out.put("open", ended < openEpochs ? 1.0 : 0.0);
                out.put("seen", (double) c.seen());
                out.put("trained", (double) c.passed());
                out.put("under", (double) c.under());
                out.put("under_share", c.underShare());
                if (truth != null) {
                    out.put("under_purity", c.underPurity());
                    out.put("above_purity", c.abovePurity());
                }
            }
        }
        return out;
    }

    @Override
    public JsonNode saveState() {
        ObjectNode o = JsonNodeFactory.instance.objectNode();
        o.put("type", STATE_TYPE);
        o.put("gate", gate);
        o.put("epoch", epoch);
        o.put("passed", passed);
        o.put("seen", seen);
        o.put("under", under);
        o.put("under_right", underRight);
        o.put("above_right", aboveRight);
        ArrayNode h = o.putArray("history");
        for (EpochCount c : history) {
            h.addObject().put("epoch", c.epoch()).put("passed", c.passed()).put("seen", c.seen())
                    .put("under", c.under()).put("under_right", c.underRight()).put("above_right", c.aboveRight());
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
        // a state written before the gate measured: under and right counts read as 0
        under = state.path("under").asLong();
        underRight = state.path("under_right").asLong();
        aboveRight = state.path("above_right").asLong();
        history.clear();
        for (JsonNode c : state.get("history")) {
            history.add(new EpochCount(c.path("epoch").asInt(), c.path("passed").asLong(), c.path("seen").asLong(),
                    c.path("under").asLong(), c.path("under_right").asLong(), c.path("above_right").asLong()));
        }
    }

    /**
     * {@code loss-gate}: {@code gate} (finite, > 0; the authors' gates are 1, 3, 3, 5, 6 for the
     * cross-entropy of an AAM-softmax head with m = 0.2, s = 30), {@code open_epochs} (leading
     * epochs in which every sample counts, LGL's phase T; default 0), {@code open} (the gate never
     * closes and only measures), {@code labels} (the phase's pseudo-label file, to count right labels
     * under and above the gate against the corpus's speakers when they are known).
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
                    ParamSpec.real("gate", "samples whose loss is at most this count; finite and > 0").above(0),
                    ParamSpec.integer("open_epochs", "leading epochs with the gate open (every sample counts)").min(0)
                            .defaultsTo(0),
                    ParamSpec.bool("open", "the gate never closes: every sample counts and the gate only measures "
                            + "(LGL's phase T)").defaultsTo(false),
                    ParamSpec.string("labels", "the pseudo-label file the phase trains on (in a recipe "
                            + "run:labels-${round}.tsv): the gate then counts the samples under and above it whose "
                            + "label is right (its cluster's majority speaker), when the corpus's speakers are known")
                            .defaultsTo(null));
        }

        @Override
        public LossWeighting create(Params params, BuildContext context) {
            // finite and > 0: the parameter's range, which a recipe checks before any phase trains
            double gate = params.getDouble("gate");
            int open = params.getBoolean("open") ? Integer.MAX_VALUE : params.getInt("open_epochs");
            if (!params.has("labels")) {
                return of(gate, open);
            }
            Labels labels;
            try {
                labels = Labels.read(context.resolve(params.getString("labels")), context.corpus());
            } catch (ConfigException e) {
                throw params.error("labels", e.getMessage());
            }
            Corpus corpus = context.corpus();
            if (!ClusterQuality.speakersKnown(corpus.numSpeakers(), corpus.size())) {
                LOG.info("{}: the corpus's {} speakers of {} utterances are not known speakers; the gate measures "
                        + "shares only", params.pathOf("labels"), corpus.numSpeakers(), corpus.size());
                return of(gate, open);
            }
            return of(gate, open, labels, corpus);
        }
    }
}
