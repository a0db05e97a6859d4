package io.speechsampler.hardmining.analysis;

import io.speechsampler.api.io.AtomicFiles;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The correlation analysis of Wang et al., "Mining hard samples locally and globally for
 * improved speech separation", ICASSP 2022, section 2.2 and Fig. 2: Pearson's
 * {@code rho = cov(S, P) / (sd(S) sd(P))} between each mixture's SI-SNRi {@code S} and a
 * speaker parameter {@code P} of its first two sources: the median f0 difference
 * {@code |f0_1 - f0_2|} in Hz, the x-vector cosine distance {@code 1 - cos(x_1, x_2)}, and the
 * energy ratio {@code 10 |log10(E_1 / E_2)| = |dB_1 - dB_2|}. A parameter that cannot be
 * computed for a mixture (a source without a value, NaN f0 of an unvoiced source, a zero
 * embedding, fewer than two sources) is NaN in its row and that mixture is left out of that
 * coefficient only. Coefficients use the two-pass formula in double; a coefficient over fewer
 * than two mixtures, or of a constant series, is NaN. The paper found 0.443 (pitch), 0.447
 * (x-vector) and about 0 (energy).
 */
public final class Correlation {

    /**
     * One separated test mixture.
     *
     * @param key     mixture name
     * @param sources its source utterance ids, the first two forming the pair
     * @param siSnri  SI-SNR improvement in dB
     */
    public record Mixture(String key, List<String> sources, double siSnri) {
        public Mixture {
            Objects.requireNonNull(key, "key");
            sources = List.copyOf(sources);
        }
    }

    /** One CSV row: the mixture's SI-SNRi and its pair's three parameters (NaN when unknown). */
    public record Row(String mixture, double siSnri, double pitchDiffHz, double xvectorDistance,
                      double energyRatioDb) {
    }

    /**
     * The rows and coefficients, with how many mixtures each coefficient used.
     */
    public record Report(List<Row> rows, double pitchRho, int pitchCount, double xvectorRho, int xvectorCount,
                         double energyRho, int energyCount) {

        public Report {
            rows = List.copyOf(rows);
        }

        /** CSV header of {@link #writeCsv}. */
        public static final String HEADER = "mixture,si_snri,pitch_diff_hz,xvector_distance,energy_ratio_db";

        /** Writes the rows as CSV (NaN for unknown values), atomically via a temporary file. */
        public void writeCsv(Path file) {
            AtomicFiles.writeText(file, this::writeCsv);
        }

        /** Writes the rows as CSV (NaN for unknown values; Double.toString, which is locale-independent). */
        public void writeCsv(Writer out) throws IOException {
            out.write(HEADER);
            out.write('\n');
            for (Row r : rows) {
                out.write(csvField(r.mixture()) + "," + r.siSnri() + "," + r.pitchDiffHz() + ","
                        + r.xvectorDistance() + "," + r.energyRatioDb() + "\n");
            }
        }

        private static String csvField(String s) {
            if (s.indexOf(',') < 0 && s.indexOf('"') < 0 && s.indexOf('\n') < 0) {
                return s;
            }
            return '"' + s.replace("\"", "\"\"") + '"';
        }
    }

    private Correlation() {
    }

    /**
     * Computes the rows and the three coefficients.
     *
     * @param mixtures   the separated mixtures
     * @param f0Hz       median f0 by utterance id (NaN = unvoiced); may lack ids
     * @param embeddings x-vector by utterance id; may lack ids
     * @param energyDb   energy in dB by utterance id; may lack ids
     */
    public static Report analyse(List<Mixture> mixtures, Map<String, Double> f0Hz, Map<String, float[]> embeddings,
                                 Map<String, Double> energyDb) {
        List<Row> rows = new ArrayList<>(mixtures.size());
        for (Mixture m : mixtures) {
            double pitch = Double.NaN;
            double xvec = Double.NaN;
            double energy = Double.NaN;
            if (m.sources().size() >= 2) {
                String a = m.sources().get(0);
                String b = m.sources().get(1);
                pitch = absDifference(f0Hz.get(a), f0Hz.get(b));
                xvec = cosineDistance(embeddings.get(a), embeddings.get(b));
                energy = absDifference(energyDb.get(a), energyDb.get(b));
            }
            rows.add(new Row(m.key(), m.siSnri(), pitch, xvec, energy));
        }
        double[] s = new double[rows.size()];
        double[] p = new double[rows.size()];
        double[] x = new double[rows.size()];
        double[] e = new double[rows.size()];
        for (int i = 0; i < s.length; i++) {
            Row r = rows.get(i);
            s[i] = r.siSnri();
            p[i] = r.pitchDiffHz();
            x[i] = r.xvectorDistance();
            e[i] = r.energyRatioDb();
        }
        return new Report(rows, pearson(s, p), completeCount(s, p), pearson(s, x), completeCount(s, x),
                pearson(s, e), completeCount(s, e));
    }

    /**
     * Pearson's correlation of the pairs where both values are finite (two-pass: means, then
     * centred sums); NaN with fewer than two such pairs or a constant series.
     */
    public static double pearson(double[] a, double[] b) {
        if (a.length != b.length) {
            throw new IllegalArgumentException("series differ in length: " + a.length + " and " + b.length);
        }
        double sumA = 0;
        double sumB = 0;
        int n = 0;
        for (int i = 0; i < a.length; i++) {
            if (Double.isFinite(a[i]) && Double.isFinite(b[i])) {
                sumA += a[i];
                sumB += b[i];
                n++;
            }
        }
        if (n < 2) {
            return Double.NaN;
        }
        double meanA = sumA / n;
        double meanB = sumB / n;
        double sab = 0;
        double saa = 0;
        double sbb = 0;
        for (int i = 0; i < a.length; i++) {
            if (Double.isFinite(a[i]) && Double.isFinite(b[i])) {
                double da = a[i] - meanA;
                double db = b[i] - meanB;
                sab += da * db;
                saa += da * da;
                sbb += db * db;
            }
        }
        if (saa == 0 || sbb == 0) {
            return Double.NaN;
        }
        return Math.max(-1.0, Math.min(1.0, sab / Math.sqrt(saa * sbb)));
    }

    private static int completeCount(double[] a, double[] b) {
        int n = 0;
        for (int i = 0; i < a.length; i++) {
            if (Double.isFinite(a[i]) && Double.isFinite(b[i])) {
                n++;
            }
        }
        return n;
    }

    private static double absDifference(Double a, Double b) {
        return a == null || b == null ? Double.NaN : Math.abs(a - b);
    }

    /** {@code 1 - cos}, in double; NaN for a missing or zero vector or differing dimensions. */
    static double cosineDistance(float[] a, float[] b) {
        if (a == null || b == null || a.length != b.length) {
            return Double.NaN;
        }
        double ab = 0;
        double aa = 0;
        double bb = 0;
        for (int k = 0; k < a.length; k++) {
            ab += (double) a[k] * b[k];
            aa += (double) a[k] * a[k];
            bb += (double) b[k] * b[k];
        }
        if (aa == 0 || bb == 0) {
            return Double.NaN;
        }
        return 1.0 - ab / Math.sqrt(aa * bb);
    }
}
