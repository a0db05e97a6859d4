package io.speechsampler.core.pipeline;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.speechsampler.api.config.ComponentConfig;
import io.speechsampler.api.config.RunConfig;
import io.speechsampler.api.corpus.Corpus;
import io.speechsampler.api.draw.Batch;
import io.speechsampler.api.draw.BatchStream;
import io.speechsampler.api.draw.Draw;
import io.speechsampler.api.registry.ProviderRegistry;
import io.speechsampler.api.registry.ProviderRegistry.Kind;
import io.speechsampler.api.spi.Batcher;
import io.speechsampler.api.spi.BuildContext;
import io.speechsampler.api.spi.ClassMask;
import io.speechsampler.api.spi.EpochContext;
import io.speechsampler.api.spi.LossWeighting;
import io.speechsampler.api.spi.Mergeable;
import io.speechsampler.api.spi.Outcome;
import io.speechsampler.api.spi.OutcomeBatch;
import io.speechsampler.api.spi.OutcomeObserver;
import io.speechsampler.api.spi.Positioned;
import io.speechsampler.api.spi.RunPlan;
import io.speechsampler.api.spi.ModelAccess;
import io.speechsampler.api.spi.SegmentContext;
import io.speechsampler.api.spi.Segmented;
import io.speechsampler.api.spi.Skipping;
import io.speechsampler.api.spi.SourceSampler;
import io.speechsampler.api.spi.Stage;
import io.speechsampler.api.spi.Stateful;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Deque;
import java.util.HexFormat;
import java.util.IdentityHashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;

/**
 * A source sampler, ordered stages and a batcher, plus the run's loss weighting, class mask and
 * observers, built from a {@link RunConfig}; it hands one rank its batches, epoch after epoch.
 *
 * <p><b>Sharding.</b> Every rank computes the epoch's global batches identically; rank {@code r}
 * of {@code W} takes global batches {@code r, r + W, r + 2W, ...}. When the global count
 * {@code n} is not a multiple of {@code W}: with {@code shard.drop_last: false} (the default)
 * every rank gets {@code ceil(n / W)} batches and the last round is padded with the epoch's first
 * batches, their draws tagged {@code padding}; with {@code drop_last: true} every rank gets
 * {@code floor(n / W)} and the last {@code n mod W} batches are dropped. Either way all ranks get
 * the same number of batches, and the unpadded batches of the ranks are disjoint and (without
 * drop-last) cover the epoch.
 *
 * <p>With one rank the epoch's batches are streamed as the batcher makes them; with several
 * they are computed whole first, since padding and sharing out need the count.
 *
 * <p><b>Segments.</b> When a draw component, the class mask or a shared component is
 * {@link Segmented}, every rank pulls the global
 * batches one round ({@code W} batches) at a time, keeping only its own and the epoch's first
 * {@code W} (for padding), and before pulling the first batch of a segment it calls the
 * component's {@code decide} and {@code apply}. The decisions of the epoch are logged in the state
 * ({@code segments}); a restore replays the epoch applying them (docs/spi2.md, section 3).
 *
 * <p><b>Resume.</b> {@link #saveState()} records the draw components' states at the start of the
 * current epoch, every component's current state and the position; {@link #restoreState} in a
 * fresh process built from the same config regenerates the epoch and continues exactly.
 *
 * <p><b>Elastic resume.</b> The global batches do not depend on the world size, so a state saved
 * by any rank of world size W restores every rank of world size W': the rest of the epoch, from
 * the next global batch {@code g} on, is dealt over the new ranks as above (rank r' takes
 * {@code g + r', g + r' + W', ...}; padding and drop-last apply to the {@code n - g} batches left),
 * and later epochs are dealt as usual. Observers' and weightings' states are restored as the saving
 * rank had them (exact with one rank; with several, {@link Mergeable} summaries are merged over the
 * ranks before a state is saved, see below).
 *
 * <p><b>Shared components and roles.</b> A component the config names under {@code components}
 * is built once, however many roles refer to it ({@code {ref: key}}), and its state is saved once,
 * under {@code components.<key>} of the state (the roles' entries point there). Any component that
 * also implements {@link OutcomeObserver} observes, and any that also implements
 * {@link LossWeighting} weighs, without being named again: a batch's weights are the product of the
 * config's {@code weighting} and every other component that weighs (each object once), so that
 * a stage such as {@code info-batch} rescales on top of, say, a loss gate.
 *
 * <p><b>Mergeable summaries.</b> At every epoch end, before the observers' {@code endEpoch}, each
 * {@link Mergeable} component merges the ranks' summaries: with one rank by itself; with several
 * the trainer gathers {@link #summaries()} from every rank and calls {@link #mergeSummaries}
 * before {@link #finishEpoch()} (which refuses to end an epoch whose outcomes were not merged) and
 * before it saves a state.
 */
public final class Pipeline implements BatchStream {

    /** Tag of draws repeated to equalise batch counts over ranks. */
    public static final String PADDING_TAG = Draw.PADDING_TAG;

    private static final String FORMAT = "speech-sampler-state";
    private static final int VERSION = 1;

    private final RunConfig config;
    private final Corpus corpus;
    private final long seed;
    /** The training corpus, then the other corpora the sampler draws keys from ({@link #keyCorpus()}). */
    private final Corpus keyCorpus;
    private final int rank;
    private final int worldSize;
    private final SourceSampler sampler;
    private final List<Stage> stages;
    private final Batcher batcher;
    private final LossWeighting weighting;
    private final ClassMask mask;
    private final List<OutcomeObserver> observers;
    /** The config's shared components that were built, by key. */
    private final Map<String, Object> shared;
    /** The key of each shared component, by identity. */
    private final Map<Object, String> sharedKey = new IdentityHashMap<>();
    /** The config's weighting, then every other component that weighs, each once. */
    private final List<LossWeighting> weightings;
    /** Observers in config order, then components of other roles that also observe, each once. */
    private final List<OutcomeObserver> allObservers;
    /** Every component that merges summaries over ranks, each once. */
    private final List<Mergeable<?>> mergeables;
    /** Outcomes were observed since the last merge of summaries. */
    private boolean unmerged;
    private final String fingerprint;
    /** The components that are {@link Segmented} (draw components, mask, shared ones), in component order, each once. */
    private final List<SegmentedPart> segmented;

