package io.speechsampler.cli;

import io.speechsampler.api.corpus.Corpus;
import io.speechsampler.api.corpus.CorpusReader;
import io.speechsampler.api.io.AtomicFiles;
import io.speechsampler.audio.mix.CorpusSubset;
import io.speechsampler.run.Progress;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import me.tongfei.progressbar.ProgressBar;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code sampler corpus subset}: a seeded random subset of a corpus, as a corpus folder of its own. */
@Command(name = "subset", mixinStandardHelpOptions = true,
        header = "Writes a seeded random subset of a corpus's utterances as a corpus of its own.",
        description = {"Draws --utterances N (or --fraction F of them, rounded, at least 1) of --data's utterances",
                "uniformly without replacement and writes them to --out: wav/, wav.scp, utt2spk, spk2utt and",
                "manifest.jsonl, with their ids, speakers and tags (a small supervised set beside a large",
                "unlabelled one: teacher-student MixIT's fine-tuning data). The same options give",
                "byte-identical files."})
final class CorpusSubsetCommand implements Callable<Integer> {

    @Option(names = "--data", required = true, description = "corpus to draw from (Kaldi dir or JSONL manifest)")
    Path data;

    @ArgGroup(exclusive = true, multiplicity = "1")
    Size size;

    static final class Size {
        @Option(names = "--utterances", required = true, description = "utterances to keep, in [1, corpus size]")
        Integer utterances;

        @Option(names = "--fraction", required = true, description = "share of the utterances to keep, in (0, 1]")
        Double fraction;
    }

    @Option(names = "--seed", defaultValue = "1", description = "seed of the draw (default ${DEFAULT-VALUE})")
    long seed;

    @Option(names = "--out", required = true, description = "output directory; must be absent or empty")
    Path out;

    @Override
    public Integer call() {
        Corpus source = CorpusReader.read(data);
        int count = CorpusSubset.count(source.size(), size.utterances, size.fraction, data + ": ", "--utterances", "--fraction");
        CorpusCommand.checkEmptyOut(out);
        AtomicFiles.checkFolder(out);
        int n;
        try (ProgressBar bar = Progress.bar("corpus subset", count, "utt")) {
            n = CorpusSubset.write(source, count, seed, out, (done, total) -> bar.stepTo(done));
        }
        System.out.println("corpus subset: " + n + " of " + source.size() + " utterances (" + source.numSpeakers()
                + " speakers in the source) written to " + out.toAbsolutePath());
        return 0;
    }
}
