package io.speechsampler.api.spi;

import io.speechsampler.api.config.Params;
import io.speechsampler.api.corpus.Corpus;
import java.util.List;

/** Service interface for source samplers (config key sampler): list implementations in {@code META-INF/services/io.speechsampler.api.spi.SourceSamplerProvider}. */
public interface SourceSamplerProvider extends Provider<SourceSampler> {

    /**
     * The corpora beyond the training corpus whose utterances this sampler's draws name as their
     * key (a mixture's target), with their ids as the draws name them: for example the second
     * corpus a curriculum draws {@code real} mixtures from. The pipeline appends them to the
     * training corpus as the run's key corpus ({@link BuildContext#keyCorpus}), read before any
     * component is built, so that a per-sample observer (a datamap) maps their utterances too and
     * the renderer finds their audio. Called with parameters already bound and checked as for
     * {@link #create}. Default: none.
     *
     * @throws io.speechsampler.api.config.ConfigException one line naming the key of a missing or
     *                                                     unreadable corpus
     */
    default List<Corpus> keyCorpora(Params params, BuildContext context) {
        return List.of();
    }
}
