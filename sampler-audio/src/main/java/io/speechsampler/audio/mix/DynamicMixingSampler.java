package io.speechsampler.audio.mix;

import io.speechsampler.api.corpus.Corpus;
import io.speechsampler.api.corpus.Utterance;
import io.speechsampler.api.draw.Draw;
import io.speechsampler.api.draw.MixtureDraw;
import io.speechsampler.api.draw.Noise;
import io.speechsampler.api.draw.Source;
import io.speechsampler.api.spi.EpochContext;
import io.speechsampler.api.spi.SourceSampler;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.Objects;
import org.apache.commons.rng.UniformRandomProvider;

/**
 * Dynamic mixing with one pivot per utterance: each epoch, every utterance of the corpus is the
 * first source (pivot) of exactly one mixture, in an order shuffled by Fisher-Yates (Durstenfeld
 * 1964, Knuth's Algorithm P) with {@code context.random()}.
 *
 * <p><b>Distribution.</b> Each mixture draws, from {@code context.random("mixtures")}, in this
 * order:
 * <ol>
 * <li>K-1 partners: partner {@code j} is uniform over the utterances whose speaker is not yet in
 *     the mixture (one {@code nextInt} each, mapped past the excluded speakers' utterances, no
 *     rejection), so no speaker appears twice and a speaker's chance is proportional to its
 *     utterance count;</li>
 * <li>K gains, each uniform in [{@code gainLowDb}, {@code gainHighDb}] ({@code nextDouble});</li>
 * <li>with a segment length S &gt; 0: the mixture is S samples long; the pivot starts at 0, the
 *     partners at {@code d = round((1 - overlap) S)} (at most S - 1), so they overlap the pivot over
 *     {@code overlap} of the segment; a source longer than its window {@code W = S - delay} gets a
 *     crop offset uniform in [0, n - W] ({@code nextLong}, drawn only for such sources), a shorter
 *     one starts at 0 and is padded. With S = 0 whole utterances are mixed from offset 0, partners
 *     delayed by {@code round((1 - overlap) n_pivot)}, and the mixture spans the latest end;</li>
 * <li>with a noise corpus: a noise utterance uniform over it ({@code nextInt}), an SNR uniform in
 *     [{@code snrLowDb}, {@code snrHighDb}] ({@code nextDouble}), and a noise offset uniform in
 *     [0, n - L] when the noise is longer than the mixture's L samples ({@code nextLong}).</li>
 * </ol>
 * The draws of an epoch are a function of (seed, epoch, component key) alone, so the sampler is
 * stateless (it keeps {@link io.speechsampler.api.spi.Stateful}'s defaults). The iterator draws
 * lazily; consume one epoch's iterator on one thread.
 */
public final class DynamicMixingSampler implements SourceSampler {

    private final Corpus corpus;
    private final Corpus noise;
    private final DynamicMixingSettings settings;
    private final int[] grouped;
    private final int[] groupStart;
    private final int[] groupCount;
    private final long segmentSamples;

    private DynamicMixingSampler(Corpus corpus, Corpus noise, DynamicMixingSettings settings) {
        this.corpus = corpus;
        this.noise = noise;
        this.settings = settings;
        int speakers = corpus.numSpeakers();
        this.grouped = new int[corpus.size()];
        this.groupStart = new int[speakers];
        this.groupCount = new int[speakers];
        int at = 0;
        for (int s = 0; s < speakers; s++) {
            int[] members = corpus.utterancesOf(s);
            groupStart[s] = at;
            groupCount[s] = members.length;
            System.arraycopy(members, 0, grouped, at, members.length);
            at += members.length;
        }
        this.segmentSamples = Math.round(settings.segmentSeconds() * corpus.sampleRate());
    }

