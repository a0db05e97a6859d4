package io.speechsampler.core.pipeline;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.speechsampler.api.corpus.Corpus;
import io.speechsampler.api.draw.Batch;
import io.speechsampler.api.draw.Draw;
import io.speechsampler.api.draw.ItemDraw;
import io.speechsampler.api.draw.MixtureDraw;
import io.speechsampler.api.draw.Source;
import io.speechsampler.api.spi.EpochContext;
import io.speechsampler.api.spi.Outcome;
import io.speechsampler.api.spi.OutcomeBatch;
import io.speechsampler.api.spi.RunPlan;
import io.speechsampler.testkit.TestCorpora;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** SPI 2, items 1 and 2: outcomes carry their draw, padding reaches no observer or weighting, the run plan reaches the components. */
class PipelineFeedbackTest {

    // 10 utterances, batches of 4: 3 global batches per epoch (the last holds 2)
    private static final Corpus CORPUS = TestCorpora.synthetic(2, 5, 3);
    private static final String YAML = "sampler: shuffle\nbatch: {name: fixed, size: 4}\n"
            + "stages: [{name: test-context-recorder}]\n"
            + "weighting: {name: test-recording-weighting}\nobservers: [{name: test-recording-observer}]\n";

    private static Pipeline pipeline(int rank, int world) {
        return TestPipelines.build(YAML, Path.of("."), CORPUS, 5, rank, world);
    }

    /** Trains one epoch the way the loop does: weigh, then observe every draw's outcome. */
    private static List<double[]> trainEpoch(Pipeline p) {
        return trainEpoch(p, false);
    }

    /** As above; {@code columns}: the outcomes as one {@link OutcomeBatch} per step, as TrainingLoop sends them. */
    private static List<double[]> trainEpoch(Pipeline p, boolean columns) {
        List<double[]> weights = new ArrayList<>();
        Optional<Batch> b;
        while ((b = p.nextInEpoch()).isPresent()) {
            List<Draw> draws = b.get().draws();
            double[] losses = new double[draws.size()];
            Arrays.fill(losses, 1.5);
            weights.add(p.weigh(draws, losses, new double[draws.size()]));
            if (columns) {
                double[] metrics = new double[draws.size()];
                Arrays.fill(metrics, Double.NaN);
                p.observe(OutcomeBatch.of(b.get(), losses, metrics));
                continue;
            }
            List<Outcome> outcomes = new ArrayList<>();
            for (Draw d : draws) {
                outcomes.add(new Outcome(d, b.get().epoch(), b.get().step(), b.get().globalIndex(), 1.5, Double.NaN));
            }
            p.observe(outcomes);
        }
        p.finishEpoch();
        return weights;
    }

    @Test
    void paddingTrainsAtWeightZeroAndReachesNoObserverOrWeighting() {
        // 3 global batches over 2 ranks: rank 1 gets batch 1 and a padding copy of batch 0
        Pipeline p = pipeline(1, 2);
        List<double[]> w = trainEpoch(p);
        assertEquals(2, w.size());
        assertArrayEquals(new double[] {2, 2, 2, 2}, w.get(0));
        assertArrayEquals(new double[] {0, 0, 0, 0}, w.get(1), "a padding batch weighs nothing");
        RecordingProviders.Observer obs = (RecordingProviders.Observer) p.observers().get(0);
        RecordingProviders.Weighting weighting = (RecordingProviders.Weighting) p.weighting();
        assertEquals(4, obs.seen.size(), "only the real batch's outcomes are observed");
        assertTrue(obs.seen.stream().noneMatch(o -> o.draw().isPadding()));
        assertEquals(4, weighting.shown.size(), "the weighting sees the real draws only");
        assertTrue(obs.seen.stream().allMatch(o -> o.globalBatch() == 1));
    }

