package io.speechsampler.benchmarks;

import io.speechsampler.api.corpus.Corpus;
import io.speechsampler.api.corpus.Utterance;
import io.speechsampler.api.draw.MixtureDraw;
import io.speechsampler.api.draw.Source;
import io.speechsampler.api.random.RandomStreams;
import io.speechsampler.audio.metrics.SiSnr;
import io.speechsampler.audio.mix.MixtureRenderer;
import io.speechsampler.audio.mix.RenderedMixture;
import io.speechsampler.audio.pitch.PitchTrack;
import io.speechsampler.audio.pitch.Yin;
import io.speechsampler.audio.synth.Sex;
import io.speechsampler.audio.synth.SourceFilterSynthesizer;
import io.speechsampler.audio.synth.SpeakerProfile;
import io.speechsampler.audio.synth.SynthesizedUtterance;
import io.speechsampler.audio.wav.AudioCache;
import io.speechsampler.audio.wav.WavWriter;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.AuxCounters;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Audio work per wall second, as "x real time": the {@code audioSeconds} counter adds the seconds
 * of audio each invocation produced or analysed, so its score (per second) is seconds of audio per
 * second of wall time. Everything runs on the benchmark thread (pin it with {@code taskset} for a
 * per-core figure). The inputs are 4 s utterances of the built-in source-filter synthesizer.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class AudioBenchmark {

    private static final double SECONDS = 4.0;
    private static final int RATE = 8000;

    /** Seconds of audio handled; its per-second score is the real-time factor. */
    @State(Scope.Thread)
    @AuxCounters(AuxCounters.Type.OPERATIONS)
    public static class Audio {
        public double audioSeconds;

        @Setup(Level.Iteration)
        public void reset() {
            audioSeconds = 0;
        }
    }

    /** A synthesizer and eight speakers (four male, four female). */
    @State(Scope.Thread)
    public static class Synthesis {
        @Param({"8000", "16000"})
        public int sampleRate;

        SourceFilterSynthesizer synth;
        SpeakerProfile[] speakers;
        int numSamples;
        int next;

        @Setup(Level.Trial)
        public void setUp() {
            synth = SourceFilterSynthesizer.of(sampleRate);
            speakers = speakers(8);
            numSamples = (int) (SECONDS * sampleRate);
        }
    }

    /** 16 synthetic 4 s utterances written as WAV, all held in an in-memory AudioCache, and 2-source recipes. */
    @State(Scope.Thread)
    public static class Mixing {
        MixtureRenderer renderer;
        List<MixtureDraw> recipes;
        int next;

        @Setup(Level.Trial)
        public void setUp() throws IOException {
            Path dir = Files.createTempDirectory("audio-bench");
            SourceFilterSynthesizer synth = SourceFilterSynthesizer.of(RATE);
            SpeakerProfile[] speakers = speakers(8);
            int n = (int) (SECONDS * RATE);
            List<Utterance> utts = new ArrayList<>();
            for (int s = 0; s < speakers.length; s++) {
                for (int u = 0; u < 2; u++) {
                    String id = speakers[s].id() + "-" + u;
                    float[] x = synth.synthesize(speakers[s], n, RandomStreams.of(3, "bench/utt/" + id, 0)).samples();
                    Path wav = dir.resolve(id + ".wav");
                    WavWriter.write(wav, x, RATE);
                    utts.add(new Utterance(id, speakers[s].id(), wav, 0, n, RATE, List.of()));
                }
            }
            Corpus corpus = Corpus.of(dir, utts);
            AudioCache cache = AudioCache.of(Long.MAX_VALUE);
            utts.forEach(cache::get);
            renderer = MixtureRenderer.of(corpus, cache);
            recipes = new ArrayList<>();
            for (int i = 0; i < utts.size(); i++) {
                Utterance a = utts.get(i);
                Utterance b = utts.get((i + 3) % utts.size());
                recipes.add(MixtureDraw.of(List.of(Source.of(a.id(), -2.5 + 0.3 * i, 0),
                        Source.of(b.id(), 2.5 - 0.3 * i, 0)), n));
            }
            if (cache.misses() != utts.size()) {
                throw new IllegalStateException("the cache was expected to hold every utterance");
            }
        }
    }

    /** Pairs of 4 s signals: a reference and a noisy estimate of it. */
    @State(Scope.Thread)
    public static class Signals {
        float[][] references;
        float[][] estimates;
        int next;

        @Setup(Level.Trial)
        public void setUp() {
            SourceFilterSynthesizer synth = SourceFilterSynthesizer.of(RATE);
            SpeakerProfile[] speakers = speakers(8);
            int n = (int) (SECONDS * RATE);
            references = new float[speakers.length][];
            estimates = new float[speakers.length][];
            for (int s = 0; s < speakers.length; s++) {
                references[s] = synth.synthesize(speakers[s], n, RandomStreams.of(5, "bench/ref", s)).samples();
                float[] other = synth.synthesize(speakers[(s + 1) % speakers.length], n,
                        RandomStreams.of(5, "bench/interferer", s)).samples();
                estimates[s] = new float[n];
                for (int t = 0; t < n; t++) {
                    estimates[s][t] = references[s][t] + 0.3f * other[t];
                }
            }
        }
    }

    static SpeakerProfile[] speakers(int count) {
        SpeakerProfile[] out = new SpeakerProfile[count];
        for (int i = 0; i < count; i++) {
            out[i] = SpeakerProfile.draw("spk" + i, i % 2 == 0 ? Sex.MALE : Sex.FEMALE,
                    RandomStreams.of(1, "bench/speaker", i));
        }
        return out;
    }

    /** One 4 s utterance from the source-filter synthesizer (speakers in turn, a fresh stream each). */
    @Benchmark
    public SynthesizedUtterance synthesize(Synthesis s, Audio counter, CpuMeter cpu) {
        int k = s.next++;
        SynthesizedUtterance u = s.synth.synthesize(s.speakers[k % s.speakers.length], s.numSamples,
                RandomStreams.of(7, "bench/synth", k));
        counter.audioSeconds += SECONDS;
        cpu.add(SECONDS);
        return u;
    }

    /** One 2-source 4 s mixture at 8 kHz, sources from the in-memory cache, gains applied. */
    @Benchmark
    public RenderedMixture renderMixture(Mixing m, Audio counter, CpuMeter cpu) {
        RenderedMixture r = m.renderer.render(m.recipes.get(m.next++ % m.recipes.size()));
        counter.audioSeconds += SECONDS;
        cpu.add(SECONDS);
        return r;
    }

    /** SI-SNR of a 4 s estimate at 8 kHz against its reference. */
    @Benchmark
    public double siSnr(Signals s, Audio counter, CpuMeter cpu) {
        int k = s.next++ % s.references.length;
        double v = SiSnr.siSnr(s.estimates[k], s.references[k]);
        counter.audioSeconds += SECONDS;
        cpu.add(SECONDS);
        return v;
    }

    /** The YIN pitch track (default settings: 40 ms window, 10 ms hop, 50-500 Hz) of 4 s at 8 kHz. */
    @Benchmark
    public PitchTrack yin(Signals s, Audio counter, CpuMeter cpu) {
        int k = s.next++ % s.references.length;
        PitchTrack t = Yin.withDefaults().track(s.references[k], RATE);
        counter.audioSeconds += SECONDS;
        cpu.add(SECONDS);
        return t;
    }
}
