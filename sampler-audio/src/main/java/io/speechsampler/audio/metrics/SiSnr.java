package io.speechsampler.audio.metrics;

/**
 * Scale-invariant signal-to-noise ratio (SI-SNR, also called SI-SDR), computed exactly as
 * Asteroid's {@code PairwiseNegSDR(sdr_type="sisdr")} and SpeechBrain's {@code cal_si_snr} do,
 * with their {@code eps = 1e-8}:
 *
 * <pre>
 *   est, ref  &lt;- est - mean(est), ref - mean(ref)
 *   alpha     =  &lt;est, ref&gt; / (|ref|^2 + eps)
 *   target    =  alpha * ref
 *   e         =  est - target
 *   SI-SNR    =  10 log10(|target|^2 / (|e|^2 + eps) + eps)
 * </pre>
 *
 * <p>Le Roux, Wisdom, Erdogan and Hershey, "SDR - half-baked or well done?", ICASSP 2019;
 * Luo and Mesgarani, "Conv-TasNet", IEEE/ACM TASLP 27(8), 2019. All sums are accumulated in
 * {@code double}.
 *
 * <p><b>Silent reference.</b> A reference that is zero after mean removal (all zeros, or any
 * constant) has {@code |ref|^2 = 0}, so {@code alpha = 0}, {@code target = 0} and the formula
 * gives {@code 10 log10(eps) = -80 dB} whatever the estimate is. This class returns that value,
 * {@link #SILENT_REFERENCE_DB}, rather than failing, so that a batch metric stays finite; the
 * same value results for a silent estimate. Callers that must exclude silent references can
 * test for it.
 */
public final class SiSnr {

    /** The stabiliser of Asteroid and SpeechBrain. */
    public static final double EPS = 1e-8;

    /** The value of the formula for a silent (zero after mean removal) reference: -80 dB. */
    public static final double SILENT_REFERENCE_DB = 10.0 * Math.log10(EPS);

    private SiSnr() {
    }

    /**
     * SI-SNR of an estimate against a reference, in dB.
     *
     * @throws IllegalArgumentException if either is empty or their lengths differ
     */
    public static double siSnr(float[] est, float[] ref) {
        checkPair("est", est, "ref", ref);
        return ofCentred(centred(est), centred(ref));
    }

    /**
     * SI-SNR improvement in dB: {@code siSnr(est, ref) - siSnr(mixture, ref)}.
     *
     * @throws IllegalArgumentException if any is empty or the three lengths differ
     */
    public static double siSnrImprovement(float[] est, float[] ref, float[] mixture) {
        checkPair("est", est, "ref", ref);
        checkPair("mixture", mixture, "ref", ref);
        double[] r = centred(ref);
        return ofCentred(centred(est), r) - ofCentred(centred(mixture), r);
    }

    /**
     * All pairwise SI-SNRs: {@code result[i][j] = siSnr(estimates[i], references[j])}, with each
     * signal's mean removed once.
     *
     * @throws IllegalArgumentException if the counts differ, a count is zero, or any two signals
     *     differ in length
     */
    public static double[][] pairwise(float[][] estimates, float[][] references) {
        if (estimates.length != references.length) {
            throw new IllegalArgumentException("estimates and references must have the same count: "
                    + estimates.length + " estimates, " + references.length + " references");
        }
        if (estimates.length == 0) {
            throw new IllegalArgumentException("estimates is empty: 0 sources");
        }
        int n = estimates.length;
        double[][] est = new double[n][];
        double[][] ref = new double[n][];
        for (int i = 0; i < n; i++) {
            checkPair("estimates[" + i + "]", estimates[i], "references[0]", references[0]);
            checkPair("references[" + i + "]", references[i], "references[0]", references[0]);
            est[i] = centred(estimates[i]);
            ref[i] = centred(references[i]);
        }
        double[][] result = new double[n][n];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
                result[i][j] = ofCentred(est[i], ref[j]);
            }
        }
        return result;
    }

    /** The formula on zero-mean signals of equal length. */
    private static double ofCentred(double[] est, double[] ref) {
        double dot = 0;
        double refEnergy = 0;
        for (int i = 0; i < ref.length; i++) {
            dot += est[i] * ref[i];
            refEnergy += ref[i] * ref[i];
        }
        double alpha = dot / (refEnergy + EPS);
        double targetEnergy = 0;
        double noiseEnergy = 0;
        for (int i = 0; i < ref.length; i++) {
            double target = alpha * ref[i];
            double e = est[i] - target;
            targetEnergy += target * target;
            noiseEnergy += e * e;
        }
        return 10.0 * Math.log10(targetEnergy / (noiseEnergy + EPS) + EPS);
    }

    private static double[] centred(float[] x) {
        double sum = 0;
        for (float v : x) {
            sum += v;
        }
        double mean = sum / x.length;
        double[] c = new double[x.length];
        for (int i = 0; i < x.length; i++) {
            c[i] = x[i] - mean;
        }
        return c;
    }

    private static void checkPair(String aName, float[] a, String bName, float[] b) {
        if (a.length == 0) {
            throw new IllegalArgumentException(aName + " is empty: length 0");
        }
        if (a.length != b.length) {
            throw new IllegalArgumentException(aName + " and " + bName + " must have the same length: "
                    + aName + " has " + a.length + ", " + bName + " has " + b.length);
        }
    }
}
