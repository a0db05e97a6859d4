package io.speechsampler.audio.mix;

import io.speechsampler.api.corpus.Corpus;
import io.speechsampler.api.draw.Draw;
import io.speechsampler.api.draw.MixtureDraw;
import io.speechsampler.api.spi.EpochContext;
import io.speechsampler.audio.synth.ProgressListener;
import io.speechsampler.audio.wav.AudioCache;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * A corpus of mixture recordings made from a corpus of single-speaker utterances, standing in for
 * a user's pile of recorded mixtures (the unlabelled data of teacher-student MixIT): {@code count}
 * dynamic mixtures of {@code speakers} speakers (the {@code dynamic-mixing} sampler's draws, epoch
 * after epoch, from {@code seed}), each rendered to one WAV file, peak-normalised to 0.9 when it
 * would clip, and written as a corpus folder: {@code wav/}, {@code wav.scp}, {@code utt2spk},
 * {@code spk2utt} and {@code manifest.jsonl}. No references are kept: every recording is its own
 * "speaker" (its id), since nobody knows who speaks in it. The manifest's {@code tags} hold
 * {@code mixture} and {@code speakers=K}.
 */
public final class MixtureCorpus {

    private static final float PEAK = 0.9f;

    private MixtureCorpus() {
    }

    /**
     * Writes the corpus into {@code out}.
     *
     * @return the number of recordings written
     */
    public static int write(Corpus source, DynamicMixingSettings settings, int count, long seed, Path out,
                            ProgressListener listener) {
        Objects.requireNonNull(source, "source");
        if (count < 1) {
            throw new IllegalArgumentException("count is not at least 1: " + count);
        }
        DynamicMixingSampler sampler = DynamicMixingSampler.of(source, null, settings);
        MixtureRenderer renderer = MixtureRenderer.of(source, AudioCache.ofSeconds(600, source.sampleRate()));
        CorpusFolderWriter folder = new CorpusFolderWriter(out);
        String format = "mix%0" + Math.max(5, String.valueOf(count).length()) + "d";
        int written = 0;
        for (int epoch = 0; written < count; epoch++) {
            Iterator<Draw> draws = sampler.epoch(new EpochContext(seed, epoch, 0, 1, "corpus-mix"));
            if (!draws.hasNext()) {
                throw new IllegalStateException("dynamic mixing drew nothing from " + source.source());
            }
            while (written < count && draws.hasNext()) {
                MixtureDraw d = (MixtureDraw) draws.next();
                float[] x = renderer.render(d).mixture();
                float peak = 0;
                for (float v : x) {
                    peak = Math.max(peak, Math.abs(v));
                }
                if (peak > 1) {
                    float scale = PEAK / peak;
                    for (int i = 0; i < x.length; i++) {
                        x[i] *= scale;
                    }
                }
                String id = String.format(Locale.ROOT, format, ++written);
                folder.add(id, id, x, source.sampleRate(), List.of("mixture", "speakers=" + settings.speakers()));
                listener.progress(written, count);
            }
        }
        folder.finish();
        return written;
    }
}
