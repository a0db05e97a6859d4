package io.speechsampler.dropclass;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.speechsampler.api.draw.Batch;
import io.speechsampler.api.draw.Draw;
import io.speechsampler.api.spi.AllowedClasses;
import io.speechsampler.api.spi.ClassMask;
import io.speechsampler.api.spi.RunRecord;
import io.speechsampler.api.spi.SegmentContext;
import io.speechsampler.api.spi.Segmented;
import java.util.ArrayDeque;
import java.util.BitSet;
import java.util.Deque;
import java.util.List;
import java.util.Objects;

/**
 * A set of dropped classes that is both the sampler's allowed classes ({@link AllowedClasses}: the
 * classes not dropped) and the output layer's {@link ClassMask} (the same classes live), so that
 * the data and the output layer can never disagree (docs/spi2.md, section 4: one object under
 * {@code components}, referred to by the sampler's {@code classes} and by {@code mask: {ref: ...}}).
 *
 * <p>It is {@link Segmented}: its {@link DropSource} declares the boundaries and decides each
 * segment's drop; the decision is small JSON ({@code {"period_start": p, "dropped": [ids]}}) that
 * the pipeline logs and replays on resume, and {@link #apply} takes everything from it. The state
 * is the segment applied last. A pipeline state saved inside an epoch holds the epoch's decisions
 * so far: the dropped ids of every segment (of every batch, in per-batch mode).
 *
 * <p>The mask answers a batch by its global index ({@link #liveClasses(Batch, int)}), so it is the
 * set the batch's draws were drawn under on every rank and at every world size, also when a round
 * of W global batches crosses a boundary (the pipeline applies the boundary's decision when it
 * pulls the round). For that it keeps the last segments applied (2W + 2, at least 4).
 *
 * <p>{@code drops.jsonl} ({@link RunRecord}): one line when a period's first batch has trained,
 * with the dropped class ids and speaker names.
 */
public final class DroppedClasses implements ClassMask, AllowedClasses, Segmented, RunRecord {

    /** The file the run writes the drops to. */
    public static final String DROPS_FILE = "drops.jsonl";

    private static final String FORMAT = "dropped-classes";
    private static final int MIN_KEPT = 4;

    private final List<String> classNames;
    private final int numClasses;
    private final DropSource source;
    /** False: the dropped classes leave the data only, the output layer keeps them live (DropAdapt's onlydata). */
    private final boolean masksOutputs;
    /** The segments applied last, newest first. */
    private final Deque<Segment> recent = new ArrayDeque<>();
    private int keep = MIN_KEPT;

    /** One applied segment: where it starts (run-global), its period and its sets. */
    private record Segment(int epoch, long epochStartBatch, long start, long periodStart, BitSet dropped,
                           BitSet live, int[] droppedIds) {
    }

    private DroppedClasses(List<String> classNames, DropSource source, boolean masksOutputs) {
        this.classNames = List.copyOf(classNames);
        this.numClasses = classNames.size();
        this.source = source;
        this.masksOutputs = masksOutputs;
    }

    /**
     * @param classNames the classes in index order (the corpus's sorted speakers), for {@code drops.jsonl}
     * @param source     the boundaries and the drops
     * @throws IllegalArgumentException when there are fewer than 2 classes or the source may drop
     *                                  all of them
     */
    public static DroppedClasses of(List<String> classNames, DropSource source) {
        return of(classNames, source, true);
    }

    /**
     * As {@link #of(List, DropSource)}; with {@code masksOutputs} false the set restricts the data
     * only and the mask keeps every class live (DropAdapt's {@code onlydata} option).
     */
    public static DroppedClasses of(List<String> classNames, DropSource source, boolean masksOutputs) {
        Objects.requireNonNull(source, "source");
        if (classNames.size() < 2) {
            throw new IllegalArgumentException("number of classes is not at least 2: " + classNames.size());
        }
        if (source.mostDropped() >= classNames.size()) {
            throw new IllegalArgumentException("the source drops up to " + source.mostDropped() + " of "
                    + classNames.size() + " classes; expected fewer");
        }
        return new DroppedClasses(classNames, source, masksOutputs);
    }

    /** The classes dropped now (of the segment applied last), a copy; empty before the first. */
    public BitSet dropped() {
        return recent.isEmpty() ? new BitSet(numClasses) : (BitSet) recent.peekFirst().dropped().clone();
    }

