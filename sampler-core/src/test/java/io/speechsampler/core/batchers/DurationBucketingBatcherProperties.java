package io.speechsampler.core.batchers;

import io.speechsampler.api.corpus.Corpus;
import io.speechsampler.api.draw.Batch;
import io.speechsampler.api.draw.Draw;
import io.speechsampler.core.pipeline.Pipeline;
import io.speechsampler.core.pipeline.PipelineContract;
import io.speechsampler.core.pipeline.TestPipelines;
import io.speechsampler.testkit.TestCorpora;
import java.util.ArrayList;
import java.util.List;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;

/**
 * The sampler contract for {@code shuffle} batched by {@code duration-bucketed}, and the batching
 * rules: every draw in exactly one batch, each batch from one bucket and within
 * {@code max_seconds} (or a single longer draw). No statistical assertions: designed
 * false-failure rate 0.
 */
class DurationBucketingBatcherProperties implements PipelineContract {

    private static final Corpus CORPUS = TestCorpora.synthetic(4, 6, 61);

    @Override
    public String configYaml() {
        return "sampler: shuffle\nbatch: {name: duration-bucketed, max_seconds: 20, num_buckets: 4}\n";
    }

    @Override
    public Corpus corpus() {
        return CORPUS;
    }

    @Override
    public boolean isRandom() {
        return true;
    }

    @Property(tries = 30)
    void batchesPartitionTheEpochWithinTheBound(@ForAll long seed, @ForAll @IntRange(min = 1, max = 8) int buckets,
                                                @ForAll @IntRange(min = 2, max = 40) int maxSeconds) {
        Pipeline p = TestPipelines.build("sampler: shuffle\nbatch: {name: duration-bucketed, max_seconds: "
                + maxSeconds + ", num_buckets: " + buckets + "}\n", baseDir(), CORPUS, seed, 0, 1);
        DurationBucketingBatcher batcher = (DurationBucketingBatcher) p.batcher();
        double[] bounds = batcher.boundaries();
        List<String> seen = new ArrayList<>();
        for (Batch b : TestPipelines.epoch(p)) {
            double longest = 0;
            int bucket = -1;
            for (Draw d : b.draws()) {
                double s = batcher.secondsOf(d);
                longest = Math.max(longest, s);
                int db = DurationBucketingBatcher.bucketOf(bounds, s);
                if (bucket >= 0 && db != bucket) {
                    throw new AssertionError("batch mixes buckets " + bucket + " and " + db + ": " + b.draws());
                }
                bucket = db;
                seen.addAll(d.utteranceIds());
            }
            if (b.size() > 1 && b.size() * longest > maxSeconds) {
                throw new AssertionError(b.size() + " draws x " + longest + " s > " + maxSeconds + " s");
            }
        }
        List<String> all = new ArrayList<>(CORPUS.utterances().stream().map(u -> u.id()).toList());
        all.sort(null);
        seen.sort(null);
        if (!all.equals(seen)) {
            throw new AssertionError("the batches do not hold every utterance once");
        }
    }
}