    private int epoch;
    private int position;
    private long step;
    /** Epochs the run plans, or -1 when unknown; set by the trainer (see {@link #plan}). */
    private int plannedEpochs = -1;
    /** Global batches per epoch at most (the trainer's step limit), or 0 for no limit. */
    private int maxBatchesPerEpoch;
    /** Global batches the run took before the current epoch. */
    private long epochStartBatch;
    /** Global batches of the current epoch when it was materialised (several ranks), else -1. */
    private int epochGlobalCount = -1;
    /**
     * Where this rank's dealing of the current epoch starts among the global batches: 0, except
     * after an elastic restore at another world size whose saved position is not a multiple of it
     * (then rank r takes {@code dealStart + r, dealStart + r + W, ...}).
     */
    private int dealStart;
    /** Batches this rank's predecessor took in this epoch before an elastic re-deal (rounds done). */
    private int positionOffset;
    /** This rank's batches of the current epoch when materialised (consumed ones may be null). */
    private List<List<Draw>> epochBatches;
    /** With one rank, the epoch's batches as they are made: nothing to count or share out first. */
    private Iterator<List<Draw>> epochStream;
    /** The draw components' states at the start of the current epoch, as JSON on demand. */
    private Supplier<ObjectNode> epochStartState;
    /** With a {@link Segmented} component: the current epoch's global batches, pulled a round at a time. */
    private SegmentStream segmentStream;
    /** The model in the loop that segmented components may ask at their boundaries. */
    private ModelAccess models = ModelAccess.NONE;

    /** Logged decisions a restore hands to the epoch it replays, applied instead of deciding. */
    private Deque<JsonNode> replayLog;
    /** The run plan the components of the current epoch were given. */
    private RunPlan epochPlan;
    /** After a restore: the saved epoch's plan, which its replay must see again (null: the current plan). */
    private RunPlan replayPlan;

    private Pipeline(RunConfig config, Corpus corpus, int rank, int worldSize, SourceSampler sampler,
                     List<Stage> stages, Batcher batcher, LossWeighting weighting, ClassMask mask,
                     List<OutcomeObserver> observers, Map<String, Object> shared, Corpus keyCorpus) {
        this.config = config;
        this.corpus = corpus;
        this.keyCorpus = keyCorpus;
        this.seed = config.seed();
        this.rank = rank;
        this.worldSize = worldSize;
        this.sampler = sampler;
        this.stages = List.copyOf(stages);
        this.batcher = batcher;
        this.weighting = weighting;
        this.mask = mask;
        this.observers = List.copyOf(observers);
        this.shared = new LinkedHashMap<>(shared);
        shared.forEach((k, c) -> sharedKey.put(c, k));
        Set<Object> seen = Collections.newSetFromMap(new IdentityHashMap<>());
        List<LossWeighting> ws = new ArrayList<>(List.of(weighting));
        seen.add(weighting);
        List<Mergeable<?>> ms = new ArrayList<>();
        Set<Object> seenM = Collections.newSetFromMap(new IdentityHashMap<>());
        List<OutcomeObserver> os = new ArrayList<>();
        Set<Object> seenO = Collections.newSetFromMap(new IdentityHashMap<>());
        for (Object c : components()) {
            if (c instanceof LossWeighting w && seen.add(w)) {
                ws.add(w);
            }
            if (c instanceof Mergeable<?> m && seenM.add(m)) {
                ms.add(m);
            }
            if (c instanceof OutcomeObserver o && seenO.add(o)) {
                os.add(o);
            }
        }
        // found once: outcomes are delivered after every step
        this.allObservers = List.copyOf(os);
        this.weightings = List.copyOf(ws);
        this.mergeables = List.copyOf(ms);
        this.fingerprint = fingerprint(config, corpus);
        this.segmented = segmentedParts(sampler, this.stages, batcher, mask, this.shared);
    }

    /** A {@link Segmented} component and its key ({@code sampler}, {@code stages[0]}, {@code batch}, {@code mask}, {@code components.dc}). */
    private record SegmentedPart(String key, Segmented component) {
    }

    /**
     * The segmented components: the draw components, then the class mask and the shared components
     * (a {@code drop-class} set that the sampler reads and the mask applies is segmented wherever the
     * config puts it), each once, a shared one under {@code components.<key>}.
     */
    private static List<SegmentedPart> segmentedParts(SourceSampler sampler, List<Stage> stages, Batcher batcher,
                                                      ClassMask mask, Map<String, Object> shared) {
        Set<Object> seen = Collections.newSetFromMap(new IdentityHashMap<>());
        List<SegmentedPart> out = new ArrayList<>();
        List<Object> parts = new ArrayList<>();
        List<String> keys = new ArrayList<>();
        parts.add(sampler);
        keys.add("sampler");
        for (int i = 0; i < stages.size(); i++) {
            parts.add(stages.get(i));
            keys.add("stages[" + i + "]");
        }
        parts.add(batcher);
        keys.add("batch");
        if (mask != null && shared.values().stream().noneMatch(c -> c == mask)) {
            parts.add(mask);
            keys.add("mask");
        }
        shared.forEach((k, c) -> {
            parts.add(c);
            keys.add("components." + k);
        });
        for (int i = 0; i < parts.size(); i++) {
            if (parts.get(i) instanceof Segmented s && seen.add(s)) {
                out.add(new SegmentedPart(keys.get(i), s));
            }
        }
        return List.copyOf(out);
    }

    /**
     * Builds every component the config names, validating each provider's parameters.
     *
     * @throws io.speechsampler.api.config.ConfigException for an unknown provider, key or value
     */
    public static Pipeline build(RunConfig config, Corpus corpus, ProviderRegistry registry, int rank,
                                 int worldSize) {
        if (worldSize < 1 || rank < 0 || rank >= worldSize) {
            throw new IllegalArgumentException("rank must be in [0, world size) and world size at least 1: rank "
                    + rank + ", world size " + worldSize);
        }
        Corpus keys = keyCorpus(config, corpus, registry);
        ComponentBuilder b = new ComponentBuilder(config, corpus, keys, registry);
        // the batcher first: the others may need its fixed batch size
        Batcher batcher = b.role(Kind.BATCHER, config.batch(), Batcher.class);
        b.batchSize(batcher.fixedBatchSize());
        SourceSampler sampler = b.role(Kind.SAMPLER, config.sampler(), SourceSampler.class);
        List<Stage> stages = new ArrayList<>();
        for (ComponentConfig c : config.stages()) {
            stages.add(b.role(Kind.STAGE, c, Stage.class));
        }
        LossWeighting weighting = b.role(Kind.WEIGHTING, config.weighting(), LossWeighting.class);
        ClassMask mask = config.mask() == null ? null : b.role(Kind.MASK, config.mask(), ClassMask.class);
        List<OutcomeObserver> observers = new ArrayList<>();
        for (ComponentConfig c : config.observers()) {
            observers.add(b.role(Kind.OBSERVER, c, OutcomeObserver.class));
        }
        return new Pipeline(config, corpus, rank, worldSize, sampler, stages, batcher, weighting, mask, observers,
                b.shared(), keys);
    }

