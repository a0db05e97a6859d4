package io.speechsampler.core.pipeline;

import io.speechsampler.api.corpus.Corpus;
import io.speechsampler.testkit.TestCorpora;

/**
 * The contract with feedback for a segmented stage ({@code test-drop-hardest} after
 * {@code shuffle}): every 2 global batches it drops utterances of high last loss, so the draws
 * after each boundary depend on the outcomes before it. Not statistical: false-failure rate 0.
 */
class SegmentedStageProperties implements PipelineContract {

    // 30 utterances in batches of 3: about 8 batches an epoch once drops start, 4 segments
    private static final Corpus CORPUS = TestCorpora.synthetic(5, 6, 21);

    @Override
    public String configYaml() {
        return "sampler: shuffle\nstages: [{name: test-repeat-hardest, every: 2, count: 2}]\n"
                + "batch: {name: fixed, size: 3}\n";
    }

    @Override
    public Corpus corpus() {
        return CORPUS;
    }

    @Override
    public boolean isRandom() {
        return true;
    }
}
