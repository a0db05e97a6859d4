package io.speechsampler.benchmarks;

import io.speechsampler.api.corpus.Corpus;
import io.speechsampler.api.corpus.Utterance;
import io.speechsampler.api.draw.Draw;
import io.speechsampler.api.random.RandomStreams;
import io.speechsampler.api.spi.EpochContext;
import io.speechsampler.api.spi.SegmentContext;
import io.speechsampler.audio.mix.DynamicMixingSampler;
import io.speechsampler.audio.mix.DynamicMixingSettings;
import io.speechsampler.curriculum.mixing.CurriculumSettings;
import io.speechsampler.curriculum.mixing.FactorSchedule;
import io.speechsampler.curriculum.mixing.MultiFactorCurriculumSampler;
import io.speechsampler.curriculum.pacing.PacingFunctions;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import org.apache.commons.rng.UniformRandomProvider;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Issue 12 "Speed": the {@code multi-factor-curriculum} sampler draws at least 50% as fast as plain
 * {@code dynamic-mixing} in the same run. Both draw 2-speaker mixtures of 4 s segments at 16 kHz
 * from one corpus of 1,000 speakers x 20 utterances (in memory, no audio); the curriculum with
 * every factor moving (speakers 2/3/4, SNR, overlap) at progress 0.5, so it draws more partners
 * per mixture on average than dynamic mixing's 2. Each benchmark op is one draw; an epoch's
 * iterator is replaced when it ends.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
@State(Scope.Thread)
public class CurriculumBenchmark {

    private DynamicMixingSampler plain;
    private MultiFactorCurriculumSampler curriculum;
    private Iterator<Draw> plainDraws;
    private Iterator<Draw> curriculumDraws;
    private int plainEpoch;
    private int curriculumEpoch;

    static Corpus corpus() {
        UniformRandomProvider rng = RandomStreams.of(1, "curriculum-benchmark", 0);
        List<Utterance> utts = new ArrayList<>();
        for (int s = 0; s < 1000; s++) {
            String spk = String.format(Locale.ROOT, "spk%04d", s);
            for (int u = 0; u < 20; u++) {
                String id = spk + String.format(Locale.ROOT, "-%02d", u);
                utts.add(new Utterance(id, spk, Path.of("/none", id + ".wav"), 0, 16_000 + rng.nextInt(128_000),
                        16_000, List.of()));
            }
        }
        return Corpus.of(Path.of("benchmark"), utts);
    }

    @Setup
    public void setUp() {
        Corpus c = corpus();
        plain = DynamicMixingSampler.of(c, null, DynamicMixingSettings.defaults());
        CurriculumSettings s = new CurriculumSettings(4.0, 50, new int[] {2, 3, 4},
                FactorSchedule.of(new double[][] {{1, 0, 0}, {0.5, 0.5, 0}, {0.34, 0.33, 0.33}},
                        PacingFunctions.linear(0)),
                FactorSchedule.of(new double[][] {{5, 10}, {-5, 5}}, PacingFunctions.rootP(0.1, 2)),
                FactorSchedule.of(new double[][] {{0.3, 0.6}, {0.8, 1}}, PacingFunctions.linear(0)),
                FactorSchedule.of(new double[][] {{0}}, PacingFunctions.linear(0)), 10, 20);
        curriculum = MultiFactorCurriculumSampler.of(c, null, null, s);
        curriculum.apply(com.fasterxml.jackson.databind.node.JsonNodeFactory.instance.objectNode().put("progress", 0.5),
                new SegmentContext(new EpochContext(1, 0, 0, 1, "sampler"), 0, 0));
        plainDraws = plain.epoch(new EpochContext(1, plainEpoch, 0, 1, "sampler"));
        curriculumDraws = curriculum.epoch(new EpochContext(1, curriculumEpoch, 0, 1, "sampler"));
    }

    @Benchmark
    public Draw dynamicMixingDraw() {
        if (!plainDraws.hasNext()) {
            plainDraws = plain.epoch(new EpochContext(1, ++plainEpoch, 0, 1, "sampler"));
        }
        return plainDraws.next();
    }

    @Benchmark
    public Draw curriculumDraw() {
        if (!curriculumDraws.hasNext()) {
            curriculumDraws = curriculum.epoch(new EpochContext(1, ++curriculumEpoch, 0, 1, "sampler"));
        }
        return curriculumDraws.next();
    }
}