    /**
     * Every utterance the config's draws may name as their key: {@code corpus}'s, in order, then
     * those of the corpora the sampler's provider names ({@link io.speechsampler.api.spi.SourceSamplerProvider#keyCorpora}:
     * a curriculum's {@code real_corpus}), ids as the draws name them; {@code corpus} itself (the
     * same object) when the sampler names none. Reads those corpora; builds nothing.
     *
     * @throws io.speechsampler.api.config.ConfigException for an unknown sampler, a bad parameter
     *                                                     or an unreadable corpus, one line
     */
    public static Corpus keyCorpus(RunConfig config, Corpus corpus, ProviderRegistry registry) {
        ComponentConfig s = config.sampler();
        if (s.isRef()) {
            s = config.components().get(s.ref());
            if (s == null) {
                return corpus; // the builder names the missing component
            }
        }
        BuildContext ctx = new BuildContext(corpus, config.baseDir(), config.seed(), -1, s.path());
        List<Corpus> more = registry.keyCorpora(s, ctx);
        if (more.isEmpty()) {
            return corpus;
        }
        List<io.speechsampler.api.corpus.Utterance> all = new ArrayList<>(corpus.utterances());
        for (Corpus c : more) {
            all.addAll(c.utterances());
        }
        return Corpus.of(corpus.source(), all);
    }

    public RunConfig config() {
        return config;
    }

    public Corpus corpus() {
        return corpus;
    }

    /**
     * The training corpus, then the other corpora whose utterances the sampler's draws name as
     * their key (see {@link #keyCorpus(RunConfig, Corpus, ProviderRegistry)}); {@link #corpus()}
     * itself when there are none. A trainer resolves outcome key indexes in it
     * ({@link io.speechsampler.api.spi.OutcomeBatch#withKeyIndexes}) and renders from it.
     */
    public Corpus keyCorpus() {
        return keyCorpus;
    }

    public int rank() {
        return rank;
    }

    public int worldSize() {
        return worldSize;
    }

    /** The current epoch, from 0. */
    public int epoch() {
        return epoch;
    }

    /** This rank's global step: batches handed out so far over all epochs. */
    public long step() {
        return step;
    }

    /** Batches this rank has taken in the current epoch (rounds done, after an elastic restore). */
    public int positionInEpoch() {
        return positionOffset + position;
    }

    public SourceSampler sampler() {
        return sampler;
    }

    public List<Stage> stages() {
        return stages;
    }

    public Batcher batcher() {
        return batcher;
    }

    /** The observers the config lists under {@code observers}, in order. */
    public List<OutcomeObserver> observers() {
        return observers;
    }

    /** The config's {@code weighting}; see {@link #weightings()} for every component that weighs. */
    public LossWeighting weighting() {
        return weighting;
    }

    /** The config's weighting, then every other component that weighs (each once): {@link #weigh} multiplies them. */
    public List<LossWeighting> weightings() {
        return weightings;
    }

    /** The config's shared components ({@code components}) that were built, by key. */
    public Map<String, Object> sharedComponents() {
        return Collections.unmodifiableMap(shared);
    }

    public Optional<ClassMask> mask() {
        return Optional.ofNullable(mask);
    }

    /**
     * This rank's batch count in the current epoch (computes the rest of the epoch if needed), or
     * -1 when a draw component is {@link Segmented} and the run plan does not know the epoch's
     * size: a segmented epoch is never computed ahead, since its later draws depend on outcomes.
     */
    public int batchesInEpoch() {
        if (!segmented.isEmpty()) {
            long n = runPlan().batchesPerEpoch();
            if (n < 0) {
                return -1;
            }
            long left = Math.max(0, n - dealStart);
            long mine = config.dropLast() ? left / worldSize : (left + worldSize - 1) / worldSize;
            return (int) (positionOffset + mine);
        }
        ensureEpoch();
        if (epochStream != null) {
            List<List<Draw>> all = new ArrayList<>(java.util.Collections.nCopies(position, null));
            epochStream.forEachRemaining(b -> all.add(List.copyOf(b)));
            epochStream = null;
            epochBatches = all;
        }
        return positionOffset + epochBatches.size();
    }

    /**
     * The model in the loop ({@link SegmentContext#models()}): the trainer sets it before the first
     * batch; without one, a component that asks is refused with a message.
     */
    public void setModelAccess(ModelAccess access) {
        this.models = java.util.Objects.requireNonNull(access, "access");
    }

    /** The next batch of the current epoch, or empty at its end (then call {@link #finishEpoch()}). */
    public Optional<Batch> nextInEpoch() {
        ensureEpoch();
        List<Draw> draws;
        if (segmentStream != null) {
            draws = segmentStream.take(dealStart + position * worldSize);
            if (draws == null) {
                return Optional.empty();
            }
        } else if (epochStream != null) {
            if (!epochStream.hasNext()) {
                return Optional.empty();
            }
            draws = epochStream.next();
        } else {
            if (position >= epochBatches.size()) {
                return Optional.empty();
            }
            draws = epochBatches.get(position);
            epochBatches.set(position, null);
        }
        Batch b = new Batch(epoch, step, globalIndex(position), rank, draws);
        position++;
        step++;
        return Optional.of(b);
    }

    /**
     * True when the next {@link #nextInEpoch()} starts a segment of a {@link Segmented} component
     * (the epoch's first batch included): its decision is made from the outcomes observed by then,
     * so a trainer that prefetches must observe every batch it took before pulling this one.
     */
    public boolean nextStartsSegment() {
        if (segmented.isEmpty()) {
            return false;
        }
        return segmentStream == null || segmentStream.crossesBoundaryBy(dealStart + (position + 1) * worldSize - 1);
    }

