package io.speechsampler.api.draw;

import io.speechsampler.api.corpus.Corpus;
import io.speechsampler.api.corpus.Utterance;
import java.util.ArrayList;
import java.util.List;

/**
 * A second corpus that a mixture sampler draws from beside the training corpus (the {@code real}
 * domain of the multi-factor curriculum), with every utterance id and speaker put under the
 * domain's prefix ({@code real:spk003-utt0002}), so that two corpora made alike (two synthetic
 * corpora, two Kaldi dirs with the same naming) never share an id or a speaker. Draws name the
 * prefixed ids; a renderer reads them from the training corpus joined with the prefixed one.
 */
public final class DomainCorpus {

    private DomainCorpus() {
    }

    /** The prefix of a domain's ids: {@code real:}. */
    public static String prefix(String domain) {
        return domain + ":";
    }

    /** {@code corpus} with its ids and speakers under {@link #prefix(String)}; audio, sizes and tags as they are. */
    public static Corpus prefixed(Corpus corpus, String domain) {
        String p = prefix(domain);
        List<Utterance> out = new ArrayList<>(corpus.size());
        for (Utterance u : corpus.utterances()) {
            out.add(new Utterance(p + u.id(), p + u.speaker(), u.path(), u.startSample(), u.numSamples(),
                    u.sampleRate(), u.tags()));
        }
        return Corpus.of(corpus.source(), out);
    }
}
