package io.speechsampler.audio.pitch;

import java.util.Arrays;

/**
 * The YIN fundamental frequency estimator: de Cheveigné and Kawahara, "YIN, a fundamental
 * frequency estimator for speech and music", J. Acoust. Soc. Am. 111(4), 2002. Steps 2 to 5
 * of the paper, per frame starting at sample {@code s}, window {@code W}:
 *
 * <ol>
 *   <li>difference function {@code d(t) = sum_{j=s}^{s+W-1} (x_j - x_{j+t})^2};
 *   <li>cumulative mean normalised difference {@code d'(0) = 1},
 *       {@code d'(t) = d(t) t / sum_{k=1}^{t} d(k)} (and 1 where that sum is 0, as in digital
 *       silence, which makes such frames unvoiced);
 *   <li>absolute threshold: the first {@code t} in {@code [sr/maxF0, sr/minF0]} with
 *       {@code d'(t) < threshold}, followed down to its local minimum; if none, the global
 *       minimum of {@code d'} over that range (the paper's rule);
 *   <li>parabolic interpolation of the chosen dip on the raw {@code d(t)} (the paper's choice,
 *       which avoids the bias of interpolating {@code d'}).
 * </ol>
 *
 * <p><b>Voicing</b> is a separate decision, as in the paper (section VI, where the aperiodicity
 * {@code d'} at the chosen dip serves as a confidence measure): a frame is voiced when
 * {@code d'} at its chosen dip is below {@link Settings#voicingThreshold()} (default
 * {@value Settings#DEFAULT_VOICING_THRESHOLD}). The absolute threshold only picks the dip: a
 * low one (0.1) avoids octave errors by preferring the first good period, but real voiced
 * speech, with its jitter, shimmer, aspiration noise and gliding f0, often has its best dip at
 * 0.1 to 0.3, and calling only the frames under 0.1 voiced keeps the steadiest frames and
 * drops low-f0 and transitional ones, which biases an utterance's median f0. Noise and silence
 * have {@code d'} near 1 at every lag and stay unvoiced.
 *
 * <p>Step 6 (best local estimate) is not applied. Each frame reads
 * {@code W + tauMax + 1} samples (the extra one for interpolation); a signal shorter than that
 * gives one frame, padded with zeros.
 *
 * <p>Cost: {@code d(t)} is computed directly, as sums of {@code (x_j - x_{j+t})^2}, with the
 * lag as the inner loop so that the JIT can vectorise it. Consecutive frames overlap (with the
 * defaults the hop is a quarter of the window), so a multi-frame signal is cut into blocks of
 * {@code gcd(W, hop)} samples whose partial sums are computed once and shared by the frames
 * that cover them ({@link BlockDifference}): {@code O((hop + W / gcd(W, hop)) tauMax)} per frame
 * instead of {@code O(W tauMax)}. Each {@code d(t)} is still a sum of the same non-negative
 * terms, only added in another order, so it equals the textbook double sum up to rounding (no
 * running sum, hence no drift); a single, possibly zero-padded frame, or settings where blocks
 * would not pay, take the per-frame path, which sums over {@code j} in order. The paper's
 * identity {@code d(t) = r_s(0) + r_{s+t}(0) - 2 r_s(t)} only pays off with FFT correlation,
 * which at speech frame sizes is not needed (the block form, with the default settings, runs
 * about 1,800 times faster than real time at 8 kHz and about 470 times at 16 kHz per CPU
 * second on one core, where the per-frame form ran about 320 and 84 times), and it loses relative precision where {@code d(t)} is small against the frame
 * energy, exactly at the dips that matter. No randomness.
 */
public final class Yin {

    private final Settings settings;

    private Yin(Settings settings) {
        this.settings = settings;
    }

