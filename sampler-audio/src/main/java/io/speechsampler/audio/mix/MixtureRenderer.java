package io.speechsampler.audio.mix;

import io.speechsampler.api.corpus.Corpus;
import io.speechsampler.api.corpus.CorpusException;
import io.speechsampler.api.corpus.Utterance;
import io.speechsampler.api.draw.MixtureDraw;
import io.speechsampler.api.draw.Noise;
import io.speechsampler.api.draw.Source;
import io.speechsampler.audio.wav.AudioCache;
import java.util.List;
import java.util.Objects;

/**
 * Renders mixture recipes to audio; the result is a function of the recipe and the corpus audio
 * alone, bit for bit (gains use {@link StrictMath}, sums run in recipe order).
 *
 * <p>Source {@code i} with gain {@code g} dB, offset {@code o} and delay {@code d} puts
 * {@code 10^(g/20) * x[o + t - d]} at mixture sample {@code t} for {@code d <= t < d + (n - o)},
 * where {@code x} is the utterance's {@code n} samples, and zero elsewhere. The mixture length is
 * the recipe's {@code length}, or, when that is 0, the end of the latest source
 * ({@code max(d + n - o)}); longer sources are cut there, shorter ones padded with zeros.
 *
 * <p>A draw whose {@link io.speechsampler.api.draw.MixtureFactors factors} state SNRs is rendered
 * by energy instead, so that its difficulty is what the recipe says for any corpus, normalised or
 * not: the target is placed with its gain as above, and each interferer {@code j}, placed with
 * unit gain, is scaled so that the energy of the rendered target over the rendered interferer's
 * (both as they appear in the mixture: cropped, delayed, cut to its length) is its stated
 * {@code snr_db}; the interferer's {@code gain_db} is not used. When either is silent inside the
 * mixture there is no level that gives the SNR, and the interferer keeps its {@code gain_db}.
 *
 * <p>Noise is read from its offset, wrapping to the noise utterance's start when it is shorter
 * than the rest of the mixture, and scaled so that the energy of the speech mixture (the sum of
 * the sources) over the noise's is {@code snr_db}. When either is silent the noise is silent
 * (there is no level that would give the SNR).
 *
 * <p>A draw tagged {@code mixtures=K1+K2} ({@link #referencesTag}; the dynamic variant of the
 * {@code mixture-of-mixtures} sampler) is a mixture of two mixtures: its first {@code K1} sources
 * are the first reference mixture and the other {@code K2} the second, so it renders with two
 * "sources", each the sum of its group's rendered sources in recipe order (MixIT's references).
 *
 * <p>Thread-safe: it holds no mutable state of its own, and {@link AudioCache} is thread-safe, so
 * a background thread may render while another draws.
 */
public final class MixtureRenderer {

    private final Corpus corpus;
    private final Corpus noiseCorpus;
    private final AudioCache cache;

    private MixtureRenderer(Corpus corpus, Corpus noiseCorpus, AudioCache cache) {
        this.corpus = corpus;
        this.noiseCorpus = noiseCorpus;
        this.cache = cache;
    }

    /** A renderer whose sources and noise are utterances of {@code corpus}. */
    public static MixtureRenderer of(Corpus corpus, AudioCache cache) {
        return of(corpus, corpus, cache);
    }

    /** A renderer whose sources come from {@code corpus} and noise from {@code noiseCorpus}. */
    public static MixtureRenderer of(Corpus corpus, Corpus noiseCorpus, AudioCache cache) {
        Objects.requireNonNull(corpus, "corpus");
        Objects.requireNonNull(noiseCorpus, "noiseCorpus");
        Objects.requireNonNull(cache, "cache");
        if (noiseCorpus.size() > 0 && corpus.size() > 0 && noiseCorpus.sampleRate() != corpus.sampleRate()) {
            throw new CorpusException(noiseCorpus.source() + ": noise corpus is at " + noiseCorpus.sampleRate()
                    + " Hz; expected the speech corpus's " + corpus.sampleRate() + " Hz");
        }
        return new MixtureRenderer(corpus, noiseCorpus, cache);
    }