    // ---- Segmented

    @Override
    public long nextBoundary(long runBatch) {
        return source.nextBoundary(runBatch);
    }

    @Override
    public JsonNode decide(SegmentContext context) {
        BitSet now = recent.isEmpty() ? new BitSet(numClasses) : recent.peekFirst().dropped();
        DropSource.Drop d = source.decide(context, now);
        ObjectNode o = JsonNodeFactory.instance.objectNode();
        o.put("period_start", d.periodStart());
        ArrayNode ids = o.putArray("dropped");
        BitSet dropped = d.dropped();
        for (int c = dropped.nextSetBit(0); c >= 0; c = dropped.nextSetBit(c + 1)) {
            ids.add(c);
        }
        return o;
    }

    /**
     * Sets the segment's dropped classes from a decision.
     *
     * @throws IllegalStateException when the decision is not one this set makes: a class id out
     *                               of range or twice, every class dropped, or a period starting
     *                               after the segment
     */
    @Override
    public void apply(JsonNode decision, SegmentContext context) {
        keep = Math.max(MIN_KEPT, 2 * context.epoch().worldSize() + 2);
        push(segment(decision, context.epoch().epoch(), context.epoch().plan().epochStartBatch(),
                context.startBatch()));
    }

    /** The segment a decision makes, checked. */
    private Segment segment(JsonNode decision, int epoch, long epochStartBatch, long start) {
        JsonNode p = decision.get("period_start");
        JsonNode ids = decision.get("dropped");
        if (p == null || !p.isIntegralNumber() || p.longValue() < 0 || p.longValue() > start || ids == null
                || !ids.isArray()) {
            throw new IllegalStateException("drop decision " + decision + " at batch " + start + " is not "
                    + "{\"period_start\": a batch <= " + start + ", \"dropped\": [class ids]}");
        }
        BitSet dropped = new BitSet(numClasses);
        int[] droppedIds = new int[ids.size()];
        int k = 0;
        for (JsonNode id : ids) {
            int c = id.isIntegralNumber() && id.canConvertToInt() ? id.intValue() : -1;
            if (c < 0 || c >= numClasses || dropped.get(c)) {
                throw new IllegalStateException("drop decision at batch " + start + " names class " + id
                        + ", which is " + (c >= 0 && c < numClasses ? "dropped twice" : "not in [0, " + numClasses
                        + ")"));
            }
            dropped.set(c);
            droppedIds[k++] = c;
        }
        if (k >= numClasses) {
            throw new IllegalStateException("drop decision at batch " + start + " drops all " + numClasses
                    + " classes; expected fewer");
        }
        return new Segment(epoch, epochStartBatch, start, p.longValue(), dropped, live(dropped), droppedIds);
    }

    private BitSet live(BitSet dropped) {
        BitSet live = new BitSet(numClasses);
        live.set(0, numClasses);
        live.andNot(dropped);
        return live;
    }

    private void push(Segment s) {
        recent.addFirst(s);
        while (recent.size() > keep) {
            recent.removeLast();
        }
    }

    // ---- AllowedClasses

    @Override
    public BitSet allowedClasses() {
        return current("allowed classes").live();
    }

    @Override
    public int fewestAllowed() {
        return numClasses - source.mostDropped();
    }

    // ---- ClassMask

    /** The live classes of the segment applied last (exact for a one-rank loop, which takes a segment's first batch after the step before it). */
    @Override
    public BitSet liveClasses(int epoch, long step, int numClasses) {
        checkClasses(numClasses);
        return masksOutputs ? (BitSet) current("live classes").live().clone() : live(new BitSet(numClasses));
    }

    /** The live classes of the segment that holds {@code batch} (by its epoch and global index). */
    @Override
    public BitSet liveClasses(Batch batch, int numClasses) {
        checkClasses(numClasses);
        return masksOutputs ? (BitSet) segmentOf(batch).live().clone() : live(new BitSet(numClasses));
    }

    private void checkClasses(int n) {
        if (n != numClasses) {
            throw new IllegalArgumentException("the mask was built for " + numClasses + " classes, asked for " + n);
        }
    }

    private Segment current(String what) {
        Segment s = recent.peekFirst();
        if (s == null) {
            throw new IllegalStateException("drop-class: " + what + " asked for before its first segment was applied "
                    + "(a pipeline applies it before the epoch's first draw)");
        }
        return s;
    }

