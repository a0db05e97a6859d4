package io.speechsampler.djl.ndarray;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.types.Shape;

/**
 * Arithmetic of an array with a constant through an engine-owned 0-d array, for code that builds
 * autograd graphs: never {@code x.mul(10f)}, always {@code Scalars.mul(x, 10f)} (see the package
 * documentation for the use-after-free this avoids). The constant is created in {@code x}'s
 * manager, with its data type and on its device, so it lives exactly as long as the batch's
 * other temporaries; {@code x} must therefore be a batch array, never a parameter (whose manager
 * is the model's). Values are those of the {@code NDArray} op with a Java number.
 */
public final class Scalars {

    private Scalars() {
    }

    /** A 0-d array of {@code value} with {@code like}'s data type and device, in its manager. */
    public static NDArray of(NDArray like, float value) {
        NDArray s = like.getManager().full(new Shape(), value, like.getDataType());
        return s.getDevice().equals(like.getDevice()) ? s : s.toDevice(like.getDevice(), false);
    }

    public static NDArray add(NDArray x, float value) {
        return x.add(of(x, value));
    }

    public static NDArray sub(NDArray x, float value) {
        return x.sub(of(x, value));
    }

    public static NDArray mul(NDArray x, float value) {
        return x.mul(of(x, value));
    }

    public static NDArray div(NDArray x, float value) {
        return x.div(of(x, value));
    }

    public static NDArray pow(NDArray x, float value) {
        return x.pow(of(x, value));
    }

    public static NDArray maximum(NDArray x, float value) {
        return x.maximum(of(x, value));
    }

    public static NDArray minimum(NDArray x, float value) {
        return x.minimum(of(x, value));
    }

    /** Boolean {@code x > value}. */
    public static NDArray gt(NDArray x, float value) {
        return x.gt(of(x, value));
    }

    /** Boolean {@code x < value}. */
    public static NDArray lt(NDArray x, float value) {
        return x.lt(of(x, value));
    }

    /**
     * {@code x.clip(min, max)} with the same values and gradient (1 inside {@code [min, max]},
     * bounds included, 0 outside) and NaN kept: DJL's {@code clip} has no array overload, so it
     * is written with {@code where} (whose first branch must have the condition's shape).
     */
    public static NDArray clip(NDArray x, float min, float max) {
        NDArray upper = NDArrays.where(gt(x, max).logicalNot(), x, of(x, max));
        return NDArrays.where(lt(upper, min).logicalNot(), upper, of(x, min));
    }
}