    @Test
    void outcomeBatchesDeliverWhatListsOfRecordsDeliverAndDropPaddingToo() {
        for (int world = 1; world <= 2; world++) {
            for (int rank = 0; rank < world; rank++) {
                Pipeline records = pipeline(rank, world);
                Pipeline columns = pipeline(rank, world);
                trainEpoch(records, false);
                trainEpoch(columns, true);
                List<Outcome> seen = ((RecordingProviders.Observer) columns.observers().get(0)).seen;
                assertEquals(((RecordingProviders.Observer) records.observers().get(0)).seen, seen,
                        "rank " + rank + " of " + world);
                assertTrue(seen.stream().noneMatch(o -> o.draw().isPadding()));
            }
        }
        OutcomeBatch b = new OutcomeBatch(List.of(ItemDraw.of("a"), ItemDraw.of("b")), 2, 7, 3,
                new double[] {1.5, 2.5}, new double[] {Double.NaN, 4});
        assertEquals(new Outcome(ItemDraw.of("b"), 2, 7, 3, 2.5, 4), b.get(1));
        assertEquals(2.5, b.loss(1));
        assertThrows(IllegalArgumentException.class,
                () -> new OutcomeBatch(List.of(ItemDraw.of("a")), 0, 0, 0, new double[2], new double[1]));
        assertThrows(UnsupportedOperationException.class, () -> b.add(b.get(0)));
    }

    @Test
    void aBatchMixingRealAndPaddingDrawsWeighsOnlyTheRealOnes() {
        Pipeline p = pipeline(0, 1);
        Draw real = ItemDraw.of("spk000-utt0000");
        Draw pad = ItemDraw.of("spk000-utt0001").withTag(Pipeline.PADDING_TAG);
        double[] w = p.weigh(List.of(real, pad, real), new double[] {1, 2, 3}, new double[3]);
        assertArrayEquals(new double[] {2, 0, 2}, w);
        assertEquals(List.of(real, real), ((RecordingProviders.Weighting) p.weighting()).shown);
    }

    @Test
    void everyOutcomeIsKeyedByItsItemOrPivot() {
        Pipeline p = pipeline(0, 1);
        trainEpoch(p);
        RecordingProviders.Observer obs = (RecordingProviders.Observer) p.observers().get(0);
        assertEquals(10, obs.seen.size());
        assertEquals(10, obs.seen.stream().map(Outcome::key).distinct().count(), "each utterance once per epoch");
        MixtureDraw m = MixtureDraw.of(List.of(new Source("a+b", 0, 0, 0), new Source("c", 0, 0, 0)), 0);
        assertEquals("a+b", m.key(), "the first source is the pivot; ids may hold '+'");
        assertEquals("c", m.withTarget(1, "e").key(), "the target source is the pivot");
    }

    @Test
    void theRunPlanReachesTheComponentsAndCountsGlobalBatches() {
        for (int world : new int[] {1, 2, 3}) {
            Pipeline p = pipeline(0, world);
            p.plan(4, 0);
            trainEpoch(p);
            trainEpoch(p);
            List<EpochContext> seen = ((RecordingProviders.ContextStage) p.stages().get(0)).contexts;
            assertEquals(new RunPlan(4, 0, 3), seen.get(0).plan(), "world " + world);
            assertEquals(new RunPlan(4, 3, 3), seen.get(1).plan(), "world " + world);
            assertEquals(12, seen.get(1).plan().plannedBatches());
            assertEquals(0.25, seen.get(1).plan().progress(1, 3), 0);
        }
    }

    @Test
    void theRunPlanSurvivesAResumeInMidEpoch() {
        Pipeline p = pipeline(0, 1);
        p.plan(4, 2);
        trainEpoch(p);
        p.nextInEpoch();
        var state = p.saveState();
        Pipeline q = pipeline(0, 1);
        q.plan(4, 2);
        q.restoreState(state);
        List<EpochContext> seen = ((RecordingProviders.ContextStage) q.stages().get(0)).contexts;
        assertEquals(new RunPlan(4, 3, 2), seen.get(seen.size() - 1).plan(),
                "epoch 1 starts after epoch 0's 3 batches; the trainer caps an epoch at 2");
        assertFalse(seen.isEmpty());
    }
}
