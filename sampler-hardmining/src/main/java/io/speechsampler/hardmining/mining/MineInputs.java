package io.speechsampler.hardmining.mining;

import io.speechsampler.api.config.ConfigException;
import io.speechsampler.api.corpus.Corpus;
import io.speechsampler.api.corpus.Utterance;
import io.speechsampler.api.io.AtomicFiles;
import io.speechsampler.hardmining.mining.HardPairTable.Format;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.IntPredicate;

/**
 * What a {@code mine} command checks and writes, shared by {@code sampler mine} and its Spark job so
 * that both refuse the same input with the same message and write the same files: the output files
 * from {@code --out} and {@code --format}, the bound on {@code --partners}, per-utterance values
 * aligned with the corpus, and the atomic writing of every output together.
 */
public final class MineInputs {

    private MineInputs() {
    }

    /**
     * The files to write and their formats: {@code format} null (by the name of {@code out}),
     * {@code tsv}, {@code bin} or {@code both} (a {@code .tsv} and a {@code .bin} beside each other).
     *
     * @throws ConfigException when {@code --format} contradicts the name of {@code --out}
     */
    public static Map<Path, Format> outputs(Path out, String format) {
        Map<Path, Format> files = new LinkedHashMap<>();
        Format named = Format.byName(out);
        if (format == null) {
            files.put(out, named);
        } else if (format.equals("both")) {
            String name = out.getFileName().toString();
            String lower = name.toLowerCase(Locale.ROOT);
            String stem = lower.endsWith(Format.TSV.extension()) || lower.endsWith(Format.BIN.extension())
                    ? name.substring(0, name.length() - 4) : name;
            files.put(out.resolveSibling(stem + Format.TSV.extension()), Format.TSV);
            files.put(out.resolveSibling(stem + Format.BIN.extension()), Format.BIN);
        } else {
            Format wanted = format.equals("bin") ? Format.BIN : Format.TSV;
            boolean tsvName = out.getFileName().toString().toLowerCase(Locale.ROOT).endsWith(Format.TSV.extension());
            if (wanted == Format.TSV && named == Format.BIN || wanted == Format.BIN && tsvName) {
                throw new ConfigException("--format " + format + " but --out " + out + " is named as a "
                        + (named == Format.BIN ? "binary" : "TSV") + " table; expected a name ending in "
                        + wanted.extension() + " (or --format both)");
            }
            files.put(out, wanted);
        }
        return files;
    }

    /**
     * The partner count of {@code --partners M} or {@code --fraction P_M} (one of them, null when not
     * given), checked.
     */
    public static PartnerCount partnerCount(Integer partners, Double fraction) {
        if (fraction != null && partners != null) {
            throw new ConfigException("--partners and --fraction are mutually exclusive: give --partners M (the M nearest)"
                    + " or --fraction P_M (the paper's share), not both");
        }
        if (fraction == null && partners == null) {
            throw new ConfigException("mine needs --partners M (each utterance's M nearest) or --fraction P_M (the paper's"
                    + " share of each utterance's other-speaker utterances)");
        }
        if (fraction != null && !(fraction > 0 && fraction <= 1)) {
            throw new ConfigException("--fraction (P_M) must be in (0, 1], got " + fraction);
        }
        if (partners != null && partners < 1) {
            throw new ConfigException("--partners (M) must be at least 1, got " + partners);
        }
        return partners != null ? PartnerCount.nearest(partners) : PartnerCount.fraction(fraction);
    }

    /**
     * The end of a {@code mine} command: refuses an empty table (hard-resample would refuse it; better
     * to say why here than write it), writes {@code r}'s table to every output and prints what it wrote.
     *
     * @param what     the mining rule, for messages ("pitch median difference")
     * @param excluded why utterances were excluded, for messages (" (unvoiced: no median f0)")
     */
    public static void writeAndReport(MiningResult r, String what, PartnerCount count, java.util.List<String> ids,
                                      Corpus corpus, Path data, Path out, Map<Path, Format> outputs, String excluded) {
        if (r.table().pairCount() == 0) {
            throw new ConfigException(data + ": no hard pairs (" + what + ") to write to " + out + ": "
                    + r.excluded().size() + " of " + corpus.size() + " utterances excluded" + excluded
                    + "; expected utterances of at least two speakers that can be compared");
        }
        write(r.table(), outputs);
        long withPartners = ids.stream().filter(r.table()::hasPartners).count();
        System.out.printf(Locale.ROOT, "mine: %d hard pairs (%s, %s) for %d of %d utterances written to %s%n",
                r.table().pairCount(), what, count, withPartners, corpus.size(),
                String.join(" and ", outputs.keySet().stream().map(Path::toString).toList()));
        System.out.printf(Locale.ROOT, "mine: %d excluded%s%n", r.excluded().size(), r.excluded().isEmpty() ? ""
                : excluded);
    }