    /**
     * Renders {@code draw}.
     *
     * @throws CorpusException naming the utterance when an id is not in its corpus, an offset is
     *                         not inside its utterance, or the audio cannot be read
     */
    public RenderedMixture render(MixtureDraw draw) {
        List<Source> recipe = draw.sources();
        int k = recipe.size();
        float[][] audio = new float[k][];
        long natural = 0;
        for (int i = 0; i < k; i++) {
            Source s = recipe.get(i);
            audio[i] = cache.get(corpus.require(s.id()));
            if (s.offset() >= audio[i].length) {
                throw new CorpusException(corpus.source() + ": source '" + s.id() + "' has offset " + s.offset()
                        + "; expected an offset below its " + audio[i].length + " samples");
            }
            natural = Math.max(natural, s.delay() + audio[i].length - s.offset());
        }
        long length = draw.length() > 0 ? draw.length() : natural;
        if (length > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("mixture length is more than " + Integer.MAX_VALUE + " samples: "
                    + length);
        }
        int n = (int) length;
        float[][] sources = new float[k][n];
        double[] gains = draw.factors() != null && draw.factors().statesSnr() ? snrGains(draw, audio, n) : null;
        for (int i = 0; i < k; i++) {
            Source s = recipe.get(i);
            double gain = gains == null ? StrictMath.pow(10, s.gainDb() / 20) : gains[i];
            float[] x = audio[i];
            float[] out = sources[i];
            long shift = s.offset() - s.delay();
            long end = Math.min(n, s.delay() + x.length - s.offset());
            for (long t = Math.min(s.delay(), n); t < end; t++) {
                out[(int) t] = (float) (gain * x[(int) (t + shift)]);
            }
        }
        float[] mixture = new float[n];
        for (float[] s : sources) {
            for (int t = 0; t < n; t++) {
                mixture[t] += s[t];
            }
        }
        float[] noise = draw.noise() == null ? null : noise(draw.noise(), mixture);
        if (noise != null) {
            for (int t = 0; t < n; t++) {
                mixture[t] += noise[t];
            }
        }
        if (draw.tags().contains(PEAK_NORMALISE_TAG)) {
            peakNormalise(mixture, sources, noise);
        }
        int first = firstReferenceSize(draw);
        return new RenderedMixture(mixture, first == 0 ? sources : referenceMixtures(sources, first), noise);
    }

    /**
     * The linear gain of every source of a draw that states SNRs: the target's from its
     * {@code gain_db}, each interferer's from the energies of the target (with its gain) and of the
     * interferer (unit gain) inside the mixture's {@code n} samples.
     */
    private static double[] snrGains(MixtureDraw draw, float[][] audio, int n) {
        List<Source> recipe = draw.sources();
        int target = draw.target();
        double[] gains = new double[recipe.size()];
        gains[target] = StrictMath.pow(10, recipe.get(target).gainDb() / 20);
        double targetEnergy = gains[target] * gains[target] * placedEnergy(recipe.get(target), audio[target], n);
        for (int i = 0; i < recipe.size(); i++) {
            if (i == target) {
                continue;
            }
            double e = placedEnergy(recipe.get(i), audio[i], n);
            gains[i] = e == 0 || targetEnergy == 0 ? StrictMath.pow(10, recipe.get(i).gainDb() / 20)
                    : Math.sqrt(targetEnergy / (e * StrictMath.pow(10, draw.interfererSnrDb(i) / 10)));
        }
        return gains;
    }

    /** The energy of {@code x} placed at unit gain as source {@code s} in a mixture of {@code n} samples. */
    private static double placedEnergy(Source s, float[] x, int n) {
        long shift = s.offset() - s.delay();
        long end = Math.min(n, s.delay() + x.length - s.offset());
        double e = 0;
        for (long t = Math.min(s.delay(), n); t < end; t++) {
            double v = x[(int) (t + shift)];
            e += v * v;
        }
        return e;
    }

    /** A draw tagged so is scaled, sources and noise alike, to a peak of 0.9 when its sum would clip (MixIT's data). */
    public static final String PEAK_NORMALISE_TAG = "peak-normalise";