    private Segment segmentOf(Batch batch) {
        for (Segment s : recent) {
            if (s.epoch() == batch.epoch() && s.start() <= s.epochStartBatch() + batch.globalIndex()) {
                return s;
            }
        }
        throw new IllegalStateException("drop-class holds no segment for batch " + batch.globalIndex() + " of epoch "
                + batch.epoch() + "; it keeps the last " + keep + " segments applied, and that batch is not in them");
    }

    // ---- RunRecord

    @Override
    public String recordFile() {
        return DROPS_FILE;
    }

    /**
     * {@code {"step", "epoch", "batch", "run_batch", "num_dropped", "dropped": [ids], "speakers": [names]}}
     * when {@code trained} is the first batch of a period (run-global {@code run_batch}; {@code batch}
     * is the global index in the epoch as in {@code batches.jsonl}), else null.
     */
    @Override
    public String recordLine(Batch trained) {
        if (trained.draws().stream().anyMatch(Draw::isPadding)) {
            return null;
        }
        Segment s = segmentOf(trained);
        long runBatch = s.epochStartBatch() + trained.globalIndex();
        if (runBatch != s.start() || s.periodStart() != s.start()) {
            return null;
        }
        ObjectNode o = JsonNodeFactory.instance.objectNode();
        o.put("step", trained.step());
        o.put("epoch", trained.epoch());
        o.put("batch", trained.globalIndex());
        o.put("run_batch", runBatch);
        o.put("num_dropped", s.droppedIds().length);
        ArrayNode ids = o.putArray("dropped");
        ArrayNode names = o.putArray("speakers");
        for (int c : s.droppedIds()) {
            ids.add(c);
            names.add(classNames.get(c));
        }
        return o.toString();
    }

    // ---- Stateful

    /** {@code {"format": "dropped-classes", "segment": null | {epoch, epoch_start_batch, start, period_start, dropped}}}. */
    @Override
    public JsonNode saveState() {
        ObjectNode o = JsonNodeFactory.instance.objectNode();
        o.put("format", FORMAT);
        Segment s = recent.peekFirst();
        if (s == null) {
            o.putNull("segment");
            return o;
        }
        ObjectNode seg = o.putObject("segment");
        seg.put("epoch", s.epoch());
        seg.put("epoch_start_batch", s.epochStartBatch());
        seg.put("start", s.start());
        seg.put("period_start", s.periodStart());
        ArrayNode ids = seg.putArray("dropped");
        for (int c : s.droppedIds()) {
            ids.add(c);
        }
        return o;
    }

    /**
     * Restores the segment applied last. A restored pipeline replays its epoch's decisions first,
     * so this is usually the segment the replay applied last; then that segment is kept as it is,
     * set object included (a sampler tells a new segment by the object, and this is none).
     *
     * @throws IllegalStateException for a state this component did not write
     */
    @Override
    public void restoreState(JsonNode state) {
        if (state == null || !FORMAT.equals(state.path("format").asText()) || !state.has("segment")) {
            throw new IllegalStateException("not a " + FORMAT + " state: " + state);
        }
        JsonNode seg = state.get("segment");
        if (seg.isNull()) {
            recent.clear();
            return;
        }
        for (String key : new String[] {"epoch", "epoch_start_batch", "start", "period_start"}) {
            if (!seg.path(key).isIntegralNumber() || seg.get(key).longValue() < 0) {
                throw new IllegalStateException("'" + FORMAT + "' state: 'segment." + key + "' must be a whole number "
                        + ">= 0, got " + seg.get(key));
            }
        }
        long start = seg.get("start").longValue();
        long epochStart = seg.get("epoch_start_batch").longValue();
        if (start < epochStart) {
            throw new IllegalStateException("'" + FORMAT + "' state: segment start " + start + " is before its epoch's "
                    + "start " + epochStart);
        }
        Segment restored = segment(seg, seg.get("epoch").intValue(), epochStart, start);
        Segment replayed = recent.peekFirst();
        if (replayed == null || replayed.epoch() != restored.epoch() || replayed.start() != restored.start()
                || replayed.periodStart() != restored.periodStart() || !replayed.dropped().equals(restored.dropped())) {
            recent.clear();
            push(restored);
        }
    }
}