    /**
     * A sampler over {@code corpus}, adding noise from {@code noiseCorpus} when it is not null.
     *
     * @throws IllegalArgumentException when the corpus has fewer speakers than a mixture needs, or
     *                                  the noise corpus is empty or at another sample rate
     */
    public static DynamicMixingSampler of(Corpus corpus, Corpus noiseCorpus, DynamicMixingSettings settings) {
        Objects.requireNonNull(corpus, "corpus");
        Objects.requireNonNull(settings, "settings");
        if (corpus.numSpeakers() < settings.speakers()) {
            throw new IllegalArgumentException("speakers is more than the " + corpus.numSpeakers()
                    + " speakers of corpus " + corpus.source() + ": " + settings.speakers());
        }
        if (noiseCorpus != null) {
            if (noiseCorpus.size() == 0) {
                throw new IllegalArgumentException("noise corpus " + noiseCorpus.source() + " is empty");
            }
            if (noiseCorpus.sampleRate() != corpus.sampleRate()) {
                throw new IllegalArgumentException("noise corpus " + noiseCorpus.source() + " is at "
                        + noiseCorpus.sampleRate() + " Hz; expected the speech corpus's " + corpus.sampleRate()
                        + " Hz");
            }
        }
        return new DynamicMixingSampler(corpus, noiseCorpus, settings);
    }

    public DynamicMixingSettings settings() {
        return settings;
    }

    /** The corpus size: one mixture per utterance. */
    @Override
    public long epochSize() {
        return corpus.size();
    }

    @Override
    public Iterator<Draw> epoch(EpochContext context) {
        UniformRandomProvider rng = context.random("mixtures");
        return ShuffledEpoch.of(corpus.size(), context.random(), "mixtures", pivot -> mixture(pivot, rng));
    }

    private MixtureDraw mixture(int pivot, UniformRandomProvider rng) {
        int k = settings.speakers();
        int[] chosen = new int[k];
        int[] usedSpeakers = new int[k];
        chosen[0] = pivot;
        usedSpeakers[0] = corpus.speakerOf(pivot);
        for (int j = 1; j < k; j++) {
            chosen[j] = partner(rng, usedSpeakers, j);
            usedSpeakers[j] = corpus.speakerOf(chosen[j]);
        }
        double[] gains = new double[k];
        for (int j = 0; j < k; j++) {
            gains[j] = settings.gainLowDb() + (settings.gainHighDb() - settings.gainLowDb()) * rng.nextDouble();
        }
        long pivotLength = corpus.get(pivot).numSamples();
        long length;
        long partnerDelay;
        if (segmentSamples > 0) {
            length = segmentSamples;
            partnerDelay = Math.min(segmentSamples - 1, Math.round((1 - settings.overlap()) * segmentSamples));
        } else {
            partnerDelay = Math.round((1 - settings.overlap()) * pivotLength);
            length = 0;
        }
        List<Source> sources = new ArrayList<>(k);
        long natural = 0;
        for (int j = 0; j < k; j++) {
            Utterance u = corpus.get(chosen[j]);
            long delay = j == 0 ? 0 : partnerDelay;
            long offset = 0;
            if (segmentSamples > 0) {
                long window = segmentSamples - delay;
                if (u.numSamples() > window) {
                    offset = rng.nextLong(u.numSamples() - window + 1);
                }
            }
            natural = Math.max(natural, delay + u.numSamples());
            sources.add(new Source(u.id(), gains[j], offset, delay));
        }
        MixtureDraw draw = MixtureDraw.of(sources, length);
        if (noise == null) {
            return draw;
        }
        Utterance n = noise.get(rng.nextInt(noise.size()));
        double snr = settings.snrLowDb() + (settings.snrHighDb() - settings.snrLowDb()) * rng.nextDouble();
        long span = length > 0 ? length : natural;
        long offset = n.numSamples() > span ? rng.nextLong(n.numSamples() - span + 1) : 0;
        return draw.withNoise(new Noise(n.id(), snr, offset));
    }

    /**
     * An utterance uniform over those whose speaker is not among {@code used[0..count)}: a uniform
     * rank among the allowed utterances, moved past each excluded speaker's block in ascending order.
     */
    private int partner(UniformRandomProvider rng, int[] used, int count) {
        int[] excluded = Arrays.copyOf(used, count);
        Arrays.sort(excluded);
        int allowed = grouped.length;
        for (int s : excluded) {
            allowed -= groupCount[s];
        }
        int r = rng.nextInt(allowed);
        for (int s : excluded) {
            if (r >= groupStart[s]) {
                r += groupCount[s];
            } else {
                break;
            }
        }
        return grouped[r];
    }
}
