package io.speechsampler.core.samplers;

import io.speechsampler.api.config.ParamSpec;
import io.speechsampler.api.config.Params;
import io.speechsampler.api.corpus.Corpus;
import io.speechsampler.api.draw.Crop;
import org.apache.commons.rng.UniformRandomProvider;

/**
 * Random crops of one length for the item samplers' optional {@code crop_seconds}: the crop of
 * an utterance of {@code n} samples starts at an offset uniform over the whole numbers
 * {@code [0, max(0, n - L)]}, so that it lies inside the utterance whenever the utterance is at
 * least {@code L} long. A crop longer than its utterance starts at 0 and the renderer pads it with
 * zeros; that is allowed for {@code shuffle} (a corpus with a few short utterances still trains)
 * but those crops hold less speech; {@code two-view} and {@code class-balanced} refuse it
 * ({@link #checkWithinShortest}). Each crop is one bounded {@code nextLong(max(0, n - L) + 1)} on the stream it is
 * given, also when the bound is 1, so the stream advances the same way whatever the lengths.
 */
public final class UniformCrops {

    /** The parameter's name. */
    public static final String PARAM = "crop_seconds";

    private final long length;
    private final long[] samples;

    private UniformCrops(long length, long[] samples) {
        this.length = length;
        this.samples = samples;
    }

    /** The optional parameter of the samplers that crop on request. */
    public static ParamSpec optionalParam() {
        return ParamSpec.real(PARAM, "crop length in seconds, > 0: each draw gets a window at an offset uniform in [0, "
                + "max(0, utterance length - crop)] (zero-padded past a shorter utterance's end); unset: whole "
                + "utterances, the model takes its own crop from the start").min(0).max(3600).defaultsTo(null);
    }

    /** The optional parameter of the samplers that crop on request inside every utterance ({@link #checkWithinShortest}). */
    public static ParamSpec optionalInsideParam() {
        return ParamSpec.real(PARAM, "crop length in seconds, > 0, at most the corpus's shortest utterance: each draw "
                + "gets a window at an offset uniform in [0, utterance length - crop]; unset: whole utterances, the "
                + "model takes its own crop from the start").min(0).max(3600).defaultsTo(null);
    }

    /**
     * Crops of {@code seconds} over {@code corpus}.
     *
     * @throws IllegalArgumentException when the crop is not at least one sample
     */
    public static UniformCrops of(Corpus corpus, double seconds) {
        long length = Math.round(seconds * corpus.sampleRate());
        if (!(seconds > 0) || length < 1) {
            throw new IllegalArgumentException("crop is not at least one sample: " + seconds + " s at "
                    + corpus.sampleRate() + " Hz");
        }
        long[] n = new long[corpus.size()];
        for (int i = 0; i < n.length; i++) {
            n[i] = corpus.get(i).numSamples();
        }
        return new UniformCrops(length, n);
    }

    /**
     * The crops {@code params} ask for with {@link #PARAM}, or null when it is unset.
     *
     * @throws io.speechsampler.api.config.ConfigException naming the key when the crop is not
     *                                                     positive (or under one sample)
     */
    public static UniformCrops fromParams(Params params, Corpus corpus) {
        if (!params.has(PARAM)) {
            return null;
        }
        double s = params.getDouble(PARAM);
        if (!(s > 0) || Math.round(s * corpus.sampleRate()) < 1) {
            throw params.error(PARAM, "'" + params.pathOf(PARAM) + "' must be a positive crop of at least one sample "
                    + "(1 / " + corpus.sampleRate() + " s), got " + s);
        }
        return of(corpus, s);
    }

    /**
     * Refuses a crop ({@link #PARAM}, when set) longer than the corpus's shortest utterance: the
     * rule of the samplers whose crops must hold speech only ({@code two-view}, {@code class-balanced}:
     * loss-gated learning's views and pseudo-label crops), checked before anything trains.
     *
     * @throws io.speechsampler.api.config.ConfigException naming the key, the crop, the shortest
     *                                                     utterance (id and length) and the rule
     */
    public static void checkWithinShortest(Params params, Corpus corpus, String sampler) {
        if (!params.has(PARAM)) {
            return;
        }
        double s = params.getDouble(PARAM);
        long length = Math.round(s * corpus.sampleRate());
        String tooLong = s > 0 && length >= 1 ? corpus.cropTooLong(length) : null; // fromParams names a crop <= 0
        if (tooLong != null) {
            throw params.error(PARAM, "'" + params.pathOf(PARAM) + "' " + s + " s is " + tooLong + ": sampler '"
                    + sampler + "' takes every crop inside its utterance (no zero padding)");
        }
    }

    /** Crop length in samples. */
    public long length() {
        return length;
    }

    /** A crop of corpus utterance {@code index}, one bounded draw of {@code rng}. */
    public Crop next(int index, UniformRandomProvider rng) {
        long room = Math.max(0, samples[index] - length);
        return new Crop(rng.nextLong(room + 1), length);
    }
}