    /**
     * The index among the epoch's global batches of this rank's {@code k}-th batch of the epoch:
     * {@code rank + k * worldSize} (see the class comment), also for padding and with one rank.
     */
    public int globalIndex(int k) {
        return dealStart + rank + k * worldSize;
    }

    /**
     * Tells the components the run's planned length ({@link RunPlan} in their epoch contexts), so
     * that pacing functions read it from the run. Call before the first batch; a resumed run calls
     * it again with its (possibly raised) epochs.
     *
     * @param epochs             epochs the run trains in total, at least 1
     * @param maxBatchesPerEpoch the trainer's limit of steps per epoch, or 0 for none
     */
    public void plan(int epochs, int maxBatchesPerEpoch) {
        if (epochs < 1 || maxBatchesPerEpoch < 0) {
            throw new IllegalArgumentException("planned epochs must be at least 1 and the step limit at least 0: "
                    + epochs + ", " + maxBatchesPerEpoch);
        }
        this.plannedEpochs = epochs;
        this.maxBatchesPerEpoch = maxBatchesPerEpoch;
    }

    /** The run plan the components of the current epoch see. */
    public RunPlan runPlan() {
        long perEpoch = -1;
        long draws = sampler.epochSize();
        if (draws >= 0 && stages.stream().allMatch(Stage::oneForOne)) {
            perEpoch = batcher.batchesFor(draws);
        }
        if (maxBatchesPerEpoch > 0) {
            perEpoch = perEpoch < 0 ? -1 : Math.min(perEpoch, (long) maxBatchesPerEpoch * worldSize);
        }
        return new RunPlan(plannedEpochs, epochStartBatch, perEpoch);
    }

    /**
     * Per-sample loss weights of a batch: the product of every weighting's ({@link #weightings()}).
     * The weightings see the real draws only; padding draws (repeated to keep ranks in lockstep)
     * still train, with weight 0, so that no gate, count or weighting sees them twice.
     */
    public double[] weigh(List<Draw> draws, double[] losses, double[] metrics) {
        int real = 0;
        for (Draw d : draws) {
            if (!d.isPadding()) {
                real++;
            }
        }
        if (real == draws.size()) {
            return combinedWeights(draws, losses, metrics);
        }
        double[] w = new double[draws.size()];
        if (real == 0) {
            return w;
        }
        List<Draw> rd = new ArrayList<>(real);
        double[] rl = new double[real];
        double[] rm = new double[real];
        int[] at = new int[real];
        for (int i = 0, k = 0; i < draws.size(); i++) {
            if (!draws.get(i).isPadding()) {
                rd.add(draws.get(i));
                rl[k] = losses[i];
                rm[k] = metrics[i];
                at[k++] = i;
            }
        }
        double[] rw = combinedWeights(rd, rl, rm);
        for (int k = 0; k < real; k++) {
            w[at[k]] = rw[k];
        }
        return w;
    }

    private double[] combinedWeights(List<Draw> draws, double[] losses, double[] metrics) {
        double[] w = weighting.weights(draws, losses, metrics);
        for (int k = 1; k < weightings.size(); k++) {
            double[] more = weightings.get(k).weights(draws, losses, metrics);
            for (int i = 0; i < w.length; i++) {
                w[i] *= more[i];
            }
        }
        return w;
    }

    /**
     * This rank's summary of every {@link Mergeable} component, in a fixed order, for a trainer of
     * several ranks to gather (see the class comment).
     */
    public List<Object> summaries() {
        List<Object> out = new ArrayList<>(mergeables.size());
        for (Mergeable<?> m : mergeables) {
            out.add(m.summary());
        }
        return out;
    }

    /**
     * Merges every rank's {@link #summaries()} (index = rank) into this rank's components.
     *
     * @throws IllegalArgumentException when a rank's list does not hold one summary per component
     */
    @SuppressWarnings({"unchecked", "rawtypes"})
    public void mergeSummaries(List<List<Object>> fromEveryRank) {
        for (List<Object> r : fromEveryRank) {
            if (r.size() != mergeables.size()) {
                throw new IllegalArgumentException("expected " + mergeables.size() + " summaries from every rank, got "
                        + r.size());
            }
        }
        for (int j = 0; j < mergeables.size(); j++) {
            List<Object> column = new ArrayList<>(fromEveryRank.size());
            for (List<Object> r : fromEveryRank) {
                column.add(r.get(j));
            }
            ((Mergeable) mergeables.get(j)).merge(column);
        }
        unmerged = false;
    }

    /**
     * Ends the current epoch and moves to the next: {@link Mergeable} components merge (by
     * themselves with one rank), then observers see {@code endEpoch}.
     *
     * @throws IllegalStateException with several ranks, when outcomes were observed since the last
     *                               {@link #mergeSummaries} (the ranks would decide the next epoch
     *                               from different summaries)
     */
    public void finishEpoch() {
        if (!mergeables.isEmpty()) {
            if (worldSize == 1) {
                mergeSummaries(List.of(summaries()));
            } else if (unmerged) {
                throw new IllegalStateException("rank " + rank + " of " + worldSize + " observed outcomes since the "
                        + "last merge: gather summaries() from every rank and call mergeSummaries before finishEpoch");
            }
        }
        for (OutcomeObserver o : allObservers) {
            o.endEpoch(epoch);
        }
        if (segmentStream != null && segmentStream.count >= 0) {
            epochGlobalCount = segmentStream.count;
        }
        long taken = dealStart + (long) position * worldSize;
        epochStartBatch += epochGlobalCount < 0 ? taken : Math.min(taken, epochGlobalCount);
        epochGlobalCount = -1;
        segmentStream = null;
        replayLog = null;
        dealStart = 0;
        positionOffset = 0;
        epoch++;
        position = 0;
        epochBatches = null;
        epochStream = null;
        epochStartState = null;
        epochPlan = null;
    }

    /**
     * Sends a step's per-sample outcomes to every observer (and every component that observes),
     * without those of padding draws.
     */
    @Override
    public void observe(List<Outcome> outcomes) {
        List<Outcome> copy;
        if (outcomes instanceof OutcomeBatch b && !b.hasPadding()) {
            copy = b; // immutable already: no copy, no records made
        } else {
            boolean padded = false;
            for (Outcome o : outcomes) {
                padded |= o.draw().isPadding();
            }
            copy = padded ? outcomes.stream().filter(o -> !o.draw().isPadding()).toList() : List.copyOf(outcomes);
        }
        for (OutcomeObserver o : allObservers) {
            o.observe(copy);
        }
        unmerged |= !copy.isEmpty();
    }

