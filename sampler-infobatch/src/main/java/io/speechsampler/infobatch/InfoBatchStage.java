package io.speechsampler.infobatch;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.speechsampler.api.config.ParamSpec;
import io.speechsampler.api.config.Params;
import io.speechsampler.api.corpus.Corpus;
import io.speechsampler.api.draw.Draw;
import io.speechsampler.api.spi.BuildContext;
import io.speechsampler.api.spi.EpochContext;
import io.speechsampler.api.spi.LossWeighting;
import io.speechsampler.api.spi.Mergeable;
import io.speechsampler.api.spi.Outcome;
import io.speechsampler.api.spi.OutcomeObserver;
import io.speechsampler.api.spi.Positioned;
import io.speechsampler.api.spi.Skipping;
import io.speechsampler.api.spi.Stage;
import io.speechsampler.api.spi.StageProvider;
import io.speechsampler.api.state.SampleColumns;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.OptionalInt;
import java.util.function.Supplier;
import org.apache.commons.rng.RestorableUniformRandomProvider;
import org.apache.commons.rng.UniformRandomProvider;
import org.apache.commons.rng.core.RandomProviderDefaultState;

/**
 * InfoBatch (Qin et al., "InfoBatch: Lossless Training Speed-Up by Unbiased Dynamic Data
 * Pruning", ICLR 2024; the authors' {@code infobatch/infobatch.py}) as one stage that prunes the
 * epoch's draws, weighs the losses of the draws it kept and observes the outcomes.
 *
 * <ul>
 *   <li><b>Scores.</b> One per corpus utterance, indexed by {@code Corpus.indexOf(draw.key())}
 *       (an item's utterance; a mixture's pivot), starting at {@code initial_score} (the authors
 *       use 3, above any early loss). Every real outcome writes its loss to its key's score, so a
 *       score is the sample's last loss (padding never reaches it).</li>
 *   <li><b>Pruning</b>, decided when the epoch's draws are made, from the scores at the epoch
 *       start: a draw whose key's score is below the mean score over the corpus is well learned and
 *       is kept with probability {@code 1 - prune_ratio}, tagged {@value #RESCALED_TAG}; the others
 *       pass. Random draws: one {@code nextDouble()} per well-learned draw, in stream order, from
 *       the stage's own epoch stream ({@link EpochContext#random()}), so an epoch is a function of
 *       (seed, epoch, scores at its start) and replays exactly on resume. Draws whose key is not an
 *       utterance of the corpus cannot be scored and pass unpruned at weight 1.</li>
 *   <li><b>Weights</b>: {@code 1 / (1 - prune_ratio)} for {@value #RESCALED_TAG} draws, 1 for the
 *       others, so the expected total weight of an epoch is that of the unpruned epoch (the
 *       expected gradient is unchanged). The pipeline multiplies them with the config's
 *       {@code weighting}.</li>
 *   <li><b>Annealing</b>: from epoch {@code ceil(delta * E)} on, with E the run's planned epochs
 *       ({@code RunPlan}), nothing is pruned (the product is taken in decimal, so 0.9 x 10 is 9).
 *       When E is unknown (a stage used outside {@code train} and {@code plan}, which both set
 *       it), every epoch prunes.</li>
 *   <li><b>Ranks</b>: each rank scores its own outcomes; at every epoch end the ranks merge
 *       ({@link Mergeable}): per sample, the score of the latest global batch since the last merge
 *       wins (a column of stamps, global batch + 1, reset by each merge), which is what one rank
 *       that observed every outcome in global order holds.</li>
 * </ul>
 *
 * <p>State: the two columns (float score, int stamp: 8 bytes per utterance) as one binary part
 * (written to {@code state.bin} beside a checkpoint), snapshotted in O(1) at every epoch start
 * (copy on write).
 */
public final class InfoBatchStage implements Stage, LossWeighting, OutcomeObserver, Mergeable<SampleColumns> {

