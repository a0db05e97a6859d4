package io.speechsampler.djl.run;

import io.speechsampler.api.config.ConfigException;
import io.speechsampler.api.corpus.Corpus;
import io.speechsampler.djl.spi.RenderSpec;
import io.speechsampler.api.corpus.Utterance;
import io.speechsampler.api.draw.Crop;
import io.speechsampler.api.draw.Draw;
import io.speechsampler.api.draw.DrawJson;
import io.speechsampler.api.draw.ItemDraw;
import io.speechsampler.api.draw.MixtureDraw;
import io.speechsampler.api.draw.TwoViewDraw;
import io.speechsampler.audio.mix.MixtureRenderer;
import io.speechsampler.audio.mix.RenderedMixture;
import io.speechsampler.audio.wav.AudioCache;
import io.speechsampler.djl.train.BatchRenderer;
import io.speechsampler.djl.train.RenderedBatch;
import java.util.Arrays;
import java.util.List;

/**
 * Renders batches from a corpus's audio: mixture recipes through the audio module's
 * {@link MixtureRenderer} (separation, extraction); item draws (classification) as their crop
 * when they carry one, else as the spec's crop length from the utterance start; two-view draws
 * (contrastive training) as {@code 2B} rows, the first views of all draws then their second views
 * ({@link RenderedBatch#twoViews}). A crop reaching past its utterance's end is zero-padded there.
 * Rows shorter than the batch's longest are zero-padded at the end. A pure function of the draws:
 * the same batch renders to the same floats on any thread.
 */
public final class CorpusBatchRenderer implements BatchRenderer {

    private final Corpus corpus;
    private final RenderSpec spec;
    private final MixtureRenderer mixtures;
    private final AudioCache cache;

    private CorpusBatchRenderer(Corpus corpus, Corpus noise, RenderSpec spec, AudioCache cache) {
        this.corpus = corpus;
        this.spec = spec;
        this.cache = cache;
        this.mixtures = noise == null ? MixtureRenderer.of(corpus, cache) : MixtureRenderer.of(corpus, noise, cache);
    }

    /** A renderer over {@code corpus} (and an optional noise corpus) with a cache of {@code cacheSeconds}. */
    public static CorpusBatchRenderer of(Corpus corpus, Corpus noise, RenderSpec spec, double cacheSeconds) {
        return new CorpusBatchRenderer(corpus, noise, spec, AudioCache.ofSeconds(cacheSeconds, corpus.sampleRate()));
    }

