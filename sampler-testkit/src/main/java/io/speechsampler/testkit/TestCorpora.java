package io.speechsampler.testkit;

import io.speechsampler.api.corpus.Corpus;
import io.speechsampler.api.corpus.Utterance;
import io.speechsampler.api.random.RandomStreams;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.apache.commons.rng.UniformRandomProvider;

/** Small in-memory corpora for sampler tests: fake paths, no audio files. */
public final class TestCorpora {

    /** Sample rate of every synthetic utterance. */
    public static final int SAMPLE_RATE = 16_000;

    /** Shortest synthetic utterance, in seconds. */
    public static final double MIN_SECONDS = 0.5;

    /** Longest synthetic utterance, in seconds. */
    public static final double MAX_SECONDS = 8.0;

    private TestCorpora() {
    }

    /**
     * A corpus of {@code numSpeakers * uttsPerSpeaker} utterances with ids {@code spk003-utt0002},
     * speakers {@code spk003}, paths under {@code /synthetic} (which are never read) and durations
     * uniform in [{@value #MIN_SECONDS}, {@value #MAX_SECONDS}) s, drawn from the stream
     * {@code (seed, "test-corpora", 0)}: one {@code nextDouble} per utterance.
     *
     * @throws IllegalArgumentException when a count is less than 1
     */
    public static Corpus synthetic(int numSpeakers, int uttsPerSpeaker, long seed) {
        if (numSpeakers < 1) {
            throw new IllegalArgumentException("numSpeakers is not at least 1: " + numSpeakers);
        }
        if (uttsPerSpeaker < 1) {
            throw new IllegalArgumentException("uttsPerSpeaker is not at least 1: " + uttsPerSpeaker);
        }
        UniformRandomProvider rng = RandomStreams.of(seed, "test-corpora", 0);
        List<Utterance> out = new ArrayList<>(numSpeakers * uttsPerSpeaker);
        for (int s = 0; s < numSpeakers; s++) {
            String speaker = String.format(Locale.ROOT, "spk%03d", s);
            for (int u = 0; u < uttsPerSpeaker; u++) {
                double seconds = MIN_SECONDS + (MAX_SECONDS - MIN_SECONDS) * rng.nextDouble();
                out.add(utterance(speaker + String.format(Locale.ROOT, "-utt%04d", u), speaker, seconds));
            }
        }
        return Corpus.of(Path.of("synthetic"), out);
    }

    /** One utterance of {@code seconds} (rounded to samples) at {@value #SAMPLE_RATE} Hz, fake path. */
    public static Utterance utterance(String id, String speaker, double seconds) {
        long samples = Math.max(1, Math.round(seconds * SAMPLE_RATE));
        return new Utterance(id, speaker, Path.of("/synthetic", speaker, id + ".wav"), 0, samples, SAMPLE_RATE,
                List.of());
    }

    /** A corpus of the given utterances, named {@code name} in messages. */
    public static Corpus of(String name, List<Utterance> utterances) {
        return Corpus.of(Path.of(name), utterances);
    }
}
