package io.speechsampler.spark;

import io.speechsampler.audio.wav.AudioCache;
import io.speechsampler.api.corpus.Utterance;
import io.speechsampler.djl.run.TrainedModel;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.spark.api.java.JavaSparkContext;

/**
 * One x-vector per utterance on Spark. Each partition embeds its utterances with the model of
 * the checkpoint, which is loaded once per JVM (executor), on its first partition, and kept for
 * the JVM's life ({@link #model}); in {@code local} mode the driver's JVM is the executor and the
 * model the driver loaded to check the checkpoint is reused. Each utterance is embedded on its own,
 * as {@code sampler embed} does ({@code TrainedModel.embed} of the whole utterance), and the
 * vectors come back in corpus order. The checkpoint must be readable at the same path on every
 * executor.
 */
final class SparkEmbed {

    /** The loaded models of this JVM by checkpoint path. */
    private static final Map<String, TrainedModel> MODELS = new ConcurrentHashMap<>();

    private SparkEmbed() {
    }

    /** The model of {@code checkpoint}, loaded on first use in this JVM. */
    static TrainedModel model(String checkpoint) {
        SparkMain.engineSettings();
        return MODELS.computeIfAbsent(checkpoint, c -> TrainedModel.load(Path.of(c)));
    }

    /** The embeddings of {@code utterances}, in their order. */
    static List<float[]> embeddings(JavaSparkContext sc, String checkpoint, List<Utterance> utterances,
                                    int partitions) {
        return sc.parallelize(UtteranceRef.of(utterances), partitions)
                .mapPartitions(refs -> embed(checkpoint, refs)).collect();
    }

    private static Iterator<float[]> embed(String checkpoint, Iterator<UtteranceRef> refs) {
        TrainedModel tm = model(checkpoint);
        SparkMain.taskThreads();
        List<float[]> out = new ArrayList<>();
        AudioCache cache = null;
        while (refs.hasNext()) {
            Utterance u = refs.next().utterance();
            if (cache == null) {
                cache = AudioCache.ofSeconds(60, u.sampleRate());
            }
            float[] wave = cache.get(u);
            // one model per JVM, shared by the executor's task threads: one forward pass at a time
            synchronized (tm) {
                out.add(tm.embed(wave));
            }
        }
        return out.iterator();
    }
}
