package io.speechsampler.curriculum.datamap;

import io.speechsampler.api.config.ConfigException;
import io.speechsampler.api.corpus.Corpus;
import io.speechsampler.api.io.TextLines;
import io.speechsampler.curriculum.datamap.DatamapRegions.Region;
import java.io.IOException;
import java.io.Writer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.OptionalInt;

/**
 * {@code datamap.csv}, the per-utterance table {@code sampler datamap} writes and the
 * datamap-guided curriculum reads ({@code datamap: {from: FILE}}): one line per corpus utterance,
 * {@code id,speaker,confidence,variability,correctness,region,epochs_seen,snr_db,speakers,overlap,real_share};
 * numbers with 6 decimals, an empty field for a value that does not exist (never seen: confidence
 * and variability; drawn without factors: the four factor means).
 */
public final class DatamapCsv {

    /** The header's columns, in order; a reader needs the first six. */
    public static final List<String> COLUMNS = List.of("id", "speaker", "confidence", "variability", "correctness",
            "region", "epochs_seen", "snr_db", "speakers", "overlap", "real_share");
    private static final int REQUIRED = 6;
    private static final int REGION = 5;

    private DatamapCsv() {
    }

    private static String num(double v) {
        return Double.isNaN(v) ? "" : String.format(Locale.ROOT, "%.6f", v);
    }

    /** Writes the table of {@code corpus}'s utterances (index i of the table is utterance i). */
    public static void write(Writer w, Corpus corpus, DatamapTable t, DatamapRegions r) throws IOException {
        w.write(String.join(",", COLUMNS) + "\n");
        for (int i = 0; i < corpus.size(); i++) {
            w.write(corpus.get(i).id() + "," + corpus.get(i).speaker() + "," + num(t.confidence(i)) + ","
                    + num(t.variability(i)) + "," + t.correct(i) + "," + r.regions()[i].label() + "," + t.epochsSeen(i)
                    + "," + num(t.snrDb(i)) + "," + num(t.speakers(i)) + "," + num(t.overlap(i)) + ","
                    + num(t.realShare(i)) + "\n");
        }
    }

    /**
     * The region of each utterance of {@code corpus} (by index) that {@code file} names; utterances
     * it does not list are {@link Region#UNSEEN}. Rows of {@code keys}' other utterances (a run's
     * key corpus: the training corpus, then the second corpus a curriculum draws its {@code real}
     * targets from, ids {@code real:ID}) are skipped: a guide draws its pivots from the training
     * corpus.
     *
     * @param keys the utterances the file may list: {@code corpus}'s first, as
     *             {@link io.speechsampler.api.spi.BuildContext#keyCorpus}
     *
     * @throws ConfigException one line naming the file (and line): missing or unreadable, not a
     *                         datamap.csv (its header does not start with the columns
     *                         {@code id,speaker,confidence,variability,correctness,region}), a region
     *                         that is not easy, ambiguous, hard or unseen, an id twice, or ids that
     *                         are not utterances of the corpus (their count and the first three)
     */
    public static Region[] readRegions(Path file, Corpus corpus, Corpus keys) {
        Region[] out = new Region[corpus.size()];
        Arrays.fill(out, Region.UNSEEN);
        boolean[] listed = new boolean[corpus.size()];
        List<String> unknown = new ArrayList<>();
        int[] lines = {0};
        TextLines.forEach(file, "datamap.csv", "not found; expected the datamap.csv written by 'sampler datamap'",
                (line, no) -> {
                    String[] f = line.split(",", -1);
                    if (lines[0]++ == 0) {
                        if (f.length < REQUIRED || !Arrays.asList(f).subList(0, REQUIRED).equals(COLUMNS.subList(0,
                                REQUIRED))) {
                            throw TextLines.error(file, no, "not a datamap.csv: the header is '" + line
                                    + "'; expected it to start with '" + String.join(",", COLUMNS.subList(0, REQUIRED))
                                    + "' (as 'sampler datamap' writes it)");
                        }
                        return;
                    }
                    if (f.length < REQUIRED) {
                        throw TextLines.error(file, no, "has " + f.length + " fields; expected at least " + REQUIRED
                                + " (" + String.join(",", COLUMNS.subList(0, REQUIRED)) + ")");
                    }
                    Region region = null;
                    for (Region r : Region.values()) {
                        if (r.label().equals(f[REGION])) {
                            region = r;
                        }
                    }
                    if (region == null) {
                        throw TextLines.error(file, no, "region '" + f[REGION] + "' is not easy, ambiguous, hard or "
                                + "unseen");
                    }
                    OptionalInt i = corpus.indexOf(f[0]);
                    if (i.isEmpty()) {
                        if (keys.indexOf(f[0]).isEmpty()) {
                            unknown.add(f[0]);
                        }
                        return;
                    }
                    if (listed[i.getAsInt()]) {
                        throw TextLines.error(file, no, "utterance '" + f[0] + "' is listed twice");
                    }
                    listed[i.getAsInt()] = true;
                    out[i.getAsInt()] = region;
                });
        if (lines[0] == 0) {
            throw new ConfigException(file + ": is empty; expected the datamap.csv written by 'sampler datamap'");
        }
        if (!unknown.isEmpty()) {
            throw new ConfigException(file + ": " + unknown.size() + " id" + (unknown.size() == 1 ? " is" : "s are")
                    + " not utterances of the corpus " + corpus.source() + " (first: "
                    + String.join(", ", unknown.subList(0, Math.min(3, unknown.size())))
                    + "); expected the datamap of a run on this corpus (rows of a second corpus, real:ID, are read "
                    + "when the sampler names that corpus too: real_corpus)");
        }
        return out;
    }
}
