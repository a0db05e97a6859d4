package io.speechsampler.djl.train;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Parameter;
import ai.djl.training.optimizer.Optimizer;
import ai.djl.util.Pair;
import ai.djl.util.PairList;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.HashMap;
import java.util.Map;

/**
 * Adam (Kingma and Ba 2015) with the same update as DJL's {@code Adam} (the engine's fused
 * {@code adamUpdate}, bias correction folded into the rate), whose moments and step counts can
 * be saved and restored: DJL's own Adam keeps them private, so a resumed run would restart the
 * moments. State is written by parameter name, since DJL's parameter ids are random per process.
 */
public final class StatefulAdam extends Optimizer {

    private static final int FORMAT = 1;

    private float lr;
    private final float beta1 = 0.9f;
    private final float beta2 = 0.999f;
    private final float epsilon = 1e-8f;
    private final Map<String, NDArray> means = new HashMap<>();
    private final Map<String, NDArray> variances = new HashMap<>();
    private final Map<String, Integer> counts = new HashMap<>();

    private StatefulAdam(float lr) {
        super(new NoOptions());
        this.lr = lr;
    }

    /** Adam with betas 0.9, 0.999, eps 1e-8 and no weight decay. */
    public static StatefulAdam of(double lr) {
        if (!(lr > 0)) {
            throw new IllegalArgumentException("learning rate is not above 0: " + lr);
        }
        return new StatefulAdam((float) lr);
    }

    /**
     * The rate of the next updates (a schedule's rate of this step); the moments are unchanged,
     * as with PyTorch's schedulers, which set the optimizer's {@code lr} between steps.
     */
    public void setLearningRate(double rate) {
        if (!(rate >= 0) || Double.isInfinite(rate)) {
            throw new IllegalArgumentException("learning rate is not a finite number at least 0: " + rate);
        }
        this.lr = (float) rate;
    }

    /** The rate of the next updates. */
    public double learningRate() {
        return lr;
    }

    @Override
    public void update(String parameterId, NDArray weight, NDArray grad) {
        int t = counts.merge(parameterId, 1, Integer::sum);
        double coef1 = 1.0 - Math.pow(beta1, t);
        double coef2 = 1.0 - Math.pow(beta2, t);
        float corrected = (float) (lr * Math.sqrt(coef2) / coef1);
        NDArray m = means.computeIfAbsent(parameterId, k -> weight.zerosLike());
        NDArray v = variances.computeIfAbsent(parameterId, k -> weight.zerosLike());
        weight.getNDArrayInternal().adamUpdate(new NDList(weight, grad, m, v), new NDList(weight), lr, corrected, 0f,
                rescaleGrad, clipGrad, beta1, beta2, epsilon, true, false);
    }

    /** DJL's base options at their defaults: no rescaling, no element-wise clipping, no decay. */
    private static final class NoOptions extends OptimizerBuilder<NoOptions> {
        @Override
        protected NoOptions self() {
            return this;
        }
    }

    /** Writes moments and counts of the parameters that have had an update, by name. */
    public void save(DataOutputStream out, PairList<String, Parameter> parameters) throws IOException {
        out.writeInt(FORMAT);
        int n = 0;
        for (Pair<String, Parameter> p : parameters) {
            if (counts.containsKey(p.getValue().getId())) {
                n++;
            }
        }
        out.writeInt(n);
        for (Pair<String, Parameter> p : parameters) {
            String id = p.getValue().getId();
            if (!counts.containsKey(id)) {
                continue;
            }
            out.writeUTF(p.getKey());
            out.writeInt(counts.get(id));
            writeArray(out, means.get(id));
            writeArray(out, variances.get(id));
        }
    }

    /**
     * Replaces the state with a saved one.
     *
     * @throws IOException when the stream is not a state of this format, ends early (an
     *                     {@link java.io.EOFException}), has bytes after the state, or names a
     *                     parameter the model does not have
     */
    public void loadState(DataInputStream in, PairList<String, Parameter> parameters, NDManager manager, Device device)
            throws IOException {
        int format = in.readInt();
        if (format != FORMAT) {
            throw new IOException("optimizer state format " + format + " is not " + FORMAT);
        }
        Map<String, String> idByName = new HashMap<>();
        for (Pair<String, Parameter> p : parameters) {
            idByName.put(p.getKey(), p.getValue().getId());
        }
        means.values().forEach(NDArray::close);
        variances.values().forEach(NDArray::close);
        means.clear();
        variances.clear();
        counts.clear();
        int n = in.readInt();
        for (int i = 0; i < n; i++) {
            String name = in.readUTF();
            String id = idByName.get(name);
            if (id == null) {
                throw new IOException("optimizer state names parameter '" + name + "', which the model does not have");
            }
            counts.put(id, in.readInt());
            means.put(id, readArray(in, manager, device));
            variances.put(id, readArray(in, manager, device));
        }
        if (in.read() != -1) {
            throw new IOException("optimizer state has bytes after its " + n + " parameters");
        }
    }

    private static void writeArray(DataOutputStream out, NDArray a) throws IOException {
        byte[] bytes = a.encode();
        out.writeInt(bytes.length);
        out.write(bytes);
    }

    private static NDArray readArray(DataInputStream in, NDManager manager, Device device) throws IOException {
        int length = in.readInt();
        // a damaged length fails here rather than allocating it (on a file stream, available() is what is left)
        if (length < 0 || length > in.available()) {
            throw new java.io.EOFException("an array of " + length + " bytes, but " + in.available() + " are left");
        }
        byte[] bytes = new byte[length];
        in.readFully(bytes);
        NDArray a = manager.decode(bytes);
        if (a.getDevice().equals(device)) {
            return a;
        }
        NDArray moved = a.toDevice(device, true);
        a.close();
        return moved;
    }
}