    private List<Object> components() {
        List<Object> all = new ArrayList<>(observers);
        all.add(sampler);
        all.addAll(stages);
        all.add(batcher);
        all.add(weighting);
        if (mask != null) {
            all.add(mask);
        }
        all.addAll(shared.values());
        return all;
    }

    private void ensureEpoch() {
        if (epochBatches != null || epochStream != null || segmentStream != null) {
            return;
        }
        epochStartState = drawSnapshot();
        epochPlan = replayPlan != null ? replayPlan : runPlan();
        replayPlan = null;
        EpochContext ctx = new EpochContext(seed, epoch, rank, worldSize, "sampler", epochPlan);
        Iterator<Draw> draws = sampler.epoch(ctx);
        for (int i = 0; i < stages.size(); i++) {
            draws = stages.get(i).apply(draws, ctx.forComponent("stages[" + i + "]"));
        }
        Iterator<List<Draw>> global = batcher.batches(draws, ctx.forComponent("batch"));
        if (!segmented.isEmpty()) {
            Deque<JsonNode> replay = replayLog == null ? new ArrayDeque<>() : replayLog;
            replayLog = null;
            segmentStream = new SegmentStream(global, ctx, replay);
            return;
        }
        if (worldSize == 1) {
            // one rank takes every batch in order: stream them, so a large epoch never sits in memory
            epochStream = global;
            return;
        }
        List<List<Draw>> all = new ArrayList<>();
        global.forEachRemaining(b -> all.add(List.copyOf(b)));
        epochGlobalCount = all.size();
        epochBatches = new ArrayList<>(shard(all, rank, worldSize, config.dropLast(), dealStart));
    }

    /**
     * A segmented epoch's global batches, pulled from the batcher one round at a time, with the
     * segment boundaries crossed as they come: before global batch {@code g} is pulled (before
     * even asking the batcher whether it exists, which may pull draws), every component whose
     * boundary {@code g} is decides and applies, or, while a restore replays the epoch, applies its
     * logged decision.
     */
    private final class SegmentStream {
        private final Iterator<List<Draw>> global;
        private final EpochContext[] contexts;
        /** Per component: its next boundary (run-global) and its segments so far in the epoch. */
        private final long[] nextAt;
        private final int[] index;
        private long firstNextAt;
        /** The epoch's first W global batches: padding repeats them. */
        private final List<List<Draw>> head = new ArrayList<>();
        private final ArrayNode log = JsonNodeFactory.instance.arrayNode();
        private final Deque<JsonNode> replay;
        /** Global batches pulled so far. */
        private int pulled;
        /** The epoch's global batch count once the batcher has ended, else -1. */
        private int count = -1;
        private List<Draw> wanted;

        SegmentStream(Iterator<List<Draw>> global, EpochContext ctx, Deque<JsonNode> replay) {
            this.global = global;
            this.replay = replay;
            int k = segmented.size();
            contexts = new EpochContext[k];
            nextAt = new long[k];
            index = new int[k];
            for (int i = 0; i < k; i++) {
                contexts[i] = ctx.forComponent(segmented.get(i).key());
                segment(i, epochStartBatch);
            }
            updateFirst();
        }

        /** This rank's batch of the round starting at global batch {@code roundStart}, or null at the epoch's end. */
        List<Draw> take(int roundStart) {
            int g = roundStart + rank;
            int roundEnd = roundStart + worldSize - 1;
            wanted = null;
            pullThrough(roundEnd, g);
            if (count >= 0) {
                if (config.dropLast() ? roundEnd >= count : roundStart >= count) {
                    return null;
                }
                if (g >= count) {
                    List<Draw> pad = new ArrayList<>();
                    for (Draw d : head.get((g - count) % count)) {
                        pad.add(d.withTag(PADDING_TAG));
                    }
                    return pad;
                }
            }
            List<Draw> b = wanted;
            wanted = null;
            return b;
        }

        /** Replays the batches before {@code next}, which the saved run took. */
        void skipTo(long next) {
            pullThrough(next - 1, -1);
        }

        boolean crossesBoundaryBy(long lastInEpoch) {
            return count < 0 && firstNextAt <= epochStartBatch + lastInEpoch;
        }

        private void pullThrough(long last, int keep) {
            // the epoch's global batch count when the plan knows it: no segment starts at its end
            // (a decision there would be made for no batch, and made again at the next epoch's start)
            long planned = epochPlan.batchesPerEpoch();
            while (pulled <= last && count < 0) {
                long at = epochStartBatch + pulled;
                if (planned >= 0 && pulled >= planned) {
                    count = pulled;
                    return;
                }
                if (at >= firstNextAt) {
                    for (int i = 0; i < nextAt.length; i++) {
                        if (nextAt[i] == at) {
                            index[i]++;
                            segment(i, at);
                        }
                    }
                    updateFirst();
                }
                if (!global.hasNext()) {
                    count = pulled;
                    return;
                }
                List<Draw> b = global.next();
                if (pulled < worldSize) {
                    head.add(List.copyOf(b));
                }
                if (pulled == keep) {
                    wanted = b;
                }
                pulled++;
            }
        }

        /** Component {@code i}'s segment starting at run-global batch {@code at}: decide (or replay), apply, log. */
        private void segment(int i, long at) {
            SegmentedPart part = segmented.get(i);
            SegmentContext sc = new SegmentContext(contexts[i], at, index[i], models);
            JsonNode decision;
            if (!replay.isEmpty()) {
                JsonNode logged = replay.peekFirst();
                if (logged.path("start").asLong(-1) != at || !part.key().equals(logged.path("component").asText())) {
                    throw new IllegalStateException("the state's segment log has " + logged + " where '" + part.key()
                            + "' starts a segment at batch " + at + "; expected the decisions of this config's "
                            + "segments in order");
                }
                replay.removeFirst();
                decision = logged.get("decision");
            } else {
                decision = part.component().decide(sc);
                if (decision == null) {
                    throw new IllegalStateException("'" + part.key() + "' decided null at batch " + at
                            + "; expected a JSON decision (a NullNode for none)");
                }
                decision = decision.deepCopy();
            }
            part.component().apply(decision, sc);
            ObjectNode entry = log.addObject();
            entry.put("start", at);
            entry.put("component", part.key());
            entry.set("decision", decision);
            long next = part.component().nextBoundary(at);
            if (next <= at) {
                throw new IllegalStateException("'" + part.key() + "' declared its next boundary after batch " + at
                        + " at " + next + "; expected a batch after " + at + " (Long.MAX_VALUE for none)");
            }
            nextAt[i] = next;
        }

