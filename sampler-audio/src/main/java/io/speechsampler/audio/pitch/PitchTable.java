package io.speechsampler.audio.pitch;

import io.speechsampler.api.config.ConfigException;
import io.speechsampler.api.io.TextLines;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The per-utterance pitch TSV that {@code sampler pitch} (and {@code sampler-spark pitch}) write and
 * {@code sampler mine} and {@code analyze} read: one line {@code id<TAB>median_f0_hz<TAB>voiced_fraction}
 * per utterance, the median with 3 decimals and the fraction with 4 ({@link Locale#ROOT}), {@code nan}
 * for an unvoiced utterance's median. A first line starting with {@code id<TAB>} or {@code #} is a
 * header and is skipped when read. One writer for both commands, so that their files are byte for
 * byte the same.
 */
public final class PitchTable {

    private PitchTable() {
    }

    /**
     * Median f0 in Hz by utterance id, in file order (NaN for {@code nan}).
     *
     * @throws ConfigException naming the file and line for a missing file, a malformed line, a
     *                         value that is not a number or a repeated id
     */
    public static Map<String, Double> read(Path file) {
        Map<String, Double> out = new LinkedHashMap<>();
        TextLines.forEach(file, "pitch table", "pitch table not found; expected the TSV written by 'sampler pitch' "
                + "(id<TAB>median_f0_hz<TAB>voiced_fraction)", (line, lineNo) -> {
            if (lineNo == 1 && (line.startsWith("id\t") || line.startsWith("#"))) {
                return;
            }
            String[] f = line.split("\t", -1);
            if (f.length != 3 || f[0].isEmpty()) {
                throw error(file, lineNo, "expected 'id<TAB>median_f0_hz<TAB>voiced_fraction', got '" + line + "'");
            }
            double f0 = number(file, lineNo, "median_f0_hz", f[1]);
            double voiced = number(file, lineNo, "voiced_fraction", f[2]);
            if (!(Double.isNaN(f0) || (f0 > 0 && Double.isFinite(f0)))) {
                throw error(file, lineNo, "median_f0_hz is not a positive frequency or nan: '" + f[1] + "'");
            }
            if (!(voiced >= 0 && voiced <= 1)) {
                throw error(file, lineNo, "voiced_fraction is not in [0, 1]: '" + f[2] + "'");
            }
            if (out.put(f[0], f0) != null) {
                throw error(file, lineNo, "utterance '" + f[0] + "' is listed twice");
            }
        });
        return out;
    }

    /** The table's text: one line per utterance, {@code ids} and {@code stats} index-aligned, in that order. */
    public static String format(List<String> ids, List<PitchStats> stats) {
        if (ids.size() != stats.size()) {
            throw new IllegalArgumentException("ids and stats differ in length: " + ids.size() + ", " + stats.size());
        }
        StringBuilder tsv = new StringBuilder();
        for (int i = 0; i < stats.size(); i++) {
            PitchStats s = stats.get(i);
            tsv.append(ids.get(i)).append('\t')
                    .append(Double.isNaN(s.medianF0Hz()) ? "nan" : String.format(Locale.ROOT, "%.3f", s.medianF0Hz()))
                    .append('\t').append(String.format(Locale.ROOT, "%.4f", s.voicedFraction())).append('\n');
        }
        return tsv.toString();
    }

    private static double number(Path file, int lineNo, String column, String text) {
        if (text.equalsIgnoreCase("nan")) {
            return Double.NaN;
        }
        try {
            return Double.parseDouble(text);
        } catch (NumberFormatException e) {
            throw error(file, lineNo, column + " is not a number or nan: '" + text + "'");
        }
    }

    private static ConfigException error(Path file, int lineNo, String message) {
        return TextLines.error(file, lineNo, message);
    }
}