    /**
     * YIN settings.
     *
     * @param frameSeconds integration window {@code W}, in seconds (the paper uses 25 ms; 40 ms
     *     holds two periods of a 50 Hz voice)
     * @param hopSeconds step between frame starts, in seconds
     * @param minF0Hz lowest f0 searched; sets the largest lag {@code ceil(sr / minF0Hz)}
     * @param maxF0Hz highest f0 searched; sets the smallest lag {@code floor(sr / maxF0Hz)}
     * @param threshold absolute threshold on {@code d'} for the dip search, in (0, 1); the paper
     *     uses 0.1
     * @param voicingThreshold a frame is voiced when {@code d'} at its chosen dip is below this,
     *     in (0, 1]; independent of {@code threshold}
     */
    public record Settings(double frameSeconds, double hopSeconds, double minF0Hz, double maxF0Hz,
                           double threshold, double voicingThreshold) {

        /** Default voicing bound on the aperiodicity {@code d'} at the chosen dip. */
        public static final double DEFAULT_VOICING_THRESHOLD = 0.25;

        public Settings {
            checkPositive("frameSeconds", frameSeconds);
            checkPositive("hopSeconds", hopSeconds);
            checkPositive("minF0Hz", minF0Hz);
            checkPositive("maxF0Hz", maxF0Hz);
            if (!(maxF0Hz > minF0Hz)) {
                throw new IllegalArgumentException("maxF0Hz must exceed minF0Hz: " + maxF0Hz + " <= " + minF0Hz);
            }
            if (!(threshold > 0 && threshold < 1)) {
                throw new IllegalArgumentException("threshold is not in (0, 1): " + threshold);
            }
            if (!(voicingThreshold > 0 && voicingThreshold <= 1)) {
                throw new IllegalArgumentException("voicingThreshold is not in (0, 1]: " + voicingThreshold);
            }
        }

        /** Settings with the {@linkplain #DEFAULT_VOICING_THRESHOLD default voicing threshold}. */
        public Settings(double frameSeconds, double hopSeconds, double minF0Hz, double maxF0Hz, double threshold) {
            this(frameSeconds, hopSeconds, minF0Hz, maxF0Hz, threshold, DEFAULT_VOICING_THRESHOLD);
        }

        /**
         * 40 ms window, 10 ms hop, f0 in [50, 500] Hz, threshold 0.1, voicing threshold
         * {@value #DEFAULT_VOICING_THRESHOLD}.
         */
        public static Settings defaults() {
            return new Settings(0.040, 0.010, 50, 500, 0.1, DEFAULT_VOICING_THRESHOLD);
        }

        /** These settings with another voicing threshold. */
        public Settings withVoicingThreshold(double voicingThreshold) {
            return new Settings(frameSeconds, hopSeconds, minF0Hz, maxF0Hz, threshold, voicingThreshold);
        }

        private static void checkPositive(String name, double value) {
            if (!(value > 0 && Double.isFinite(value))) {
                throw new IllegalArgumentException(name + " must be positive and finite: " + value);
            }
        }
    }

    /** An estimator with the given settings. */
    public static Yin of(Settings settings) {
        return new Yin(settings);
    }

    /** An estimator with {@link Settings#defaults()}. */
    public static Yin withDefaults() {
        return new Yin(Settings.defaults());
    }

    /** Median f0 and voiced fraction of a signal under {@link Settings#defaults()}. */
    public static PitchStats analyze(float[] signal, int sampleRate) {
        return withDefaults().stats(signal, sampleRate);
    }

    /** The settings of this estimator. */
    public Settings settings() {
        return settings;
    }

    /**
     * Whether these settings work at {@code sampleRate}: a window and hop of at least one sample
     * and a lag range {@code [floor(sr / maxF0Hz), ceil(sr / minF0Hz)]} starting at 2 or more (so
     * below {@code 2 maxF0Hz}, 1000 Hz by default, they do not).
     */
    public boolean supports(int sampleRate) {
        if (sampleRate <= 0) {
            return false;
        }
        int window = (int) Math.round(settings.frameSeconds() * sampleRate);
        int hop = (int) Math.round(settings.hopSeconds() * sampleRate);
        int tauMin = (int) Math.floor(sampleRate / settings.maxF0Hz());
        int tauMax = (int) Math.ceil(sampleRate / settings.minF0Hz());
        return window >= 1 && hop >= 1 && tauMin >= 2 && tauMax > tauMin;
    }

    /** Median f0 and voiced fraction of a signal. */
    public PitchStats stats(float[] signal, int sampleRate) {
        return PitchStats.of(track(signal, sampleRate).f0Hz());
    }

    /**
     * The per-frame pitch track.
     *
     * @throws IllegalArgumentException if the signal is empty, the sample rate is not positive,
     *     or the settings give fewer than one sample of window or hop, or a lag range below 2 or
     *     empty at this rate
     */
    public PitchTrack track(float[] signal, int sampleRate) {
        return track(signal, sampleRate, false);
    }

