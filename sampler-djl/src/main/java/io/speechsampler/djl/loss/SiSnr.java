package io.speechsampler.djl.loss;

import ai.djl.ndarray.NDArray;
import io.speechsampler.djl.ndarray.Scalars;

/**
 * Scale-invariant SNR in dB over the last axis, as Asteroid and SpeechBrain compute it (eps
 * 1e-8): both signals zero-mean; {@code alpha = <est,ref>/(|ref|^2+eps)}, {@code target =
 * alpha*ref}, {@code e = est - target}, {@code SI-SNR = 10 log10(|target|^2/(|e|^2+eps) + eps)}.
 * A silent reference gives target 0 and so {@code 10 log10(eps) = -80 dB} whatever the estimate.
 */
public final class SiSnr {

    /** The eps of the formula. */
    public static final float EPS = 1e-8f;

    private SiSnr() {
    }

    /** SI-SNR in dB of {@code est} against {@code ref} (same shape, or broadcastable), over the last axis. */
    public static NDArray of(NDArray est, NDArray ref) {
        int last = est.getShape().dimension() - 1;
        NDArray e0 = est.sub(est.mean(new int[] {last}, true));
        NDArray r0 = ref.sub(ref.mean(new int[] {last}, true));
        NDArray dot = e0.mul(r0).sum(new int[] {last}, true);
        NDArray alpha = dot.div(Scalars.add(r0.square().sum(new int[] {last}, true), EPS));
        NDArray target = r0.mul(alpha);
        NDArray noise = e0.sub(target);
        NDArray noisePower = Scalars.add(noise.square().sum(new int[] {last}), EPS);
        NDArray ratio = target.square().sum(new int[] {last}).div(noisePower);
        return Scalars.mul(Scalars.add(ratio, EPS).log10(), 10f);
    }

    /**
     * SI-SNR of plain arrays in dB: the metrics module's value
     * ({@link io.speechsampler.audio.metrics.SiSnr#siSnr}), so losses and metrics agree.
     */
    public static double of(float[] est, float[] ref) {
        return io.speechsampler.audio.metrics.SiSnr.siSnr(est, ref);
    }
}