        private void updateFirst() {
            long first = Long.MAX_VALUE;
            for (long n : nextAt) {
                first = Math.min(first, n);
            }
            firstNextAt = first;
        }

        /** The decisions of the epoch so far, then any logged ones a restore has not reached yet. */
        ArrayNode savedLog() {
            ArrayNode all = log.deepCopy();
            replay.forEach(e -> all.add(e.deepCopy()));
            return all;
        }
    }

    /** Regenerated epoch: drop the batches before {@code target}, which the saved run already took. */
    private void skipTo(int target, boolean elastic) {
        if (epochStream != null) {
            // a fixed-size batcher over a shuffle passes over the trained draws without making them
            long passed = Skipping.skip(epochStream, target);
            if (passed < target && !elastic) {
                // (elastic: the saving world's padded last round counted past the end: the epoch is done)
                throw new IllegalStateException("the state's position " + target + " is past the epoch's " + passed
                        + " batches");
            }
        } else {
            if (elastic) {
                target = Math.min(target, epochBatches.size());
            }
            if (target > epochBatches.size()) {
                throw new IllegalStateException("the state's position " + target + " is past the epoch's "
                        + epochBatches.size() + " batches");
            }
            for (int i = 0; i < target; i++) {
                epochBatches.set(i, null);
            }
        }
    }

    /** Rank {@code rank}'s share of the global batches; see the class comment for the rule. */
    public static List<List<Draw>> shard(List<List<Draw>> global, int rank, int worldSize, boolean dropLast) {
        return shard(global, rank, worldSize, dropLast, 0);
    }

    /**
     * Rank {@code rank}'s share of the global batches from {@code start} on: the rule of the class
     * comment applied to the {@code n - start} batches left, padding still taken from the epoch's
     * first batches (an elastic resume re-deals the rest of an epoch over a new world size).
     */
    public static List<List<Draw>> shard(List<List<Draw>> global, int rank, int worldSize, boolean dropLast,
                                         int start) {
        int n = global.size();
        // an elastic restore after a padded last round starts past the end: nothing is left
        int left = Math.max(0, n - start);
        int perRank = dropLast ? left / worldSize : (left + worldSize - 1) / worldSize;
        List<List<Draw>> mine = new ArrayList<>(perRank);
        for (int k = 0; k < perRank; k++) {
            int i = start + rank + k * worldSize;
            if (i < n) {
                mine.add(global.get(i));
            } else {
                List<Draw> pad = new ArrayList<>();
                for (Draw d : global.get((i - n) % n)) {
                    pad.add(d.withTag(PADDING_TAG));
                }
                mine.add(List.copyOf(pad));
            }
        }
        return mine;
    }

    /**
     * The sampler's, stages' and batcher's states now, made into JSON (a fresh copy each time) only
     * when asked: at every epoch start, but a run is rarely saved.
     */
    private Supplier<ObjectNode> drawSnapshot() {
        Supplier<JsonNode> s = snapshotOf(sampler);
        List<Supplier<JsonNode>> st = stages.stream().map(this::snapshotOf).toList();
        Supplier<JsonNode> b = snapshotOf(batcher);
        Map<String, Supplier<JsonNode>> sh = new LinkedHashMap<>();
        shared.forEach((k, c) -> {
            if (isDrawComponent(c)) {
                sh.put(k, ((Stateful) c).snapshot());
            }
        });
        return () -> {
            ObjectNode o = JsonNodeFactory.instance.objectNode();
            o.set("sampler", s.get().deepCopy());
            ArrayNode a = o.putArray("stages");
            st.forEach(x -> a.add(x.get().deepCopy()));
            o.set("batcher", b.get().deepCopy());
            if (!sh.isEmpty()) {
                ObjectNode c = o.putObject("components");
                sh.forEach((k, v) -> c.set(k, v.get().deepCopy()));
            }
            return o;
        };
    }

    /** A role's snapshot, or for a shared component a pointer to its one state under {@code components}. */
    private Supplier<JsonNode> snapshotOf(Stateful c) {
        String key = sharedKey.get(c);
        if (key == null) {
            return c.snapshot();
        }
        ObjectNode pointer = pointer(key);
        return () -> pointer;
    }

    private JsonNode stateOf(Stateful c) {
        String key = sharedKey.get(c);
        return key == null ? c.saveState() : pointer(key);
    }

    private static ObjectNode pointer(String key) {
        return JsonNodeFactory.instance.objectNode().put("component", key);
    }

    /** True for the sampler, a stage or the batcher: a component the epoch-start state holds. */
    private boolean isDrawComponent(Object c) {
        if (c == sampler || c == batcher) {
            return true;
        }
        for (Stage st : stages) {
            if (st == c) {
                return true;
            }
        }
        return false;
    }

    private ObjectNode currentState() {
        ObjectNode o = drawSnapshot().get();
        o.set("weighting", stateOf(weighting));
        o.set("mask", mask == null ? JsonNodeFactory.instance.nullNode() : stateOf(mask));
        ArrayNode obs = o.putArray("observers");
        observers.forEach(s -> obs.add(stateOf(s)));
        shared.forEach((k, c) -> {
            if (!isDrawComponent(c)) {
                (o.has("components") ? (ObjectNode) o.get("components") : o.putObject("components"))
                        .set(k, ((Stateful) c).saveState());
            }
        });
        return o;
    }

