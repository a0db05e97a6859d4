package io.speechsampler.api.spi;

import io.speechsampler.api.draw.Draw;
import java.util.List;

/**
 * Extension point "how much each draw counts": turns a batch's per-sample losses into
 * non-negative weights; the loop reduces with {@code sum(w * l) / sum(w)}. Weights are
 * constants (no gradient flows through them).
 */
public interface LossWeighting extends Stateful {

    /**
     * @param draws   the batch's draws
     * @param losses  per-sample losses, lower is better
     * @param metrics per-sample metrics (may hold NaN)
     * @return one weight per sample, each finite and at least 0
     */
    double[] weights(List<Draw> draws, double[] losses, double[] metrics);

    /**
     * The weighting applied to a whole set (e.g. validation) as one number for model selection:
     * {@code sum(w * l) / sum(w)}, or NaN when every weight is 0.
     */
    default double reduce(List<Draw> draws, double[] losses, double[] metrics) {
        double[] w = weights(draws, losses, metrics);
        double num = 0;
        double den = 0;
        for (int i = 0; i < w.length; i++) {
            num += w[i] * losses[i];
            den += w[i];
        }
        return den == 0 ? Double.NaN : num / den;
    }
}
