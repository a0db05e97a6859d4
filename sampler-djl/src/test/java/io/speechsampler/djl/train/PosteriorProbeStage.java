package io.speechsampler.djl.train;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.speechsampler.api.config.ParamSpec;
import io.speechsampler.api.config.Params;
import io.speechsampler.api.draw.Draw;
import io.speechsampler.api.draw.ItemDraw;
import io.speechsampler.api.spi.BuildContext;
import io.speechsampler.api.spi.EpochContext;
import io.speechsampler.api.spi.ModelAccess;
import io.speechsampler.api.spi.SegmentContext;
import io.speechsampler.api.spi.Segmented;
import io.speechsampler.api.spi.Stage;
import io.speechsampler.api.spi.StageProvider;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;

/**
 * {@code test-posterior-probe}: passes draws through; every {@code every} global batches it asks
 * the model in the loop for the posteriors of the corpus's first {@code items} utterances and
 * decides the class with the least summed posterior (DropAdapt's rule in miniature); its decisions
 * and what it applied are kept for tests.
 */
final class PosteriorProbeStage implements Stage, Segmented {

    private final int every;
    private final int items;
    private List<Draw> enrolment;
    /** Every decision made (not replayed), and every one applied. */
    final List<JsonNode> decided = new ArrayList<>();
    final List<JsonNode> applied = new ArrayList<>();

    PosteriorProbeStage(int every, int items) {
        this.every = every;
        this.items = items;
    }

    @Override
    public Iterator<Draw> apply(Iterator<Draw> upstream, EpochContext context) {
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
        float[][] p = context.models().apply(null, enrolment, ModelAccess.Output.POSTERIORS);
        double[] sum = new double[p[0].length];
        for (float[] row : p) {
            for (int c = 0; c < row.length; c++) {
                sum[c] += row[c];
            }
        }
        int least = 0;
        for (int c = 1; c < sum.length; c++) {
            if (sum[c] < sum[least]) {
                least = c;
            }
        }
        ObjectNode d = JsonNodeFactory.instance.objectNode();
        d.put("start", context.startBatch());
        d.put("least", least);
        d.put("rows", p.length);
        var s = d.putArray("sum");
        for (double v : sum) {
            s.add(v);
        }
        decided.add(d);
        return d;
    }

    @Override
    public void apply(JsonNode decision, SegmentContext context) {
        applied.add(decision);
    }

    public static final class Provider implements StageProvider {
        @Override
        public String name() {
            return "test-posterior-probe";
        }

        @Override
        public String description() {
            return "asks the model in the loop for posteriors at each boundary (tests)";
        }

        @Override
        public List<ParamSpec> parameters() {
            return List.of(ParamSpec.integer("every", "global batches per segment").defaultsTo(2),
                    ParamSpec.integer("items", "utterances whose posteriors are summed").defaultsTo(6));
        }

        @Override
        public Stage create(Params params, BuildContext context) {
            PosteriorProbeStage s = new PosteriorProbeStage(params.getInt("every"), params.getInt("items"));
            s.enrolment = context.corpus().utterances().stream().limit(params.getInt("items"))
                    .map(u -> (Draw) ItemDraw.of(u.id())).toList();
            return s;
        }
    }
}
