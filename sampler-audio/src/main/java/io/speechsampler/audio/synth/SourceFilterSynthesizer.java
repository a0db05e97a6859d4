package io.speechsampler.audio.synth;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import org.apache.commons.rng.UniformRandomProvider;
import org.apache.commons.rng.sampling.distribution.ZigguratSampler;

/**
 * A deterministic source-filter speech synthesizer (Fant 1960's source-filter model).
 *
 * <p><b>Plan.</b> An utterance is a sequence of segments: a leading pause, then syllables made
 * of an optional fricative and a vowel, with occasional pauses between them. Segment lengths are
 * uniform in fixed ranges divided by the speaker's speaking rate; each vowel is one of ten
 * American English vowels, each fricative one of /s/, /sh/, /f/.
 *
 * <p><b>Source.</b> Voiced segments are driven by the KLGLOTT88 glottal flow of Klatt and Klatt
 * (1990, JASA 87(2)), {@code u(x) = 27/4 x^2 (1 - x)} over the open phase {@code x = phase / OQ}
 * and zero while closed, differentiated for lip radiation, plus aspiration noise gated by the
 * flow (breathiness). The f0 of each period is the contour at its start times
 * {@code 1 + 0.004 g} (jitter) and its amplitude {@code 1 + 0.02 g} (shimmer), with {@code g}
 * standard normal: a local jitter of about 0.45% and a local shimmer of about 2.3%, inside the
 * normal ranges of modal voice (under 1% and under 3.8%, the MDVP norms). The contour is the speaker's median times {@code 2^((d(t) + a(t)) / 12)}: a
 * linear declination {@code d} falling by D semitones over the utterance, D uniform in [1, 4],
 * and per-vowel pitch accents {@code a}, normal with the speaker's spread, smoothed with a 150 ms
 * time constant (a 3-semitone accent step glides at 20 semitones per second at first, within the
 * speed of human pitch change).
 *
 * <p><b>Filter.</b> A cascade of four second-order resonators (Klatt 1980, JASA 67(3)),
 * {@code y[n] = A x[n] + B y[n-1] + C y[n-2]} with unit gain at 0 Hz, at the formants of the
 * current vowel target (Peterson and Barney 1952 male averages for F1 to F3, 3500 Hz for F4) times
 * the speaker's tract factor, moving towards each new target with a 25 ms time constant
 * (coarticulation). A resonator whose formant would lie above 0.45 of the sample rate is bypassed.
 * Fricatives are Gaussian noise through one band-pass resonator (zeros at 0 Hz and Nyquist) at a
 * high centre frequency, mixed 12 dB below the voiced part's RMS.
 *
 * <p><b>Output.</b> The utterance is scaled to an RMS of 0.05 (-26 dBFS), or less if its peak
 * would pass 0.9, and faded out over its last 10 ms.
 *
 * <p><b>Randomness.</b> Everything comes from the provider passed to {@link #synthesize}:
 * {@code nextDouble}/{@code nextInt} for the plan, and a {@link ZigguratSampler.NormalizedGaussian}
 * on the same provider for accents, jitter, shimmer and noise, in a fixed order. Transcendental
 * functions are {@link StrictMath}'s, so equal input gives bit-identical audio on any JVM.
 */
public final class SourceFilterSynthesizer {

    /** F1..F4 in Hz for i, I, E, ae, a, open o, U, u, schwa-like wedge, er (Peterson and Barney 1952). */
    private static final double[][] VOWELS = {
        {270, 2290, 3010, 3500}, {390, 1990, 2550, 3500}, {530, 1840, 2480, 3500}, {660, 1720, 2410, 3500},
        {730, 1090, 2440, 3500}, {570, 840, 2410, 3500}, {440, 1020, 2240, 3500}, {300, 870, 2240, 3500},
        {640, 1190, 2390, 3500}, {490, 1350, 1690, 3500},
    };
    private static final double[] BANDWIDTHS = {70, 100, 160, 250};
    /** Centre and bandwidth in Hz for /s/, /sh/, /f/. */
    private static final double[][] FRICATIVES = {{5500, 1500}, {3000, 900}, {4500, 3500}};

    private static final int SILENCE = 0;
    private static final int VOICED = 1;
    private static final int UNVOICED = 2;