    /** The state at this point, as JSON: restore it into a pipeline built from the same config. */
    public ObjectNode saveState() {
        ObjectNode o = JsonNodeFactory.instance.objectNode();
        o.put("format", FORMAT);
        o.put("version", VERSION);
        o.put("fingerprint", fingerprint);
        o.put("rank", rank);
        o.put("world_size", worldSize);
        o.put("epoch", epoch);
        o.put("position", position);
        o.put("step", step);
        o.put("epoch_start_batch", epochStartBatch);
        // the next global batch of the epoch: what a restore at another world size deals from
        o.put("next_batch", dealStart + (long) position * worldSize);
        // Once the epoch is computed, components may change state (weights updated, outcomes
        // observed) even before its first batch is taken; the epoch must replay from its start state.
        if (epochStartState != null) {
            o.set("epoch_start", epochStartState.get());
            // what the epoch's components were told of the run: its replay tells them the same,
            // also when the resumed run plans more epochs
            o.putObject("epoch_plan").put("planned_epochs", epochPlan.plannedEpochs())
                    .put("batches_per_epoch", epochPlan.batchesPerEpoch());
        }
        if (!segmented.isEmpty()) {
            // the decisions of the epoch's segments: a restore replays the epoch with them
            o.set("segments", segmentStream == null ? JsonNodeFactory.instance.arrayNode() : segmentStream.savedLog());
        }
        if (epochStream != null && worldSize == 1 && dealStart == 0) {
            // where the epoch's iterators are: a restore seeks there instead of replaying (Positioned)
            JsonNode at = Positioned.of(epochStream);
            if (at != null) {
                o.set("stream_position", at);
            }
        }
        o.set("current", currentState());
        return o;
    }

    /**
     * Restores a state from {@link #saveState()}.
     *
     * @throws IllegalStateException when the state is not this pipeline's kind (another config,
     *                               corpus, rank or world size, or not a state file at all), or a
     *                               field is missing or holds a value no saved state has (a
     *                               negative position, a position past the epoch's batches); the
     *                               message names the field, what was expected and what was found
     */
    public void restoreState(JsonNode state) {
        if (state == null || !FORMAT.equals(state.path("format").asText())) {
            throw new IllegalStateException("not a " + FORMAT + " state: expected \"format\": \"" + FORMAT + "\"");
        }
        if (state.path("version").asInt() != VERSION) {
            throw new IllegalStateException("state version " + state.path("version") + " is not " + VERSION);
        }
        if (!fingerprint.equals(state.path("fingerprint").asText())) {
            throw new IllegalStateException("the state was written for another config or corpus (fingerprint "
                    + state.path("fingerprint").asText() + ", this run " + fingerprint + ")");
        }
        // Elastic: the global batches do not depend on the world size, so a state of any rank of any
        // world size restores any rank of this one (see the class comment).
        int savedWorld = (int) count(state, "world_size", Integer.MAX_VALUE);
        if (savedWorld < 1) {
            throw new IllegalStateException("'world_size' must be at least 1, got " + savedWorld);
        }
        int savedEpoch = (int) count(state, "epoch", Integer.MAX_VALUE);
        int savedPosition = (int) count(state, "position", Integer.MAX_VALUE);
        long savedStep = count(state, "step", Long.MAX_VALUE);
        if (savedStep < savedPosition) {
            throw new IllegalStateException("'step' " + savedStep + " is less than 'position' " + savedPosition
                    + "; expected the batches of all epochs to include this epoch's");
        }
        boolean hasStart = state.hasNonNull("epoch_start");
        if (savedPosition > 0 && !hasStart) {
            throw new IllegalStateException("'position' is " + savedPosition + " but 'epoch_start' is missing; "
                    + "expected the draw components' states at the start of the epoch");
        }
        if (hasStart) {
            checkDrawState(state.get("epoch_start"), "epoch_start");
        }
        JsonNode cur = state.get("current");
        checkDrawState(cur, "current");
        JsonNode obs = cur.get("observers");
        if (obs == null || !obs.isArray() || obs.size() != observers.size()) {
            throw new IllegalStateException("'current.observers' must be a list of " + observers.size()
                    + " states, one per observer; " + (obs == null ? "it is missing" : "got " + obs));
        }
        if (!cur.has("weighting") || !cur.has("mask")) {
            throw new IllegalStateException("'current' must hold 'weighting' and 'mask' states");
        }
        long nextBatch = state.has("next_batch") ? count(state, "next_batch", Integer.MAX_VALUE)
                : (long) savedPosition * savedWorld;
        if (nextBatch < (long) savedPosition * savedWorld) {
            throw new IllegalStateException("'next_batch' " + nextBatch + " is less than 'position' " + savedPosition
                    + " times 'world_size' " + savedWorld + "; expected the global batch after the rank's last round");
        }
        // absent in states written before the run plan existed: those runs start the count here
        long savedEpochStart = state.has("epoch_start_batch") ? count(state, "epoch_start_batch", Long.MAX_VALUE) : 0;
        Deque<JsonNode> segments = segmented.isEmpty() ? null : segmentLog(state, hasStart, savedEpochStart);
        epoch = savedEpoch;
        step = savedStep;
        dealStart = 0;
        positionOffset = 0;
        // from the global position, also at the saved world size: a rank restored elastically in
        // this epoch deals from a start that is not a multiple of W, and 'position' counts from there
        if (nextBatch % worldSize == 0) {
            // the next global batch starts a round of this world size: the ordinary dealing continues
            position = (int) (nextBatch / worldSize);
        } else {
            dealStart = (int) nextBatch;
            position = 0;
            positionOffset = (int) (nextBatch / worldSize);
        }
        epochStartBatch = savedEpochStart;
        epochGlobalCount = -1;
        epochBatches = null;
        epochStream = null;
        epochStartState = null;
        segmentStream = null;
        replayLog = null;
        epochPlan = null;
        replayPlan = null;
        if (hasStart) {
            // observers and other shared components a draw component reads at its epoch start (a
            // curriculum guided by a datamap observer) hold their saved state while the epoch replays;
            // the replay feeds them nothing. Segmented ones take theirs after the replay (below).
            for (int i = 0; i < observers.size(); i++) {
                if (!isDrawComponent(observers.get(i)) && !(observers.get(i) instanceof Segmented)) {
                    restoreRole(observers.get(i), obs.get(i));
                }
            }
            shared.forEach((k, c) -> {
                if (!isDrawComponent(c) && !(c instanceof Segmented)) {
                    ((Stateful) c).restoreState(cur.get("components").get(k));
                }
            });
            JsonNode plan = state.get("epoch_plan");
            if (plan != null && plan.isObject()) {
                try {
                    replayPlan = new RunPlan(plan.path("planned_epochs").asInt(-1), epochStartBatch,
                            plan.path("batches_per_epoch").asLong(-1));
                } catch (IllegalArgumentException e) {
                    throw new IllegalStateException("'epoch_plan' is not a run plan: " + e.getMessage());
                }
            }
            restoreDraw(state.get("epoch_start"));
            if (segments != null) {
                // replay the epoch from its start, each logged decision applied at its batch; no outcomes needed
                replayLog = segments;
                ensureEpoch();
                segmentStream.skipTo(dealStart + (long) position * worldSize);
            } else {
                ensureEpoch();
                JsonNode at = state.get("stream_position");
                if (at != null && savedWorld == worldSize && epochStream instanceof Positioned p && dealStart == 0) {
                    // O(1): the saved place of the shuffle, the batcher and the stages
                    long known = epochPlan.batchesPerEpoch();
                    if (known >= 0 && position > known) {
                        throw new IllegalStateException("the state's position " + position + " is past the epoch's "
                                + known + " batches");
                    }
                    p.seek(at);
                } else {
                    skipTo(position, savedWorld != worldSize);
                }
            }
        }
        restoreDraw(cur);
        restoreRole(weighting, cur.get("weighting"));
        if (mask != null) {
            restoreRole(mask, cur.get("mask"));
        }
        for (int i = 0; i < observers.size(); i++) {
            restoreRole(observers.get(i), obs.get(i));
        }
        shared.forEach((k, c) -> {
            if (!isDrawComponent(c)) {
                ((Stateful) c).restoreState(cur.get("components").get(k));
            }
        });
        unmerged = false;
    }

