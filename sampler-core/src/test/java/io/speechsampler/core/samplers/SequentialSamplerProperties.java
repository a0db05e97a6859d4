package io.speechsampler.core.samplers;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.speechsampler.api.corpus.Corpus;
import io.speechsampler.api.draw.Batch;
import io.speechsampler.api.draw.Draw;
import io.speechsampler.core.pipeline.PipelineContract;
import io.speechsampler.core.pipeline.TestPipelines;
import io.speechsampler.testkit.TestCorpora;
import java.util.ArrayList;
import java.util.List;
import net.jqwik.api.Example;

/** The sampler contract for {@code sequential}. No statistical assertions: designed false-failure rate 0. */
class SequentialSamplerProperties implements PipelineContract {

    private static final Corpus CORPUS = TestCorpora.synthetic(4, 5, 11);

    @Override
    public String configYaml() {
        return "sampler: sequential\nbatch: {name: fixed, size: 3}\n";
    }

    @Override
    public Corpus corpus() {
        return CORPUS;
    }

    @Override
    public boolean isRandom() {
        return false;
    }

    @Example
    void everyUtteranceOnceInCorpusOrder() {
        List<Batch> batches = TestPipelines.epoch(TestPipelines.build(configYaml(), baseDir(), CORPUS, 5, 0, 1));
        List<String> ids = new ArrayList<>();
        for (Batch b : batches) {
            for (Draw d : b.draws()) {
                ids.addAll(d.utteranceIds());
            }
        }
        assertEquals(CORPUS.utterances().stream().map(u -> u.id()).toList(), ids);
        assertEquals(7, batches.size());
    }
}