    private static final int CONTROL_PERIOD = 32;
    private static final double FORMANT_TIME_CONSTANT_S = 0.025;
    private static final double ACCENT_TIME_CONSTANT_S = 0.150;
    private static final double RAMP_S = 0.015;
    private static final double JITTER = 0.004;
    private static final double SHIMMER = 0.02;
    private static final double FRICATIVE_LEVEL = 0.25;
    private static final double TARGET_RMS = 0.05;
    private static final double PEAK_LIMIT = 0.9;
    private static final double FADE_OUT_S = 0.010;
    private static final double MAX_FORMANT_FRACTION = 0.45;
    /** Reference f0 frames: the window and hop of the default pitch tracker settings. */
    static final double REFERENCE_WINDOW_S = 0.040;
    static final double REFERENCE_HOP_S = 0.010;

    private final int sampleRate;
    private final double formantAlpha;
    private final double accentAlpha;

    private SourceFilterSynthesizer(int sampleRate) {
        this.sampleRate = sampleRate;
        this.formantAlpha = 1 - StrictMath.exp(-CONTROL_PERIOD / (sampleRate * FORMANT_TIME_CONSTANT_S));
        this.accentAlpha = 1 - StrictMath.exp(-CONTROL_PERIOD / (sampleRate * ACCENT_TIME_CONSTANT_S));
    }

    /** A synthesizer at {@code sampleRate} Hz, in [8000, 48000]. */
    public static SourceFilterSynthesizer of(int sampleRate) {
        if (sampleRate < 8000 || sampleRate > 48000) {
            throw new IllegalArgumentException("sampleRate is not in [8000, 48000]: " + sampleRate);
        }
        return new SourceFilterSynthesizer(sampleRate);
    }

    public int sampleRate() {
        return sampleRate;
    }

    private record Segment(int kind, int start, int length, int vowel, double accent, int fricative) {
    }

    /**
     * Synthesizes {@code numSamples} samples (at least 0.4 s) of {@code speaker}, drawing from
     * {@code rng}.
     */
    public SynthesizedUtterance synthesize(SpeakerProfile speaker, int numSamples, UniformRandomProvider rng) {
        Objects.requireNonNull(speaker, "speaker");
        Objects.requireNonNull(rng, "rng");
        if (numSamples < 0.4 * sampleRate) {
            throw new IllegalArgumentException("numSamples is not at least 0.4 s (" + (int) Math.ceil(0.4 * sampleRate)
                    + " samples at " + sampleRate + " Hz): " + numSamples);
        }
        ZigguratSampler.NormalizedGaussian gauss = ZigguratSampler.NormalizedGaussian.of(rng);
        double declination = 1 + 3 * rng.nextDouble();
        List<Segment> plan = plan(speaker, numSamples, rng, gauss);
        int[] target = vowelTargets(plan);

        double[] voiced = new double[numSamples];
        double[] fricative = new double[numSamples];
        float[] f0 = new float[numSamples];

        double nyquistCap = MAX_FORMANT_FRACTION * sampleRate;
        double[] formant = new double[4];
        for (int k = 0; k < 4; k++) {
            formant[k] = VOWELS[target[0]][k] * speaker.tractFactor();
        }
        double[] ca = new double[4];
        double[] cb = new double[4];
        double[] cc = new double[4];
        double[] y1 = new double[4];
        double[] y2 = new double[4];
        double accent = 0;
        double accentTarget = 0;
        double contourF0 = speaker.f0MedianHz();

        double phase = 0;
        double increment = 0;
        double periodF0 = 0;
        double amplitude = 0;
        double slopeScale = 0;
        double prevFlow = 0;
        boolean wasVoiced = false;
        double oq = speaker.openQuotient();

        double fa = 0;
        double fb = 0;
        double fc = 0;
        double fx1 = 0;
        double fx2 = 0;
        double fy1 = 0;
        double fy2 = 0;

        double voicedEnergy = 0;
        long voicedCount = 0;
        double fricativeEnergy = 0;

        for (int si = 0; si < plan.size(); si++) {
            Segment seg = plan.get(si);
            if (seg.kind() == VOICED) {
                accentTarget = seg.accent();
            }
            if (seg.kind() == UNVOICED) {
                double centre = Math.min(FRICATIVES[seg.fricative()][0], 0.42 * sampleRate);
                double bw = FRICATIVES[seg.fricative()][1];
                double r = StrictMath.exp(-Math.PI * bw / sampleRate);
                fb = 2 * r * StrictMath.cos(2 * Math.PI * centre / sampleRate);
                fc = -r * r;
                fa = (1 - r * r) / 2;
            }
            int ramp = Math.max(1, Math.min((int) Math.round(RAMP_S * sampleRate), seg.length() / 3));
            for (int j = 0; j < seg.length(); j++) {
                int n = seg.start() + j;
                if (n % CONTROL_PERIOD == 0) {
                    for (int k = 0; k < 4; k++) {
                        double goal = VOWELS[target[si]][k] * speaker.tractFactor();
                        formant[k] += formantAlpha * (goal - formant[k]);
                        if (formant[k] >= nyquistCap) {
                            ca[k] = 1;
                            cb[k] = 0;
                            cc[k] = 0;
                        } else {
                            double r = StrictMath.exp(-Math.PI * BANDWIDTHS[k] / sampleRate);
                            cb[k] = 2 * r * StrictMath.cos(2 * Math.PI * formant[k] / sampleRate);
                            cc[k] = -r * r;
                            ca[k] = 1 - cb[k] - cc[k];
                        }
                    }
                    accent += accentAlpha * (accentTarget - accent);
                    double semitones = declination * (0.5 - n / (double) numSamples) + accent;
                    contourF0 = speaker.f0MedianHz() * StrictMath.pow(2, semitones / 12);
                }
                double env = Math.min(1, Math.min((j + 1) / (double) ramp, (seg.length() - j) / (double) ramp));
                double excitation = 0;
                if (seg.kind() == VOICED) {
                    if (!wasVoiced) {
                        phase = 0;
                        prevFlow = 0;
                    }
                    if (!wasVoiced || phase >= 1) {
                        phase = wasVoiced ? phase - 1 : 0;
                        periodF0 = contourF0 * (1 + JITTER * gauss.sample());
                        amplitude = 1 + SHIMMER * gauss.sample();
                        increment = periodF0 / sampleRate;
                        slopeScale = 6.75 * increment / oq;
                    }
                    wasVoiced = true;
                    double x = phase / oq;
                    double flow = x < 1 ? 6.75 * x * x * (1 - x) : 0;
                    excitation = (flow - prevFlow) * amplitude * env;
                    excitation += speaker.breathiness() * slopeScale * flow * gauss.sample() * env;
                    prevFlow = flow;
                    f0[n] = (float) periodF0;
                    phase += increment;
                } else {
                    wasVoiced = false;
                }
                double s = excitation;
                for (int k = 0; k < 4; k++) {
                    double y = ca[k] * s + cb[k] * y1[k] + cc[k] * y2[k];
                    y2[k] = y1[k];
                    y1[k] = y;
                    s = y;
                }
                voiced[n] = s;
                if (seg.kind() == VOICED) {
                    voicedEnergy += s * s;
                    voicedCount++;
                }
                if (seg.kind() == UNVOICED) {
                    double noise = gauss.sample() * env;
                    double y = fa * (noise - fx2) + fb * fy1 + fc * fy2;
                    fx2 = fx1;
                    fx1 = noise;
                    fy2 = fy1;
                    fy1 = y;
                    fricative[n] = y;
                    fricativeEnergy += y * y;
                }
            }
        }
        return finish(voiced, fricative, f0, voicedEnergy, voicedCount, fricativeEnergy, plan);
    }