    /** Tag of a well-learned draw that was kept, and so weighs {@code 1 / (1 - prune_ratio)}. */
    public static final String RESCALED_TAG = "rescaled";

    private static final String STATE_TYPE = "info-batch";
    private static final String SCORE = "score";
    private static final String STAMP = "stamp";

    private final Corpus corpus;
    private final double pruneRatio;
    private final double delta;
    private final float initialScore;
    private final double rescale;
    private final SampleColumns columns;
    private final int score;
    private final int stamp;

    private InfoBatchStage(Corpus corpus, double pruneRatio, double delta, float initialScore) {
        this.corpus = corpus;
        this.pruneRatio = pruneRatio;
        this.delta = delta;
        this.initialScore = initialScore;
        this.rescale = 1.0 / (1.0 - pruneRatio);
        this.columns = SampleColumns.builder(corpus.size()).floats(SCORE, initialScore).ints(STAMP, 0).build();
        this.score = columns.column(SCORE);
        this.stamp = columns.column(STAMP);
    }

    /**
     * @param corpus       the corpus whose utterances are scored
     * @param pruneRatio   share of the well-learned draws pruned, in [0, 1)
     * @param delta        share of the planned epochs that prune, in (0, 1]
     * @param initialScore every score's start, finite
     * @throws IllegalArgumentException for a value outside its range, naming it
     */
    public static InfoBatchStage of(Corpus corpus, double pruneRatio, double delta, double initialScore) {
        if (!(pruneRatio >= 0 && pruneRatio < 1)) {
            throw new IllegalArgumentException("prune_ratio is not in [0, 1): " + pruneRatio);
        }
        if (!(delta > 0 && delta <= 1)) {
            throw new IllegalArgumentException("delta is not in (0, 1]: " + delta);
        }
        if (!Double.isFinite(initialScore) || Math.abs(initialScore) > Float.MAX_VALUE) {
            throw new IllegalArgumentException("initial_score is not a finite float: " + initialScore);
        }
        return new InfoBatchStage(corpus, pruneRatio, delta, (float) initialScore);
    }

    /**
     * The first epoch that prunes nothing: {@code ceil(delta * plannedEpochs)} in decimal, or
     * {@link Integer#MAX_VALUE} when the planned epochs are unknown (-1).
     */
    public static int annealingEpoch(double delta, int plannedEpochs) {
        if (plannedEpochs < 0) {
            return Integer.MAX_VALUE;
        }
        return new BigDecimal(Double.toString(delta)).multiply(BigDecimal.valueOf(plannedEpochs))
                .setScale(0, RoundingMode.CEILING).intValueExact();
    }

    /** True when epoch {@code epoch} of a run planning {@code plannedEpochs} (or -1) prunes. */
    public boolean prunes(int epoch, int plannedEpochs) {
        return epoch < annealingEpoch(delta, plannedEpochs);
    }

