package io.speechsampler.djl;

import io.speechsampler.api.config.ParamSpec;
import io.speechsampler.api.config.Params;
import io.speechsampler.api.config.RunConfig;
import io.speechsampler.api.corpus.Corpus;
import io.speechsampler.api.corpus.Utterance;
import io.speechsampler.api.draw.Draw;
import io.speechsampler.api.draw.MixtureDraw;
import io.speechsampler.api.draw.Source;
import io.speechsampler.api.random.RandomStreams;
import io.speechsampler.api.registry.ProviderRegistry;
import io.speechsampler.api.spi.BuildContext;
import io.speechsampler.api.spi.EpochContext;
import io.speechsampler.api.spi.SourceSampler;
import io.speechsampler.api.spi.SourceSamplerProvider;
import io.speechsampler.core.pipeline.Pipeline;
import io.speechsampler.djl.train.BatchRenderer;
import io.speechsampler.djl.train.RenderedBatch;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.commons.rng.UniformRandomProvider;

/** Synthetic corpora, a mixture sampler and renderers for the DJL tests. */
public final class TestSupport {

    public static final int RATE = 8000;

    static {
        System.setProperty("ai.djl.offline", "true");
    }

    private TestSupport() {
    }

    /** Loads before the first DJL class in a test class. */
    public static void offline() {
        System.setProperty("ai.djl.offline", "true");
    }

    /** {@code speakers} speakers with {@code perSpeaker} utterances each, 1 s at 8 kHz (no audio files). */
    public static Corpus corpus(int speakers, int perSpeaker) {
        List<Utterance> u = new ArrayList<>();
        for (int s = 0; s < speakers; s++) {
            for (int i = 0; i < perSpeaker; i++) {
                u.add(new Utterance(String.format("s%02d-u%02d", s, i), String.format("s%02d", s),
                        Path.of("/synthetic/s" + s + "-" + i + ".wav"), 0, RATE, RATE, List.of()));
            }
        }
        return Corpus.of(Path.of("/synthetic"), u);
    }

    public static Pipeline pipeline(Corpus corpus, String sampler, int batch, long seed) {
        String yaml = "seed: " + seed + "\nsampler: {name: " + sampler + "}\nbatch: {name: fixed, size: " + batch
                + ", drop_incomplete: true}\n";
        RunConfig config = RunConfig.parse(yaml, "test.yaml", Path.of("."));
        return Pipeline.build(config, corpus, ProviderRegistry.load(), 0, 1);
    }

    /**
     * An utterance's synthetic audio: even speakers are harmonic tones (f0 110-200 Hz), odd speakers
     * are noise bursts through a high-frequency resonance: two kinds a small separator tells apart.
     */
    public static float[] audio(String id, int length) {
        int speaker = Integer.parseInt(id.substring(1, 3));
        UniformRandomProvider rng = RandomStreams.of(7, id, 0);
        float[] out = new float[length];
        if (speaker % 2 == 0) {
            double f0 = 110 + 10 * speaker + 20 * rng.nextDouble();
            double phase = rng.nextDouble() * 2 * Math.PI;
            for (int t = 0; t < length; t++) {
                double v = 0;
                for (int h = 1; h <= 4; h++) {
                    v += Math.sin(2 * Math.PI * f0 * h * t / RATE + h * phase) / h;
                }
                out[t] = (float) (0.3 * v);
            }
        } else {
            double f = 2000 + 100 * speaker;
            double y1 = 0;
            double y2 = 0;
            double r = 0.97;
            double c = 2 * r * Math.cos(2 * Math.PI * f / RATE);
            for (int t = 0; t < length; t++) {
                double burst = ((t / 400) % 2 == 0) ? 1 : 0.2;
                double y = burst * (rng.nextDouble() - 0.5) + c * y1 - r * r * y2;
                y2 = y1;
                y1 = y;
                out[t] = (float) (0.05 * y);
            }
        }
        return out;
    }

    /** Renders two-source mixture draws by summing the sources' synthetic audio. */
    public static BatchRenderer mixtureRenderer(int length) {
        return draws -> {
            float[][] mix = new float[draws.size()][length];
            float[][][] src = new float[draws.size()][][];
            for (int i = 0; i < draws.size(); i++) {
                MixtureDraw m = (MixtureDraw) draws.get(i);
                src[i] = new float[m.sources().size()][];
                for (int j = 0; j < m.sources().size(); j++) {
                    src[i][j] = audio(m.sources().get(j).id(), length);
                    for (int t = 0; t < length; t++) {
                        mix[i][t] += src[i][j][t];
                    }
                }
            }
            return RenderedBatch.separation(mix, src);
        };
    }

    /**
     * Renders extraction draws (a target and an enrolment, as {@code tse-target} marks them): the
     * sum of the sources' synthetic audio, the target source, and the enrolment utterance's first
     * {@code enrolment} samples.
     */
    public static BatchRenderer extractionRenderer(int length, int enrolment) {
        BatchRenderer mixtures = mixtureRenderer(length);
        return draws -> {
            RenderedBatch r = mixtures.render(draws);
            float[][] target = new float[draws.size()][];
            float[][] enrol = new float[draws.size()][];
            for (int i = 0; i < draws.size(); i++) {
                MixtureDraw m = (MixtureDraw) draws.get(i);
                target[i] = r.sources()[i][m.target()];
                enrol[i] = audio(m.enrolment(), enrolment);
            }
            return RenderedBatch.extraction(r.mixture(), target, enrol);
        };
    }

    /** Renders item draws as crops of their synthetic audio. */
    public static BatchRenderer itemRenderer(int length) {
        return draws -> {
            float[][] crops = new float[draws.size()][];
            for (int i = 0; i < draws.size(); i++) {
                crops[i] = audio(draws.get(i).utteranceIds().get(0), length);
            }
            return RenderedBatch.waveforms(crops);
        };
    }

    /**
     * {@code test-pairs}: each epoch pairs an even speaker's utterance with an odd speaker's,
     * shuffled; with {@code unsized: true} it does not state its epochs' size (as a sampler whose
     * draws depend on outcomes).
     */
    public static final class PairsProvider implements SourceSamplerProvider {
        @Override
        public String name() {
            return "test-pairs";
        }

        @Override
        public String description() {
            return "test only: tone utterance + noise utterance pairs";
        }

        @Override
        public List<ParamSpec> parameters() {
            return List.of(ParamSpec.bool("unsized", "do not state the epoch's size").defaultsTo(false));
        }

        @Override
        public SourceSampler create(Params params, BuildContext context) {
            Corpus corpus = context.corpus();
            boolean unsized = params.getBoolean("unsized");
            return new SourceSampler() {
                @Override
                public long epochSize() {
                    return unsized ? -1 : corpus.utterances().stream()
                            .filter(u -> Integer.parseInt(u.speaker().substring(1)) % 2 == 0).count();
                }

                @Override
                public java.util.Iterator<Draw> epoch(EpochContext ctx) {
                    List<String> even = new ArrayList<>();
                    List<String> odd = new ArrayList<>();
                    for (Utterance u : corpus.utterances()) {
                        (Integer.parseInt(u.speaker().substring(1)) % 2 == 0 ? even : odd).add(u.id());
                    }
                    UniformRandomProvider rng = ctx.random();
                    List<Draw> out = new ArrayList<>();
                    for (String e : even) {
                        String o = odd.get(rng.nextInt(odd.size()));
                        out.add(MixtureDraw.of(List.of(Source.of(e, 0, 0), Source.of(o, 0, 0)), RATE));
                    }
                    return out.iterator();
                }
            };
        }
    }
}