    private SynthesizedUtterance finish(double[] voiced, double[] fricative, float[] f0, double voicedEnergy,
                                        long voicedCount, double fricativeEnergy, List<Segment> plan) {
        int n = voiced.length;
        long fricativeCount = 0;
        for (Segment s : plan) {
            if (s.kind() == UNVOICED) {
                fricativeCount += s.length();
            }
        }
        double voicedRms = Math.sqrt(voicedEnergy / Math.max(1, voicedCount));
        double fricativeRms = Math.sqrt(fricativeEnergy / Math.max(1, fricativeCount));
        double fricativeGain = fricativeRms > 0 ? FRICATIVE_LEVEL * voicedRms / fricativeRms : 0;
        double[] y = new double[n];
        double energy = 0;
        double peak = 0;
        int fade = (int) Math.round(FADE_OUT_S * sampleRate);
        for (int i = 0; i < n; i++) {
            double v = voiced[i] + fricativeGain * fricative[i];
            if (i >= n - fade) {
                v *= (n - i) / (double) (fade + 1);
            }
            y[i] = v;
            energy += v * v;
            peak = Math.max(peak, Math.abs(v));
        }
        double rms = Math.sqrt(energy / n);
        double scale = TARGET_RMS / rms;
        if (peak * scale > PEAK_LIMIT) {
            scale = PEAK_LIMIT / peak;
        }
        float[] out = new float[n];
        for (int i = 0; i < n; i++) {
            out[i] = (float) (y[i] * scale);
        }
        double[] frames = referenceFrames(f0, plan);
        if (frames.length == 0) {
            throw new IllegalStateException("no voiced frame in a " + n + "-sample utterance");
        }
        Arrays.sort(frames);
        int count = frames.length;
        double median = (count & 1) == 1 ? frames[count / 2] : (frames[count / 2 - 1] + frames[count / 2]) / 2;
        return new SynthesizedUtterance(out, median, count);
    }

