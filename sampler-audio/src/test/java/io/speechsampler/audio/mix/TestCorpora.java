package io.speechsampler.audio.mix;

import io.speechsampler.api.corpus.Corpus;
import io.speechsampler.api.corpus.Utterance;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** In-memory corpora for sampling tests: sampling never reads audio, so the paths need not exist. */
final class TestCorpora {

    private TestCorpora() {
    }

    /**
     * Speakers {@code s0, s1, ...} with the given utterance counts; utterance lengths vary from
     * 500 to 4499 samples at 1000 Hz, so 2-second segments crop some and pad others.
     */
    static Corpus uneven(int... counts) {
        List<Utterance> us = new ArrayList<>();
        int k = 0;
        for (int s = 0; s < counts.length; s++) {
            for (int i = 0; i < counts[s]; i++) {
                long n = 500 + (k * 7919L) % 4000;
                us.add(new Utterance("s" + s + "-u" + i, "s" + s, Path.of("/nowhere/s" + s + "-" + i + ".wav"), 0, n,
                        1000, List.of()));
                k++;
            }
        }
        return Corpus.of(Path.of("/nowhere/corpus"), us);
    }
}
