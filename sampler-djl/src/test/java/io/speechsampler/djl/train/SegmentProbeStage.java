package io.speechsampler.djl.train;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import io.speechsampler.api.config.ParamSpec;
import io.speechsampler.api.config.Params;
import io.speechsampler.api.draw.Draw;
import io.speechsampler.api.spi.BuildContext;
import io.speechsampler.api.spi.EpochContext;
import io.speechsampler.api.spi.Outcome;
import io.speechsampler.api.spi.OutcomeObserver;
import io.speechsampler.api.spi.SegmentContext;
import io.speechsampler.api.spi.Segmented;
import io.speechsampler.api.spi.Stage;
import io.speechsampler.api.spi.StageProvider;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Set;

/**
 * {@code test-segment-probe}: passes draws through; a segment every {@code every} global batches,
 * whose decision records how many batches' outcomes the stage had observed (tests).
 */
final class SegmentProbeStage implements Stage, OutcomeObserver, Segmented {

    private final int every;
    private final Set<Long> observed = new HashSet<>();
    /** (segment start, batches observed by then) of every decision. */
    final List<long[]> decisions = new ArrayList<>();
    private long epochStart;

    SegmentProbeStage(int every) {
        this.every = every;
    }

    @Override
    public Iterator<Draw> apply(Iterator<Draw> upstream, EpochContext context) {
        epochStart = context.plan().epochStartBatch();
        return upstream;
    }

    @Override
    public boolean oneForOne() {
        return true;
    }

    @Override
    public long nextBoundary(long runBatch) {
        return (runBatch / every + 1) * every;
    }

    @Override
    public JsonNode decide(SegmentContext context) {
        decisions.add(new long[] {context.startBatch(), observed.size()});
        return JsonNodeFactory.instance.numberNode(observed.size());
    }

    @Override
    public void apply(JsonNode decision, SegmentContext context) {
        // the probe changes no draws
    }

    @Override
    public void observe(List<Outcome> outcomes) {
        for (Outcome o : outcomes) {
            observed.add(epochStart + o.globalBatch());
        }
    }

    public static final class Provider implements StageProvider {
        @Override
        public String name() {
            return "test-segment-probe";
        }

        @Override
        public String description() {
            return "records the outcomes each segment decision saw (tests)";
        }

        @Override
        public List<ParamSpec> parameters() {
            return List.of(ParamSpec.integer("every", "global batches per segment").defaultsTo(2));
        }

        @Override
        public Stage create(Params params, BuildContext context) {
            return new SegmentProbeStage(params.getInt("every"));
        }
    }
}