    /**
     * The f0 of each reference frame, the frames {@code f0MedianHz} is the median of. Frame
     * {@code k} is the {@value #REFERENCE_WINDOW_S} s window starting at sample {@code k} times
     * the {@value #REFERENCE_HOP_S} s hop (the default pitch tracker's framing), and it counts
     * when the window fits in the utterance and its centre lies in a voiced segment: such a window
     * is at least half periodic voice (the rest is silence, a fricative or the next vowel's onset),
     * which is what a pitch tracker calls voiced. Its f0 is the reciprocal of the mean glottal
     * period over the part of the window inside that segment (the harmonic mean of the per-sample
     * f0 there, jitter included), which is what a tracker measures. If no frame counts, every
     * frame whose centre sample is voiced does, with the f0 at that sample.
     */
    private double[] referenceFrames(float[] f0, List<Segment> plan) {
        int n = f0.length;
        int hop = (int) Math.round(REFERENCE_HOP_S * sampleRate);
        int window = (int) Math.round(REFERENCE_WINDOW_S * sampleRate);
        double[] out = new double[n / hop + 1];
        int count = 0;
        for (Segment seg : plan) {
            if (seg.kind() != VOICED) {
                continue;
            }
            int end = seg.start() + seg.length();
            int first = Math.max(0, seg.start() - window / 2 + hop - 1) / hop * hop;
            for (int start = first; start + window / 2 < end && start + window <= n; start += hop) {
                double periods = 0;
                int lo = Math.max(start, seg.start());
                int hi = Math.min(start + window, end);
                for (int i = lo; i < hi; i++) {
                    periods += 1.0 / f0[i];
                }
                out[count++] = (hi - lo) / periods;
            }
        }
        if (count == 0) {
            for (int c = window / 2; c < n; c += hop) {
                if (f0[c] > 0) {
                    out[count++] = f0[c];
                }
            }
        }
        return Arrays.copyOf(out, count);
    }

    private List<Segment> plan(SpeakerProfile speaker, int n, UniformRandomProvider rng,
                               ZigguratSampler.NormalizedGaussian gauss) {
        List<Segment> plan = new ArrayList<>();
        int pos = add(plan, SILENCE, 0, samples(0.05, 0.2, 1, rng), 0, 0, 0, n);
        boolean first = true;
        while (pos < n) {
            if (!first && rng.nextDouble() < 0.12) {
                pos = add(plan, SILENCE, pos, samples(0.08, 0.3, 1, rng), 0, 0, 0, n);
            }
            if (rng.nextDouble() < 0.45) {
                int len = samples(0.04, 0.12, speaker.speakingRate(), rng);
                pos = add(plan, UNVOICED, pos, len, 0, 0, rng.nextInt(FRICATIVES.length), n);
            }
            int len = samples(0.08, 0.25, speaker.speakingRate(), rng);
            int vowel = rng.nextInt(VOWELS.length);
            double accent = gauss.sample() * speaker.f0SpreadSemitones();
            pos = add(plan, VOICED, pos, len, vowel, accent, 0, n);
            first = false;
        }
        return plan;
    }

    private int samples(double lo, double hi, double rate, UniformRandomProvider rng) {
        return Math.max(1, (int) Math.round((lo + (hi - lo) * rng.nextDouble()) / rate * sampleRate));
    }

    private static int add(List<Segment> plan, int kind, int pos, int len, int vowel, double accent, int fricative,
                           int n) {
        int length = Math.min(len, n - pos);
        if (length > 0) {
            plan.add(new Segment(kind, pos, length, vowel, accent, fricative));
        }
        return pos + Math.max(length, 0);
    }

    /** The vowel each segment's formants move towards: its own, else the next vowel's, else the last one's. */
    private static int[] vowelTargets(List<Segment> plan) {
        int[] target = new int[plan.size()];
        int next = -1;
        for (int i = plan.size() - 1; i >= 0; i--) {
            if (plan.get(i).kind() == VOICED) {
                next = plan.get(i).vowel();
            }
            target[i] = next;
        }
        int last = 0;
        for (int i = 0; i < plan.size(); i++) {
            if (target[i] < 0) {
                target[i] = last;
            } else if (plan.get(i).kind() == VOICED) {
                last = plan.get(i).vowel();
            }
        }
        return target;
    }
}