    /**
     * {@link #track(float[], int)}; with {@code direct}, every frame's difference function is
     * computed on its own by {@link #differenceFunction} (the reference the tests compare the
     * block path against).
     */
    PitchTrack track(float[] signal, int sampleRate, boolean direct) {
        if (signal.length == 0) {
            throw new IllegalArgumentException("signal is empty: length 0");
        }
        if (sampleRate <= 0) {
            throw new IllegalArgumentException("sampleRate must be positive: " + sampleRate);
        }
        int window = (int) Math.round(settings.frameSeconds() * sampleRate);
        int hop = (int) Math.round(settings.hopSeconds() * sampleRate);
        int tauMin = (int) Math.floor(sampleRate / settings.maxF0Hz());
        int tauMax = (int) Math.ceil(sampleRate / settings.minF0Hz());
        if (window < 1 || hop < 1) {
            throw new IllegalArgumentException("frameSeconds and hopSeconds must give at least one sample at "
                    + sampleRate + " Hz: window " + window + ", hop " + hop);
        }
        if (tauMin < 2 || tauMax <= tauMin) {
            // Interpolation reads d(tauMin - 1), and d(0) = 0 is not a dip.
            throw new IllegalArgumentException("maxF0Hz must be at most sampleRate / 2 and leave a lag range: lags ["
                    + tauMin + ", " + tauMax + "] at " + sampleRate + " Hz");
        }
        int span = window + tauMax + 1;
        int frames = signal.length <= span ? 1 : 1 + (signal.length - span) / hop;
        double[] f0 = new double[frames];
        double[] aperiodicity = new double[frames];
        double[] d = new double[tauMax + 2];
        double[] normalised = new double[tauMax + 2];
        BlockDifference blocks = direct ? null : BlockDifference.forFrames(signal, frames, window, hop, tauMax + 1);
        double[] frame = blocks == null ? new double[span] : null;
        for (int f = 0; f < frames; f++) {
            if (blocks != null) {
                blocks.next(d);
            } else {
                int start = f * hop;
                int available = Math.min(span, signal.length - start);
                for (int i = 0; i < available; i++) {
                    frame[i] = signal[start + i];
                }
                Arrays.fill(frame, available, span, 0.0);
                differenceFunction(frame, window, tauMax + 1, d);
            }
            cumulativeMeanNormalised(d, normalised);
            int tau = firstDipBelow(normalised, tauMin, tauMax, settings.threshold());
            if (tau == 0) {
                tau = argMin(normalised, tauMin, tauMax);
            }
            aperiodicity[f] = normalised[tau];
            boolean voiced = normalised[tau] < settings.voicingThreshold();
            f0[f] = voiced ? sampleRate / (tau + parabolicOffset(d[tau - 1], d[tau], d[tau + 1])) : Double.NaN;
        }
        return new PitchTrack(sampleRate, hop, f0, aperiodicity);
    }

    /**
     * Step 2: {@code d[t] = sum_{j<window} (frame[j] - frame[j+t])^2} for {@code t} in
     * {@code [0, maxLag]}; {@code frame} holds at least {@code window + maxLag} samples.
     */
    static void differenceFunction(double[] frame, int window, int maxLag, double[] d) {
        Arrays.fill(d, 0, maxLag + 1, 0.0);
        for (int j = 0; j < window; j++) {
            double x = frame[j];
            for (int t = 1; t <= maxLag; t++) {
                double diff = x - frame[j + t];
                d[t] += diff * diff;
            }
        }
    }

    /**
     * Step 2 for consecutive frames that overlap: the signal is cut into blocks of
     * {@code g = gcd(window, hop)} samples, each block's partial difference function
     * {@code b(t) = sum_{j in block} (x_j - x_{j+t})^2} is computed once (lag as the inner loop,
     * as in {@link #differenceFunction}), and a frame's {@code d(t)} is the sum of its
     * {@code window / g} blocks' {@code b(t)}, added in block order. Every frame is a fresh sum of
     * non-negative terms (no running sum and no subtraction), so there is no drift and no
     * cancellation: {@code d(t)} differs from the textbook double sum only by the order of the
     * additions, a relative rounding error of order {@code window} ulps at most, and is 0
     * exactly when every term is. Blocks live in a ring of {@code window / g} rows, each block
     * computed when the first frame that needs it comes, so the memory is
     * {@code O(window / g * maxLag)} whatever the signal's length.
     *
     * <p>Cost per hop: {@code hop * maxLag} for the new blocks plus {@code window / g * maxLag}
     * for the sums, instead of {@code window * maxLag}.
     */
    static final class BlockDifference {