    @Override
    public RenderedBatch render(List<Draw> draws) {
        int b = draws.size();
        if (spec.kind() == RenderSpec.Kind.TWO_VIEWS && !draws.isEmpty() && draws.get(0) instanceof TwoViewDraw) {
            float[][] rows = new float[2 * b][];
            for (int i = 0; i < b; i++) {
                if (!(draws.get(i) instanceof TwoViewDraw two)) {
                    throw new ConfigException("a batch mixes two-view draws with " + DrawJson.toJson(draws.get(i))
                            + "; the task trains on two views of each utterance: use the sampler two-view");
                }
                float[] audio = cache.get(corpus.require(two.id()));
                rows[i] = crop(audio, two.first());
                rows[b + i] = crop(audio, two.second());
            }
            padRows(rows);
            return RenderedBatch.twoViews(Arrays.copyOfRange(rows, 0, b), Arrays.copyOfRange(rows, b, 2 * b));
        }
        if (spec.utterances()) {
            // TWO_VIEWS renders item draws as ITEMS does: for inference (embeddings, the model in the loop)
            float[][] rows = new float[b][];
            for (int i = 0; i < b; i++) {
                if (!(draws.get(i) instanceof ItemDraw item)) {
                    throw new ConfigException(itemsRefused(draws.get(i)));
                }
                float[] audio = cache.get(corpus.require(item.id()));
                rows[i] = item.crop() == null ? fit(audio, spec.cropSamples()) : crop(audio, item.crop());
            }
            return RenderedBatch.waveforms(padRows(rows));
        }
        RenderedMixture[] r = new RenderedMixture[b];
        int t = 0;
        for (int i = 0; i < b; i++) {
            if (!(draws.get(i) instanceof MixtureDraw m)) {
                throw new ConfigException("the task trains on mixture recipes, got an "
                        + "utterance draw " + DrawJson.toJson(draws.get(i)) + "; use a mixture sampler such as "
                        + "dynamic-mixing");
            }
            r[i] = mixtures.render(m);
            t = Math.max(t, r[i].length());
        }
        float[][] mix = new float[b][];
        if (spec.kind() == RenderSpec.Kind.EXTRACTION) {
            int enrolLength = spec.enrolmentSamples();
            float[][] target = new float[b][];
            float[][] enrol = new float[b][];
            for (int i = 0; i < b; i++) {
                MixtureDraw m = (MixtureDraw) draws.get(i);
                if (m.target() < 0 || m.enrolment() == null) {
                    throw new ConfigException("model 'conv-tasnet-tse' needs mixtures with a target and an "
                            + "enrolment utterance; add the stage {name: tse-target}");
                }
                mix[i] = fit(r[i].mixture(), t);
                target[i] = fit(r[i].sources()[m.target()], t);
                Utterance e = corpus.require(m.enrolment());
                enrol[i] = fit(cache.get(e), enrolLength);
            }
            return RenderedBatch.extraction(mix, target, enrol);
        }
        float[][][] sources = new float[b][][];
        for (int i = 0; i < b; i++) {
            if (r[i].sources().length != spec.sources() && spec.referencesOptional()) {
                mix[i] = fit(r[i].mixture(), t);
                continue;
            }
            if (r[i].sources().length != spec.sources()) {
                throw new ConfigException("the task needs mixtures of " + spec.sources() + " sources (model.sources "
                        + "for separation, 2 reference mixtures for mixit) but a mixture has "
                        + r[i].sources().length + " sources; set the sampler's speakers to " + spec.sources());
            }
            mix[i] = fit(r[i].mixture(), t);
            sources[i] = new float[spec.sources()][];
            for (int s = 0; s < spec.sources(); s++) {
                sources[i][s] = fit(r[i].sources()[s], t);
            }
        }
        return RenderedBatch.separation(mix, sources);
    }

    /** Why a draw that is not an item is refused where items are rendered. */
    private String itemsRefused(Draw d) {
        if (spec.kind() == RenderSpec.Kind.TWO_VIEWS) {
            return d instanceof TwoViewDraw ? "a batch mixes item draws with " + DrawJson.toJson(d) + "; the task "
                    + "trains on two views of each utterance: use the sampler two-view"
                    : "the task trains on two views of each utterance, got a mixture; use the sampler two-view";
        }
        return "the task trains on utterance draws, got " + (d instanceof TwoViewDraw
                ? "a two-view draw (for task contrastive)" : "a mixture")
                + "; use an item sampler such as shuffle or class-balanced";
    }

    /** The crop's window of {@code x}, zero-padded past its end; always a new array. */
    static float[] crop(float[] x, Crop c) {
        if (c.length() > Integer.MAX_VALUE || c.offset() > Integer.MAX_VALUE) {
            throw new ConfigException("a crop of " + c.length() + " samples at " + c.offset() + " is too long to render");
        }
        float[] out = new float[(int) c.length()];
        int from = (int) Math.min(c.offset(), x.length);
        System.arraycopy(x, from, out, 0, Math.min(out.length, x.length - from));
        return out;
    }

    /** The rows, those shorter than the longest zero-padded to its length (rows of one length as they are). */
    private static float[][] padRows(float[][] rows) {
        int t = 0;
        for (float[] r : rows) {
            t = Math.max(t, r.length);
        }
        for (int i = 0; i < rows.length; i++) {
            if (rows[i].length != t) {
                rows[i] = fit(rows[i], t);
            }
        }
        return rows;
    }

    /** The first {@code n} samples, zero-padded when shorter; always a new array. */
    static float[] fit(float[] x, int n) {
        float[] out = new float[n];
        System.arraycopy(x, 0, out, 0, Math.min(n, x.length));
        return out;
    }
}
