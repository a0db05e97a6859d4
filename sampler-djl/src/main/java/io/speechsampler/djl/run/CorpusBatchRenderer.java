package io.speechsampler.djl.run;

import io.speechsampler.api.config.ConfigException;
import io.speechsampler.api.corpus.Corpus;
import io.speechsampler.djl.spi.RenderSpec;
import io.speechsampler.api.corpus.Utterance;
import io.speechsampler.api.draw.Draw;
import io.speechsampler.api.draw.ItemDraw;
import io.speechsampler.api.draw.MixtureDraw;
import io.speechsampler.audio.mix.MixtureRenderer;
import io.speechsampler.audio.mix.RenderedMixture;
import io.speechsampler.audio.wav.AudioCache;
import io.speechsampler.djl.train.BatchRenderer;
import io.speechsampler.djl.train.RenderedBatch;
import java.util.List;

/**
 * Renders batches from a corpus's audio: mixture recipes through the audio module's
 * {@link MixtureRenderer} (separation, extraction), item draws as fixed-length crops from the
 * utterance start (classification). Rows shorter than the batch's longest are zero-padded at the
 * end. A pure function of the draws: the same batch renders to the same floats on any thread.
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
        if (spec.kind() == RenderSpec.Kind.ITEMS) {
            int crop = spec.cropSamples();
            float[][] rows = new float[b][];
            for (int i = 0; i < b; i++) {
                if (!(draws.get(i) instanceof ItemDraw item)) {
                    throw new ConfigException("the task trains on utterance draws, got a "
                            + "mixture; use an item sampler such as shuffle or class-balanced");
                }
                rows[i] = fit(cache.get(corpus.require(item.id())), crop);
            }
            return RenderedBatch.waveforms(rows);
        }
        RenderedMixture[] r = new RenderedMixture[b];
        int t = 0;
        for (int i = 0; i < b; i++) {
            if (!(draws.get(i) instanceof MixtureDraw m)) {
                throw new ConfigException("the task trains on mixture recipes, got an "
                        + "utterance draw; use a mixture sampler such as dynamic-mixing");
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

    /** The first {@code n} samples, zero-padded when shorter; always a new array. */
    static float[] fit(float[] x, int n) {
        float[] out = new float[n];
        System.arraycopy(x, 0, out, 0, Math.min(n, x.length));
        return out;
    }
}
