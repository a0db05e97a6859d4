package io.speechsampler.curriculum.mixing;

import io.speechsampler.api.corpus.Corpus;
import io.speechsampler.api.io.AtomicFiles;
import io.speechsampler.curriculum.datamap.DatamapRegions.Region;
import java.nio.file.Path;

/**
 * A {@code datamap.csv} of {@link CurriculumPipelines#CORPUS} as an earlier run's {@code sampler
 * datamap} writes it (regions by index: easy, ambiguous, hard, easy, ...; the last 3 utterances
 * unlisted, so unseen; then rows of two {@code real:} targets, which a run with a second corpus
 * maps after the training corpus and a guide of a run with that corpus skips), and configs of the datamap-guided curriculum.
 */
final class DatamapGuidedPipelines {

    static final Path CSV;
    static final int UNLISTED = 3;

    static {
        Corpus c = CurriculumPipelines.CORPUS;
        StringBuilder s = new StringBuilder("id,speaker,confidence,variability,correctness,region,epochs_seen,snr_db,"
                + "speakers,overlap,real_share\n");
        for (int i = 0; i < c.size() - UNLISTED; i++) {
            s.append(c.get(i).id()).append(',').append(c.get(i).speaker()).append(",0.5,0.1,1,")
                    .append(region(i).label()).append(",2,,,,\n");
        }
        for (int i = 0; i < 2; i++) {
            Corpus real = CurriculumPipelines.REAL;
            s.append(real.get(i).id()).append(',').append(real.get(i).speaker()).append(",0.2,0.3,0,hard,2,,,,\n");
        }
        CSV = CurriculumPipelines.DIR.resolve("datamap.csv");
        AtomicFiles.writeString(CSV, s.toString());
    }

    private DatamapGuidedPipelines() {
    }

    /** The region the file gives utterance {@code i} of the corpus. */
    static Region region(int i) {
        if (i >= CurriculumPipelines.CORPUS.size() - UNLISTED) {
            return Region.UNSEEN;
        }
        return Region.values()[i % 3];
    }

    /** Easy first, ambiguous in the middle, hard last; unseen at a constant 0.3. */
    static final String WEIGHTS = "weights: {easy: [1, 0.2], ambiguous: [0.5, 1, 0.5], hard: [0, 1], unseen: 0.3}";

    /** Guided by the file, SNR and speakers moving, segments of 3 batches. */
    static final String FROM = "sampler: {name: multi-factor-curriculum, segment_seconds: 0.25, steps_per_segment: 3,"
            + " speakers: [2, 3], speaker_shares: [[1, 0], [0.5, 0.5]], snr_db: [[5, 10], [-5, 5]],"
            + " real_corpus: real/manifest.jsonl, datamap: {from: " + CSV.getFileName() + ", " + WEIGHTS + "}}\n";

    /** Guided online by this run's datamap observer, with a second corpus. */
    static final String ONLINE = "components: {dm: {name: datamap, score: raw, tau: 0.5}}\n"
            + "sampler: {name: multi-factor-curriculum, segment_seconds: 0.25, steps_per_segment: 3,"
            + " speakers: [2, 3], speaker_shares: [[1, 0], [0.5, 0.5]], real_share: [0, 0.5],"
            + " real_corpus: real/manifest.jsonl, datamap: {ref: dm, ambiguous_share: 0.4, " + WEIGHTS + "}}\n";
}