    /** Writes the table to every output; several appear together or not at all. */
    public static void write(HardPairTable table, Map<Path, Format> outputs) {
        try (AtomicFiles.FileSet files = AtomicFiles.fileSet()) {
            outputs.forEach((file, f) -> files.write(file, stream -> table.writeTo(stream, f)));
            files.commit();
        }
    }

    /**
     * Refuses {@code --partners M} (null: not given) above what some mined utterance can have: the
     * mined utterances of other speakers than its own (the miners would give such an utterance fewer
     * than M); {@code what} qualifies "utterances" in the message ("voiced ", or "" for all).
     */
    public static void checkPartners(Integer partners, Corpus corpus, IntPredicate mined, String what) {
        if (partners == null) {
            return;
        }
        int[] perSpeaker = new int[corpus.numSpeakers()];
        int total = 0;
        for (int i = 0; i < corpus.size(); i++) {
            if (mined.test(i)) {
                perSpeaker[corpus.speakerOf(i)]++;
                total++;
            }
        }
        int fewest = Integer.MAX_VALUE;
        int speaker = -1;
        for (int s = 0; s < perSpeaker.length; s++) {
            if (perSpeaker[s] > 0 && total - perSpeaker[s] < fewest) {
                fewest = total - perSpeaker[s];
                speaker = s;
            }
        }
        if (speaker >= 0 && partners > fewest) {
            String who = corpus.speakers().get(speaker);
            throw new ConfigException(fewest == 0
                    ? "--partners " + partners + ": all " + total + " " + what + "utterances are of speaker '" + who
                            + "', so none has a partner of another speaker; expected utterances of at least two speakers"
                    : "--partners " + partners + " is more than the " + fewest + " " + what + "utterances of other"
                            + " speakers than '" + who + "' (each of its utterances can have at most " + fewest
                            + " partners); expected --partners in [1, " + fewest + "]");
        }
    }

    /** Whether any entry is not zero (an all-zero x-vector has no direction to mine by). */
    public static boolean hasNonZero(float[] x) {
        for (float v : x) {
            if (v != 0) {
                return true;
            }
        }
        return false;
    }

    /**
     * {@code values} (by utterance id, one per utterance of {@code corpus}) in corpus order; the ids
     * are checked against the corpus when they come from a {@code file} (null: computed here).
     */
    public static double[] aligned(Map<String, Double> values, Corpus corpus, Path file, String what) {
        if (file != null) {
            checkIds(values.keySet(), corpus, file, what);
        }
        double[] v = new double[corpus.size()];
        for (int i = 0; i < v.length; i++) {
            v[i] = values.get(corpus.get(i).id());
        }
        return v;
    }

    /**
     * Refuses ids of {@code file} that are not utterances of {@code corpus}, and a file that misses
     * some; {@code what} names what the file should hold ("a pitch table").
     */
    public static void checkIds(Set<String> ids, Corpus corpus, Path file, String what) {
        for (String id : ids) {
            if (corpus.indexOf(id).isEmpty()) {
                throw new ConfigException(file + ": utterance '" + id + "' is not in the corpus " + corpus.source()
                        + "; expected " + what + " of that corpus");
            }
        }
        if (ids.size() < corpus.size()) {
            String missing = corpus.utterances().stream().map(Utterance::id).filter(id -> !ids.contains(id))
                    .findFirst().orElseThrow();
            throw new ConfigException(file + ": no entry for " + (corpus.size() - ids.size()) + " of the corpus's "
                    + corpus.size() + " utterances (e.g. '" + missing + "'); expected one per utterance");
        }
    }
}
