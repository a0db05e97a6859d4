package io.speechsampler.audio.mix;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.speechsampler.api.config.ConfigException;
import io.speechsampler.api.corpus.Corpus;
import io.speechsampler.api.corpus.CorpusReader;
import io.speechsampler.api.corpus.Utterance;
import io.speechsampler.api.io.AtomicFiles;
import io.speechsampler.api.random.RandomStreams;
import io.speechsampler.audio.synth.ProgressListener;
import io.speechsampler.audio.wav.WavReader;
import io.speechsampler.audio.wav.WavWriter;
import java.io.IOException;
import java.nio.file.Files;
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

    private static final ObjectMapper JSON = new ObjectMapper();

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
        Path wav = out.resolve("wav");
        try {
            Files.createDirectories(wav);
        } catch (IOException e) {
            throw AtomicFiles.failure(wav, e);
        }
        StringBuilder scp = new StringBuilder();
        StringBuilder utt2spk = new StringBuilder();
        StringBuilder manifest = new StringBuilder();
        java.util.Map<String, StringBuilder> spk2utt = new java.util.TreeMap<>();
        int done = 0;
        for (int index : chosen) {
            Utterance u = source.get(index);
            float[] x = WavReader.read(u);
            String rel = "wav/" + u.id() + ".wav";
            WavWriter.write(out.resolve(rel), x, u.sampleRate());
            scp.append(u.id()).append(' ').append(rel).append('\n');
            utt2spk.append(u.id()).append(' ').append(u.speaker()).append('\n');
            spk2utt.computeIfAbsent(u.speaker(), s -> new StringBuilder(s)).append(' ').append(u.id());
            ObjectNode o = JSON.createObjectNode();
            o.put("id", u.id());
            o.put("speaker", u.speaker());
            o.put("path", rel);
            o.put("num_samples", x.length);
            o.put("sample_rate", u.sampleRate());
            u.tags().forEach(o.putArray("tags")::add);
            manifest.append(o).append('\n');
            listener.progress(++done, chosen.length);
        }
        StringBuilder s2u = new StringBuilder();
        spk2utt.values().forEach(line -> s2u.append(line).append('\n'));
        AtomicFiles.writeString(out.resolve("wav.scp"), scp.toString());
        AtomicFiles.writeString(out.resolve("utt2spk"), utt2spk.toString());
        AtomicFiles.writeString(out.resolve("spk2utt"), s2u.toString());
        AtomicFiles.writeString(out.resolve(CorpusReader.MANIFEST), manifest.toString());
        return done;
    }
}
