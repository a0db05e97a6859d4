package io.speechsampler.spark;

import io.speechsampler.api.corpus.Utterance;
import io.speechsampler.audio.pitch.PitchStats;
import io.speechsampler.audio.pitch.Yin;
import io.speechsampler.audio.wav.WavReader;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.api.java.JavaSparkContext;

/**
 * YIN's median f0 and voiced fraction of every utterance, on Spark: the utterance list is cut
 * into partitions, each utterance is analysed on its own (exactly as {@code sampler pitch} does,
 * with the same {@link Yin} settings) and the results come back to the driver in corpus order, so
 * that {@link io.speechsampler.audio.pitch.PitchTable#format} writes the same bytes.
 */
final class SparkPitch {

    private SparkPitch() {
    }

    /**
     * The stats of {@code utterances}, in their order, YIN with the default settings but the
     * absolute {@code threshold}.
     */
    static List<PitchStats> stats(JavaSparkContext sc, List<Utterance> utterances, double threshold,
                                  int partitions) {
        List<double[]> pairs = sc.parallelize(UtteranceRef.of(utterances), partitions)
                .map(u -> analyse(u, threshold)).collect();
        List<PitchStats> out = new ArrayList<>(pairs.size());
        for (double[] p : pairs) {
            out.add(new PitchStats(p[0], p[1]));
        }
        return out;
    }

    /** The settings {@code sampler pitch --threshold} uses. */
    static Yin yin(double threshold) {
        Yin.Settings d = Yin.Settings.defaults();
        return Yin.of(new Yin.Settings(d.frameSeconds(), d.hopSeconds(), d.minF0Hz(), d.maxF0Hz(), threshold));
    }

    private static double[] analyse(UtteranceRef ref, double threshold) {
        Utterance u = ref.utterance();
        PitchStats s = yin(threshold).stats(WavReader.read(u), u.sampleRate());
        return new double[] {s.medianF0Hz(), s.voicedFraction()};
    }
}