    @Override
    public Iterator<Draw> apply(Iterator<Draw> upstream, EpochContext ctx) {
        if (!prunes(ctx.epoch(), ctx.plan().plannedEpochs())) {
            return upstream;
        }
        // the epoch reads the scores at its start (outcomes of this epoch write the live columns)
        SampleColumns atStart = columns.snapshot();
        double mean = atStart.meanFloat(score);
        double keep = 1 - pruneRatio;
        UniformRandomProvider rng = ctx.random();
        return new PositionedDraws() {
            private Draw next;

            /**
             * The upstream's place and the random stream's state: a restore seeks there instead of
             * re-deciding every draw so far (each needs its score looked up).
             */
            @Override
            public JsonNode position() {
                JsonNode up = next == null ? Positioned.of(upstream) : null;
                if (up == null || !(rng instanceof RestorableUniformRandomProvider r)
                        || !(r.saveState() instanceof RandomProviderDefaultState st)) {
                    return null;
                }
                ObjectNode o = JsonNodeFactory.instance.objectNode();
                o.set("upstream", up);
                o.put("random", st.getState());
                return o;
            }

            @Override
            public void seek(JsonNode position) {
                if (!(upstream instanceof Positioned p) || !(rng instanceof RestorableUniformRandomProvider r)
                        || position == null || !position.has("upstream") || !position.path("random").isBinary()
                        && !position.path("random").isTextual()) {
                    throw new IllegalStateException("info-batch's stream position must be {\"upstream\": ..., "
                            + "\"random\": base64} over an upstream that can seek, got " + position);
                }
                byte[] bytes;
                try {
                    bytes = position.get("random").binaryValue();
                } catch (java.io.IOException e) {
                    throw new IllegalStateException("info-batch's stream position: 'random' is not base64: "
                            + e.getMessage());
                }
                p.seek(position.get("upstream"));
                try {
                    r.restoreState(new RandomProviderDefaultState(bytes));
                } catch (IllegalArgumentException e) {
                    throw new IllegalStateException("info-batch's stream position: 'random' is not a state of "
                            + "this stream: " + e.getMessage());
                }
                next = null;
            }

            /** Whether the last draw given to {@link #kept} was well learned (kept ones are rescaled). */
            private boolean wellLearned;

            /** Whether draw {@code d} is kept: always, unless well learned; then with probability {@code keep}. */
            private boolean kept(Draw d) {
                OptionalInt i = corpus.indexOf(d.key());
                wellLearned = i.isPresent() && atStart.getFloat(score, i.getAsInt()) < mean;
                return !wellLearned || rng.nextDouble() < keep;
            }

            @Override
            public boolean hasNext() {
                while (next == null && upstream.hasNext()) {
                    Draw d = upstream.next();
                    if (kept(d)) {
                        next = wellLearned ? d.withTag(RESCALED_TAG) : d;
                    }
                }
                return next != null;
            }

            /** As many {@code next()} calls, the same decisions on the same stream, without tagging. */
            @Override
            public long skip(long n) {
                long passed = 0;
                if (n > 0 && next != null) {
                    next = null;
                    passed = 1;
                }
                while (passed < n && upstream.hasNext()) {
                    if (kept(upstream.next())) {
                        passed++;
                    }
                }
                return passed;
            }

            @Override
            public Draw next() {
                if (!hasNext()) {
                    throw new NoSuchElementException();
                }
                Draw d = next;
                next = null;
                return d;
            }
        };
    }

    @Override
    public double[] weights(List<Draw> draws, double[] losses, double[] metrics) {
        double[] w = new double[draws.size()];
        for (int i = 0; i < w.length; i++) {
            w[i] = draws.get(i).tags().contains(RESCALED_TAG) ? rescale : 1;
        }
        return w;
    }

    /**
     * @throws IllegalArgumentException for a loss that is not finite, naming its key
     */
    @Override
    public void observe(List<Outcome> outcomes) {
        for (Outcome o : outcomes) {
            OptionalInt i = corpus.indexOf(o.key());
            if (i.isEmpty()) {
                continue;
            }
            if (!Double.isFinite(o.loss())) {
                throw new IllegalArgumentException("info-batch: the loss of '" + o.key() + "' is not finite: " + o.loss());
            }
            columns.setFloat(score, i.getAsInt(), (float) o.loss());
            columns.setInt(stamp, i.getAsInt(), o.globalBatch() + 1);
        }
    }

    /** The score of an utterance (its last loss, or the initial score), for reports and tests. */
    public float score(String utteranceId) {
        return columns.getFloat(score, corpus.indexOf(utteranceId).orElseThrow(
                () -> new IllegalArgumentException("no utterance '" + utteranceId + "' in the corpus")));
    }

    /** The scores and stamps since the last merge, as they are now (O(1)). */
    @Override
    public SampleColumns summary() {
        return columns.snapshot();
    }