        private final double[] x;
        private final int block;
        private final int blocksPerWindow;
        private final int blocksPerHop;
        private final int maxLag;
        private final double[][] ring;
        private int frame;
        private int computed;

        private BlockDifference(double[] x, int window, int hop, int maxLag) {
            this.x = x;
            this.block = gcd(window, hop);
            this.blocksPerWindow = window / block;
            this.blocksPerHop = hop / block;
            this.maxLag = maxLag;
            this.ring = new double[blocksPerWindow][maxLag + 1];
        }

        /**
         * The block path for {@code frames} frames of {@code signal}, or null where it would
         * not pay: a single frame (which may be zero-padded), a hop not shorter than the window
         * (no overlap), or blocks so small that summing them costs about what the direct form
         * does. Every frame must lie inside the signal: {@code (frames - 1) * hop + window +
         * maxLag <= signal.length}.
         */
        static BlockDifference forFrames(float[] signal, int frames, int window, int hop, int maxLag) {
            if (frames < 2 || hop >= window) {
                return null;
            }
            int blocksPerWindow = window / gcd(window, hop);
            if (blocksPerWindow + hop >= window) {
                return null;
            }
            int needed = (frames - 1) * hop + window + maxLag;
            if (needed > signal.length) {
                throw new IllegalArgumentException("frames run past the signal: " + needed + " > " + signal.length);
            }
            double[] x = new double[needed];
            for (int i = 0; i < needed; i++) {
                x[i] = signal[i];
            }
            return new BlockDifference(x, window, hop, maxLag);
        }

        /** The difference function {@code d[0..maxLag]} of the next frame (frame 0 first). */
        void next(double[] d) {
            int first = frame * blocksPerHop;
            int end = first + blocksPerWindow;
            for (; computed < end; computed++) {
                blockSums(computed * block, ring[computed % blocksPerWindow]);
            }
            Arrays.fill(d, 0, maxLag + 1, 0.0);
            for (int b = first; b < end; b++) {
                double[] row = ring[b % blocksPerWindow];
                for (int t = 1; t <= maxLag; t++) {
                    d[t] += row[t];
                }
            }
            frame++;
        }

        private void blockSums(int start, double[] row) {
            Arrays.fill(row, 0.0);
            double[] x = this.x;
            int lags = maxLag;
            for (int j = start, stop = start + block; j < stop; j++) {
                double xj = x[j];
                for (int t = 1; t <= lags; t++) {
                    double diff = xj - x[j + t];
                    row[t] += diff * diff;
                }
            }
        }

        private static int gcd(int a, int b) {
            while (b != 0) {
                int r = a % b;
                a = b;
                b = r;
            }
            return a;
        }
    }

    /** Step 3: {@code out[0] = 1}, {@code out[t] = d[t] t / sum_{k=1}^{t} d[k]}, 1 where that sum is 0. */
    static void cumulativeMeanNormalised(double[] d, double[] out) {
        out[0] = 1;
        double running = 0;
        for (int t = 1; t < d.length; t++) {
            running += d[t];
            out[t] = running > 0 ? d[t] * t / running : 1;
        }
    }

    /** Step 4: the first t in [lo, hi] below the threshold, walked down to its local minimum; 0 if none. */
    private static int firstDipBelow(double[] normalised, int lo, int hi, double threshold) {
        for (int t = lo; t <= hi; t++) {
            if (normalised[t] < threshold) {
                while (t + 1 <= hi && normalised[t + 1] < normalised[t]) {
                    t++;
                }
                return t;
            }
        }
        return 0;
    }

    private static int argMin(double[] values, int lo, int hi) {
        int best = lo;
        for (int t = lo + 1; t <= hi; t++) {
            if (values[t] < values[best]) {
                best = t;
            }
        }
        return best;
    }

    /**
     * Step 5: abscissa offset in [-1, 1] of the vertex of the parabola through
     * {@code (-1, left), (0, centre), (1, right)}; 0 where the three points are not convex.
     */
    static double parabolicOffset(double left, double centre, double right) {
        double curvature = left - 2 * centre + right;
        if (!(curvature > 0)) {
            return 0;
        }
        double offset = (left - right) / (2 * curvature);
        return Math.max(-1, Math.min(1, offset));
    }
}
