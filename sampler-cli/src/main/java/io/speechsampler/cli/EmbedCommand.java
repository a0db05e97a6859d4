package io.speechsampler.cli;

import io.speechsampler.run.Evaluation;
import io.speechsampler.api.io.AtomicFiles;
import io.speechsampler.api.io.KaldiVectors;
import io.speechsampler.api.corpus.Corpus;
import io.speechsampler.api.corpus.CorpusReader;
import io.speechsampler.api.corpus.Utterance;
import io.speechsampler.djl.run.TrainedModel;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code sampler embed}: one x-vector per utterance, as a Kaldi text archive
 * ({@code utt-id  [ v1 v2 ... ]} a line), which Kaldi's {@code copy-vector}, kaldiio's
 * {@code load_ark} and {@code sampler mine --embeddings} read.
 */
@Command(name = "embed", header = "Writes one x-vector per utterance as a Kaldi text archive.", mixinStandardHelpOptions = true,
        description = {"Writes one x-vector (segment 6) per utterance of --data as a Kaldi text archive:",
                "'<utterance-id>  [ v1 v2 ... vD ]' one line each, in corpus order."})
final class EmbedCommand implements Callable<Integer> {

    @Option(names = "--checkpoint", required = true, description = "x-vector run folder or checkpoint")
    Path checkpoint;

    @Option(names = "--data", required = true, description = "corpus to embed")
    Path data;

    @Option(names = "--out", required = true, description = "output file (Kaldi text ark)")
    Path out;

    @Override
    public Integer call() {
        AtomicFiles.checkTarget(out);
        try (TrainedModel tm = TrainedModel.load(checkpoint)) {
            Corpus corpus = CorpusReader.read(data);
            List<float[]> emb = Evaluation.embeddings(tm, corpus);
            AtomicFiles.writeString(out, KaldiVectors.format(corpus.utterances().stream().map(Utterance::id).toList(),
                    emb));
            System.err.printf("embed: %d embeddings of dimension %d written to %s%n", emb.size(),
                    emb.isEmpty() ? 0 : emb.get(0).length, out);
        }
        return 0;
    }
}
