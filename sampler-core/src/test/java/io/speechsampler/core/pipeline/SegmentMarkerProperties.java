package io.speechsampler.core.pipeline;

import io.speechsampler.api.corpus.Corpus;
import io.speechsampler.testkit.TestCorpora;

/**
 * The contract with feedback for a segmented sampler that ignores outcomes
 * ({@code test-segment-marker}: each draw names the segment applied when it was made), with
 * boundaries inside rounds: a replay that does not apply the logged decisions changes the draws.
 * Not statistical: false-failure rate 0.
 */
class SegmentMarkerProperties implements PipelineContract {

    private static final Corpus CORPUS = TestCorpora.synthetic(3, 4, 8);

    @Override
    public String configYaml() {
        return "sampler: {name: test-segment-marker, draws: 23, every: 3}\nbatch: {name: fixed, size: 2}\n";
    }

    @Override
    public Corpus corpus() {
        return CORPUS;
    }

    @Override
    public boolean isRandom() {
        return false;
    }
}