    /** The prefix of the tag that splits a draw's sources into two reference mixtures. */
    public static final String REFERENCES_TAG_PREFIX = "mixtures=";

    /**
     * The tag of a mixture of two mixtures whose first reference mixture is the draw's first
     * {@code first} sources and the second the next {@code second}.
     */
    public static String referencesTag(int first, int second) {
        if (first < 1 || second < 1) {
            throw new IllegalArgumentException("a reference mixture needs at least one source: " + first + "+" + second);
        }
        return REFERENCES_TAG_PREFIX + first + "+" + second;
    }

    /**
     * The size of the first reference mixture a draw's {@code mixtures=K1+K2} tag states, or 0
     * without such a tag.
     *
     * @throws IllegalArgumentException when the tag is malformed or its sizes do not add up to the
     *                                  draw's sources
     */
    static int firstReferenceSize(MixtureDraw draw) {
        for (String tag : draw.tags()) {
            if (!tag.startsWith(REFERENCES_TAG_PREFIX)) {
                continue;
            }
            String[] parts = tag.substring(REFERENCES_TAG_PREFIX.length()).split("\\+", -1);
            int first;
            int second;
            try {
                first = parts.length == 2 ? Integer.parseInt(parts[0]) : -1;
                second = parts.length == 2 ? Integer.parseInt(parts[1]) : -1;
            } catch (NumberFormatException e) {
                first = -1;
                second = -1;
            }
            if (first < 1 || second < 1 || first + second != draw.sources().size()) {
                throw new IllegalArgumentException("tag '" + tag + "' of a mixture of " + draw.sources().size()
                        + " sources: expected " + REFERENCES_TAG_PREFIX + "K1+K2 with K1, K2 >= 1 and K1 + K2 = "
                        + draw.sources().size());
            }
            return first;
        }
        return 0;
    }

    /** The two reference mixtures: the sums of sources [0, first) and [first, k), in recipe order. */
    private static float[][] referenceMixtures(float[][] sources, int first) {
        int n = sources[0].length;
        float[][] refs = new float[2][n];
        for (int i = 0; i < sources.length; i++) {
            float[] into = refs[i < first ? 0 : 1];
            for (int t = 0; t < n; t++) {
                into[t] += sources[i][t];
            }
        }
        return refs;
    }

    private static void peakNormalise(float[] mixture, float[][] sources, float[] noise) {
        float peak = 0;
        for (float v : mixture) {
            peak = Math.max(peak, Math.abs(v));
        }
        if (peak <= 1) {
            return;
        }
        float scale = 0.9f / peak;
        for (int t = 0; t < mixture.length; t++) {
            mixture[t] *= scale;
        }
        for (float[] src : sources) {
            for (int t = 0; t < src.length; t++) {
                src[t] *= scale;
            }
        }
        if (noise != null) {
            for (int t = 0; t < noise.length; t++) {
                noise[t] *= scale;
            }
        }
    }

    private float[] noise(Noise spec, float[] speech) {
        Utterance u = noiseCorpus.require(spec.id());
        float[] x = cache.get(u);
        if (spec.offset() >= x.length) {
            throw new CorpusException(noiseCorpus.source() + ": noise '" + spec.id() + "' has offset " + spec.offset()
                    + "; expected an offset below its " + x.length + " samples");
        }
        int n = speech.length;
        double[] raw = new double[n];
        int pos = (int) spec.offset();
        double noiseEnergy = 0;
        double speechEnergy = 0;
        for (int t = 0; t < n; t++) {
            raw[t] = x[pos];
            noiseEnergy += raw[t] * raw[t];
            speechEnergy += (double) speech[t] * speech[t];
            pos = pos + 1 == x.length ? 0 : pos + 1;
        }
        float[] out = new float[n];
        if (noiseEnergy == 0 || speechEnergy == 0) {
            return out;
        }
        double gain = Math.sqrt(speechEnergy / (noiseEnergy * StrictMath.pow(10, spec.snrDb() / 10)));
        for (int t = 0; t < n; t++) {
            out[t] = (float) (gain * raw[t]);
        }
        return out;
    }
}
