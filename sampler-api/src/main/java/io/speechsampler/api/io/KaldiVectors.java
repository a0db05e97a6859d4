package io.speechsampler.api.io;

import io.speechsampler.api.config.ConfigException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A Kaldi text archive of vectors, as {@code sampler embed}, {@code sampler-spark embed} and Kaldi's
 * {@code copy-vector ark,t:} write: one line {@code utt-id  [ v1 v2 ... vD ]} per utterance, each
 * value as {@link Float#toString} writes it (so that it reads back to the same float). Every vector
 * must have the first one's dimension.
 */
public final class KaldiVectors {

    private KaldiVectors() {
    }

    /**
     * Vectors by utterance id, in file order.
     *
     * @throws ConfigException naming the file and line for a missing file, a malformed line, a
     *                         value that is not a finite number, a dimension that differs from
     *                         the first vector's or a repeated id
     */
    public static Map<String, float[]> read(Path file) {
        Map<String, float[]> out = new LinkedHashMap<>();
        int[] dimension = {-1};
        TextLines.forEach(file, "embeddings", "embeddings not found; expected a Kaldi text archive as written by "
                + "'sampler embed' ('utterance-id  [ v1 ... vD ]' a line)", (line, lineNo) -> {
            String[] f = line.trim().split("\\s+");
            if (f.length < 4 || !f[1].equals("[") || !f[f.length - 1].equals("]")) {
                throw error(file, lineNo, "expected 'utterance-id  [ v1 v2 ... ]' (Kaldi text vector), got '"
                        + abbreviate(line) + "'");
            }
            float[] v = new float[f.length - 3];
            for (int k = 0; k < v.length; k++) {
                try {
                    v[k] = Float.parseFloat(f[k + 2]);
                } catch (NumberFormatException e) {
                    throw error(file, lineNo, "value " + (k + 1) + " of '" + f[0] + "' is not a number: '"
                            + f[k + 2] + "'");
                }
                if (!Float.isFinite(v[k])) {
                    throw error(file, lineNo, "value " + (k + 1) + " of '" + f[0] + "' is not finite: " + f[k + 2]);
                }
            }
            if (dimension[0] < 0) {
                dimension[0] = v.length;
            } else if (v.length != dimension[0]) {
                throw error(file, lineNo, "'" + f[0] + "' has dimension " + v.length + ", expected " + dimension[0]
                        + " (the first vector's)");
            }
            if (out.put(f[0], v) != null) {
                throw error(file, lineNo, "utterance '" + f[0] + "' is listed twice");
            }
        });
        if (out.isEmpty()) {
            throw new ConfigException(file + ": no vectors; expected 'utterance-id  [ v1 ... vD ]' lines");
        }
        return out;
    }

    /** The archive's text: one line per vector, {@code ids} and {@code vectors} index-aligned, in that order. */
    public static String format(List<String> ids, List<float[]> vectors) {
        if (ids.size() != vectors.size()) {
            throw new IllegalArgumentException("ids and vectors differ in length: " + ids.size() + ", "
                    + vectors.size());
        }
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < vectors.size(); i++) {
            sb.append(ids.get(i)).append("  [");
            for (float v : vectors.get(i)) {
                sb.append(' ').append(v);
            }
            sb.append(" ]\n");
        }
        return sb.toString();
    }

    private static String abbreviate(String line) {
        return line.length() <= 60 ? line : line.substring(0, 57) + "...";
    }

    private static ConfigException error(Path file, int lineNo, String message) {
        return new ConfigException(file + " line " + lineNo + ": " + message);
    }
}
