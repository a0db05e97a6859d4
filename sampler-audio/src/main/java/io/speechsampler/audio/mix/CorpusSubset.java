package io.speechsampler.audio.mix;

import io.speechsampler.api.config.ConfigException;
import io.speechsampler.api.corpus.Corpus;
import io.speechsampler.api.corpus.Utterance;
import io.speechsampler.api.random.RandomStreams;
import io.speechsampler.audio.synth.ProgressListener;
import io.speechsampler.audio.wav.WavReader;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Objects;
import org.apache.commons.rng.UniformRandomProvider;
import org.apache.commons.rng.sampling.PermutationSampler;

/**
 * A subset of a corpus written as a corpus folder of its own: {@code count} utterances drawn
 * uniformly without replacement (Commons RNG's {@link PermutationSampler} on the seeded stream {@code corpus-subset}),
 * kept in the source's order with their ids, speakers and tags, each copied to {@code wav/ID.wav}
 * (a Kaldi {@code segments} entry becomes its own file), plus {@code wav.scp}, {@code utt2spk},
 * {@code spk2utt} and {@code manifest.jsonl}. A small supervised set beside a large unlabelled one
 * (teacher-student MixIT's fine-tuning data) is made this way. The same arguments give
 * byte-identical files.
 */
public final class CorpusSubset {

    private CorpusSubset() {
    }

    /**
     * The utterance count of a subset given as a count or a fraction of {@code size}: a fraction in
     * (0, 1] rounds to the nearest count, at least 1; a count must be in [1, size].
     *
     * @throws ConfigException naming {@code where} and the key otherwise
     */
    public static int count(int size, Integer utterances, Double fraction, String where, String countKey,
                     String fractionKey) {
        if (utterances != null) {
            if (utterances < 1 || utterances > size) {
                throw new ConfigException(where + countKey + " must be in [1, " + size + "] (the corpus has " + size
                        + " utterances), got " + utterances);
            }
            return utterances;
        }
        if (!(fraction > 0 && fraction <= 1)) {
            throw new ConfigException(where + fractionKey + " must be in (0, 1], got " + fraction);
        }
        return (int) Math.max(1, Math.round(fraction * size));
    }

    /**
     * The indexes of the {@code count} utterances of a corpus of {@code size} kept for
     * {@code seed}, ascending.
     */
    public static int[] choose(int size, int count, long seed) {
        if (count < 1 || count > size) {
            throw new IllegalArgumentException("count is not in [1, " + size + "]: " + count);
        }
        UniformRandomProvider rng = RandomStreams.of(seed, "corpus-subset", 0);
        int[] chosen = new PermutationSampler(rng, size, count).sample();
        Arrays.sort(chosen);
        return chosen;
    }

    /**
     * Writes the subset into {@code out} (created; the caller checks that it is absent or empty).
     *
     * @return the number of utterances written
     */
    public static int write(Corpus source, int count, long seed, Path out, ProgressListener listener) {
        Objects.requireNonNull(source, "source");
        int[] chosen = choose(source.size(), count, seed);
        CorpusFolderWriter folder = new CorpusFolderWriter(out);
        int done = 0;
        for (int index : chosen) {
            Utterance u = source.get(index);
            folder.add(u.id(), u.speaker(), WavReader.read(u), u.sampleRate(), u.tags());
            listener.progress(++done, chosen.length);
        }
        folder.finish();
        return done;
    }
}
