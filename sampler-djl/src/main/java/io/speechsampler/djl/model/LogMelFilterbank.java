package io.speechsampler.djl.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.convolutional.Conv1d;
import io.speechsampler.djl.ndarray.Scalars;

/**
 * Log-mel filterbank features computed on the device from waveforms: framing and a DFT as one
 * strided convolution with a fixed Hamming-windowed cos/sin basis, power spectrum, an HTK mel
 * matrix of triangular filters, {@code log(x + 1e-6)} and per-utterance mean normalisation over
 * time. Input (batch, T); output (batch, mels, frames). The basis is plain Java and becomes an
 * array of the input's manager on each call, so nothing outlives a batch.
 */
public final class LogMelFilterbank {

    private final int window;
    private final int hop;
    private final int bins;
    private final int mels;
    private final float[] basis;
    private final float[] melMatrix;

    private LogMelFilterbank(int sampleRate, int window, int hop, int mels) {
        this.window = window;
        this.hop = hop;
        this.mels = mels;
        int nFft = Integer.highestOneBit(window - 1) << 1;
        this.bins = nFft / 2 + 1;
        this.basis = new float[2 * bins * window];
        for (int k = 0; k < bins; k++) {
            for (int n = 0; n < window; n++) {
                double hamming = 0.54 - 0.46 * Math.cos(2 * Math.PI * n / (window - 1));
                double phase = 2 * Math.PI * k * n / nFft;
                basis[k * window + n] = (float) (hamming * Math.cos(phase));
                basis[(bins + k) * window + n] = (float) (-hamming * Math.sin(phase));
            }
        }
        this.melMatrix = melMatrix(sampleRate, nFft, bins, mels);
    }

    /**
     * @param sampleRate Hz
     * @param window     frame length in samples (25 ms is usual)
     * @param hop        frame hop in samples (10 ms is usual)
     * @param mels       mel bands
     */
    public static LogMelFilterbank of(int sampleRate, int window, int hop, int mels) {
        if (sampleRate < 1 || window < 2 || hop < 1 || mels < 1) {
            throw new IllegalArgumentException("filterbank needs sample rate >= 1, window >= 2, hop >= 1, mels >= 1: "
                    + sampleRate + ", " + window + ", " + hop + ", " + mels);
        }
        return new LogMelFilterbank(sampleRate, window, hop, mels);
    }

    /** 25 ms windows, 10 ms hop. */
    public static LogMelFilterbank standard(int sampleRate, int mels) {
        return of(sampleRate, sampleRate / 40, sampleRate / 100, mels);
    }

    public int mels() {
        return mels;
    }

    /** Frames for {@code samples} samples. */
    public long frames(long samples) {
        return samples < window ? 0 : (samples - window) / hop + 1;
    }

    /** (batch, T) waveforms to (batch, mels, frames) normalised log-mel energies. */
    public NDArray apply(NDArray waves) {
        NDManager m = waves.getManager();
        NDArray kernel = m.create(basis, new Shape(2L * bins, 1, window));
        NDArray spec = Conv1d.conv1d(waves.expandDims(1), kernel, null, new Shape(hop)).singletonOrThrow();
        NDArray re = spec.get(new NDIndex(":, :{}", bins));
        NDArray im = spec.get(new NDIndex(":, {}:", bins));
        NDArray power = re.square().add(im.square()).transpose(0, 2, 1); // (batch, frames, bins)
        NDArray mel = Scalars.add(power.matMul(m.create(melMatrix, new Shape(bins, mels))), 1e-6f).log();
        return mel.sub(mel.mean(new int[] {1}, true)).transpose(0, 2, 1);
    }

    private static double hzToMel(double hz) {
        return 2595 * Math.log10(1 + hz / 700);
    }

    private static double melToHz(double mel) {
        return 700 * (Math.pow(10, mel / 2595) - 1);
    }

    /** (bins, mels) triangular filters between 20 Hz and Nyquist, row-major. */
    private static float[] melMatrix(int sampleRate, int nFft, int bins, int mels) {
        double lo = hzToMel(20);
        double hi = hzToMel(sampleRate / 2.0);
        double[] edges = new double[mels + 2];
        for (int i = 0; i < edges.length; i++) {
            edges[i] = melToHz(lo + (hi - lo) * i / (mels + 1));
        }
        float[] out = new float[bins * mels];
        for (int k = 0; k < bins; k++) {
            double f = (double) k * sampleRate / nFft;
            for (int j = 0; j < mels; j++) {
                double up = (f - edges[j]) / (edges[j + 1] - edges[j]);
                double down = (edges[j + 2] - f) / (edges[j + 2] - edges[j + 1]);
                out[k * mels + j] = (float) Math.max(0, Math.min(up, down));
            }
        }
        return out;
    }
}
