package io.speechsampler.djl.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.training.dataset.Batch;
import ai.djl.training.dataset.Record;
import io.speechsampler.api.corpus.Corpus;
import io.speechsampler.api.draw.ItemDraw;
import io.speechsampler.api.draw.MixtureDraw;
import io.speechsampler.core.pipeline.Pipeline;
import io.speechsampler.djl.TestSupport;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The DJL adapter in a real RandomAccessDataset on the PyTorch CPU engine, through setSampling. */
class DrawDatasetTest {

    static {
        TestSupport.offline();
    }

    @Test
    void itemDrawsArriveAsDjlBatchesAndEpochsAreCounted() throws Exception {
        Corpus corpus = TestSupport.corpus(5, 4);
        Pipeline reference = TestSupport.pipeline(corpus, "shuffle", 3, 11);
        Pipeline pipeline = TestSupport.pipeline(corpus, "shuffle", 3, 11);
        PipelineSampler sampler = PipelineSampler.of(pipeline);
        DrawDataset dataset = new DrawDataset.Builder().setSampling(sampler)
                .setEncoder((m, d) -> {
                    float idx = corpus.indexOf(((ItemDraw) d).id()).orElseThrow();
                    return new Record(new NDList(m.create(new float[] {idx})), new NDList(m.create(new float[] {0})));
                }).build();
        try (NDManager manager = NDManager.newBaseManager()) {
            for (int epoch = 0; epoch < 2; epoch++) {
                Set<Integer> seen = new HashSet<>();
                int batches = 0;
                for (Batch b : dataset.getData(manager)) {
                    io.speechsampler.api.draw.Batch want = reference.nextInEpoch().orElseThrow();
                    float[] got = b.getData().singletonOrThrow().toFloatArray();
                    assertEquals(want.size(), got.length);
                    for (int i = 0; i < got.length; i++) {
                        assertEquals(corpus.indexOf(((ItemDraw) want.draws().get(i)).id()).orElseThrow(), (int) got[i]);
                        seen.add((int) got[i]);
                    }
                    batches++;
                    b.close();
                }
                reference.finishEpoch();
                assertEquals(6, batches, "20 items in batches of 3, the short last one dropped");
                assertEquals(18, seen.size(), "no item twice in an epoch");
                assertEquals(epoch + 1, sampler.epochsStarted());
                assertEquals(epoch, pipeline.epoch(), "the sampler finishes an epoch when the next one starts");
            }
        }
    }

    @Test
    void mixtureDrawsResolveThroughTickets() throws Exception {
        Corpus corpus = TestSupport.corpus(4, 3);
        Pipeline pipeline = TestSupport.pipeline(corpus, "test-pairs", 2, 5);
        PipelineSampler sampler = PipelineSampler.of(pipeline);
        List<MixtureDraw> resolved = new ArrayList<>();
        DrawDataset dataset = new DrawDataset.Builder().setSampling(sampler)
                .setEncoder((m, d) -> {
                    resolved.add((MixtureDraw) d);
                    return new Record(new NDList(m.create(new float[] {d.utteranceIds().size()})),
                            new NDList(m.create(new float[] {0})));
                }).build();
        try (NDManager manager = NDManager.newBaseManager()) {
            int rows = 0;
            for (Batch b : dataset.getData(manager)) {
                rows += (int) b.getData().singletonOrThrow().getShape().get(0);
                for (long idx : b.getIndices().stream().map(o -> (Long) o).toList()) {
                    assertTrue(idx >= PipelineSampler.TICKET_BASE, "mixtures travel as tickets");
                }
                b.close();
            }
            assertEquals(resolved.size(), rows);
            assertTrue(rows > 0);
        }
    }
}