    /** Restores a role's own component; a shared one is restored once, from {@code components}. */
    private void restoreRole(Stateful c, JsonNode state) {
        if (!sharedKey.containsKey(c)) {
            c.restoreState(state);
        }
    }

    /**
     * The state's {@code segments}: a list of {@code {"start", "component", "decision"}} entries of
     * this pipeline's segmented components, starting in the saved epoch; empty before the epoch began.
     */
    private Deque<JsonNode> segmentLog(JsonNode state, boolean hasStart, long epochStart) {
        JsonNode log = state.get("segments");
        if (log == null || !log.isArray()) {
            throw new IllegalStateException("'segments' must be a list of the epoch's segment decisions; "
                    + (log == null ? "it is missing" : "got " + log));
        }
        Set<String> keys = new java.util.HashSet<>();
        segmented.forEach(p -> keys.add(p.key()));
        Deque<JsonNode> out = new ArrayDeque<>();
        for (JsonNode e : log) {
            JsonNode start = e.get("start");
            if (!e.isObject() || start == null || !start.isIntegralNumber() || start.longValue() < epochStart
                    || !keys.contains(e.path("component").asText()) || !e.has("decision")) {
                throw new IllegalStateException("'segments' entry " + e + " is not a segment decision of this "
                        + "pipeline; expected {\"start\": a batch >= " + epochStart + ", \"component\": one of " + keys
                        + ", \"decision\": ...}");
            }
            out.add(e);
        }
        if (!hasStart && !out.isEmpty()) {
            throw new IllegalStateException("'segments' holds " + out.size() + " decisions but 'epoch_start' is "
                    + "missing; expected the draw components' states at the start of the epoch");
        }
        return out;
    }

    /** A whole number in [0, max] under {@code key}, or an exception naming it. */
    private static long count(JsonNode state, String key, long max) {
        JsonNode n = state.get(key);
        if (n == null || n.isNull()) {
            throw new IllegalStateException("missing '" + key + "'; expected a whole number >= 0");
        }
        if (!n.isIntegralNumber() || !n.canConvertToLong() || n.longValue() < 0 || n.longValue() > max) {
            throw new IllegalStateException("'" + key + "' must be a whole number >= 0, got " + n);
        }
        return n.longValue();
    }

    /** The sampler, stages and batcher entries of a saved draw state are there. */
    private void checkDrawState(JsonNode s, String key) {
        if (s == null || !s.isObject()) {
            throw new IllegalStateException("missing '" + key + "'; expected the components' states as a map");
        }
        if (!s.has("sampler") || !s.has("batcher")) {
            throw new IllegalStateException("'" + key + "' must hold 'sampler' and 'batcher' states");
        }
        JsonNode st = s.get("stages");
        if (st == null || !st.isArray() || st.size() != stages.size()) {
            throw new IllegalStateException("'" + key + ".stages' must be a list of " + stages.size()
                    + " states, one per stage; " + (st == null ? "it is missing" : "got " + st));
        }
        for (var e : shared.entrySet()) {
            if ((key.equals("current") || isDrawComponent(e.getValue())) && !s.path("components").has(e.getKey())) {
                throw new IllegalStateException("'" + key + ".components' must hold the state of shared component '"
                        + e.getKey() + "'; " + (s.has("components") ? "got " + s.get("components").size()
                        + " other(s)" : "it is missing"));
            }
        }
    }

    private void restoreDraw(JsonNode s) {
        restoreRole(sampler, s.get("sampler"));
        for (int i = 0; i < stages.size(); i++) {
            restoreRole(stages.get(i), s.get("stages").get(i));
        }
        restoreRole(batcher, s.get("batcher"));
        shared.forEach((k, c) -> {
            if (isDrawComponent(c)) {
                ((Stateful) c).restoreState(s.get("components").get(k));
            }
        });
    }

    /**
     * What the batches depend on: the config less its corpus path and the trainer's {@code model}
     * and {@code train} sections (which no component reads, so that a run can be extended by
     * raising {@code train.epochs}), and the corpus's utterance ids. A saved state's
     * {@code fingerprint}: a tool that reads a run's state with a corpus (as {@code sampler
     * datamap} does) can check that it is the run's.
     */
    public static String fingerprint(RunConfig config, Corpus corpus) {
        try {
            MessageDigest md = MessageDigest.getInstance("SHA-256");
            RunConfig drawing = new RunConfig(null, config.seed(), config.sampler(), config.stages(), config.batch(),
                    config.dropLast(), config.weighting(), config.mask(), config.observers(), null, null,
                    config.baseDir(), config.origin(), config.components());
            md.update(drawing.toYaml().getBytes(StandardCharsets.UTF_8));
            for (var u : corpus.utterances()) {
                md.update(u.id().getBytes(StandardCharsets.UTF_8));
                md.update((byte) 0);
            }
            return HexFormat.of().formatHex(md.digest(), 0, 12);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
