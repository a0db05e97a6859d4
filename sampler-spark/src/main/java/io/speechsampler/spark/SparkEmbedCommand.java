package io.speechsampler.spark;

import io.speechsampler.api.corpus.Corpus;
import io.speechsampler.api.corpus.CorpusReader;
import io.speechsampler.api.corpus.Utterance;
import io.speechsampler.api.io.AtomicFiles;
import io.speechsampler.api.io.KaldiVectors;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code sampler-spark embed}: {@code sampler embed} as a Spark job (the model loaded once per executor). */
@Command(name = "embed", mixinStandardHelpOptions = true,
        header = "Writes one x-vector per utterance as a Kaldi text archive (Spark).",
        description = {"As 'sampler embed': '<utterance-id>  [ v1 v2 ... vD ]' one line each, in corpus order.",
                "Each executor loads the checkpoint once (it must be readable at the same path there)."})
final class SparkEmbedCommand implements Callable<Integer> {

    @Option(names = "--checkpoint", required = true, description = "x-vector run folder or checkpoint")
    Path checkpoint;

    @Option(names = "--data", required = true, description = "corpus to embed")
    Path data;

    @Option(names = "--out", required = true, description = "output file (Kaldi text ark, written on the driver)")
    Path out;

    @Mixin
    SparkMain.SparkOptions spark;

    @Override
    public Integer call() {
        spark.check();
        AtomicFiles.checkTarget(out);
        String ckpt = checkpoint.toAbsolutePath().toString();
        // on the driver first: a bad checkpoint is one error line before Spark starts (and in local
        // mode the executors reuse this model)
        SparkEmbed.model(ckpt);
        Corpus corpus = CorpusReader.read(data);
        List<Utterance> utterances = corpus.utterances();
        List<float[]> emb = SparkJobs.run(spark.master(), "sampler-spark embed", spark.connectSeconds,
                sc -> SparkEmbed.embeddings(sc, ckpt, utterances,
                        SparkJobs.partitions(sc, spark.partitions, utterances.size())));
        AtomicFiles.writeString(out, KaldiVectors.format(utterances.stream().map(Utterance::id).toList(), emb));
        System.err.printf("embed: %d embeddings of dimension %d written to %s%n", emb.size(),
                emb.isEmpty() ? 0 : emb.get(0).length, out);
        return 0;
    }
}