    /**
     * Per sample, the score of the rank whose stamp (global batch + 1 of its last outcome since the
     * last merge) is highest; samples no rank scored since keep theirs (equal on every rank). All
     * stamps are then 0. O(N W).
     *
     * @throws IllegalStateException for a summary of another corpus size or layout
     */
    @Override
    public void merge(List<SampleColumns> fromEveryRank) {
        if (fromEveryRank.size() > 1) {
            for (SampleColumns s : fromEveryRank) {
                columns.requireLayout(s);
            }
            int n = columns.size();
            for (int i = 0; i < n; i++) {
                int best = 0;
                SampleColumns from = null;
                for (SampleColumns s : fromEveryRank) {
                    int st = s.getInt(stamp, i);
                    if (st > best) {
                        best = st;
                        from = s;
                    }
                }
                if (from != null) {
                    columns.setFloat(score, i, from.getFloat(score, i));
                }
            }
        }
        columns.fillInt(stamp, 0);
    }

    @Override
    public JsonNode saveState() {
        return state(columns);
    }

    @Override
    public Supplier<JsonNode> snapshot() {
        SampleColumns now = columns.snapshot();
        return () -> state(now);
    }

    private ObjectNode state(SampleColumns c) {
        ObjectNode o = JsonNodeFactory.instance.objectNode();
        o.put("type", STATE_TYPE);
        o.put("utterances", c.size());
        o.set("columns", c.toJson());
        return o;
    }

    @Override
    public void restoreState(JsonNode state) {
        if (state == null || !STATE_TYPE.equals(state.path("type").asText())) {
            throw new IllegalStateException("not an " + STATE_TYPE + " state: expected \"type\": \"" + STATE_TYPE + "\"");
        }
        SampleColumns c = SampleColumns.fromJson(state.get("columns"), STATE_TYPE + " scores");
        columns.requireLayout(c);
        columns.restoreFrom(c);
    }

    /** A draw iterator that skips and seeks. */
    private interface PositionedDraws extends Skipping<Draw>, Positioned {
    }

    @Override
    public String toString() {
        return "info-batch(prune_ratio " + pruneRatio + ", delta " + delta + ", initial_score " + initialScore + ")";
    }

    /** {@code info-batch}: {@code prune_ratio}, {@code delta}, {@code initial_score}. */
    public static final class Provider implements StageProvider {
        @Override
        public String name() {
            return "info-batch";
        }

        @Override
        public String description() {
            return "InfoBatch (Qin et al., ICLR 2024): each epoch keeps a well-learned draw (its utterance's, or "
                    + "a mixture's pivot's, last loss below the mean score) with probability 1 - prune_ratio and "
                    + "weighs it 1 / (1 - prune_ratio); no pruning from epoch ceil(delta * epochs) on; draws whose "
                    + "key is not a corpus utterance pass unpruned at weight 1";
        }

        @Override
        public List<ParamSpec> parameters() {
            return List.of(
                    ParamSpec.real("prune_ratio", "share of the well-learned draws pruned each epoch, in [0, 1) (1 would prune every "
                            + "well-learned sample and weigh the kept ones infinitely)")
                            .defaultsTo(0.5).min(0).below(1),
                    ParamSpec.real("delta", "share of the planned epochs that prune, in (0, 1]; the rest train on "
                            + "everything").defaultsTo(0.875).above(0).max(1),
                    ParamSpec.real("initial_score", "every sample's score before its first outcome; above the task's "
                            + "early losses, so that nothing is pruned before it was seen (the authors' 3 is for "
                            + "cross-entropy)").defaultsTo(3.0));
        }

        @Override
        public Stage create(Params p, BuildContext ctx) {
            double ratio = p.getDouble("prune_ratio");     // [0, 1): 1 would weigh the kept ones infinitely
            double delta = p.getDouble("delta");
            double initial = p.getDouble("initial_score");
            if (Math.abs(initial) > Float.MAX_VALUE) {
                throw p.error("initial_score", "'" + p.pathOf("initial_score") + "' is beyond a float's range: "
                        + initial);
            }
            return InfoBatchStage.of(ctx.corpus(), ratio, delta, initial);
        }
    }
}
