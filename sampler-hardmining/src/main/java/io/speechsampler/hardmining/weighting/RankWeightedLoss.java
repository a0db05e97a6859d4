package io.speechsampler.hardmining.weighting;

import io.speechsampler.api.config.ParamSpec;
import io.speechsampler.api.config.Params;
import io.speechsampler.api.draw.Draw;
import io.speechsampler.api.spi.BuildContext;
import io.speechsampler.api.spi.LossWeighting;
import io.speechsampler.api.spi.LossWeightingProvider;
import java.util.Arrays;
import java.util.List;

/**
 * Rank-weighted loss, the weighted SI-SNR of Wang et al., "Mining hard samples locally and
 * globally for improved speech separation", ICASSP 2022, section 3, eqs. (3)-(4):
 * {@code wSI-SNR = sum_i w_i l_i} with SI-SNR sorted in descending order and
 * {@code w_i = i / sum_{j=1..B} j}. On losses ({@code -SI-SNR}, lower is better) that is: sort
 * ascending (best first), the sample of rank {@code i = 1..B} weighs {@code 2 i / (B (B + 1))};
 * the worst weighs {@code 2 / (B + 1)}, the best {@code 2 / (B (B + 1))}. Equal losses are ranked
 * by index, the lower index counting as better. The weights sum to 1, so the SPI's
 * {@code sum(w l) / sum(w)} is the paper's {@code sum(w_i l_i)}; applied to a whole validation
 * set, {@link #reduce} is the paper's weighted validation loss. Weights depend on the losses
 * alone (not the draws or metrics), are constants for the gradient, and use no randomness.
 */
public final class RankWeightedLoss implements LossWeighting {

    private static final RankWeightedLoss INSTANCE = new RankWeightedLoss();

    private RankWeightedLoss() {
    }

    public static LossWeighting of() {
        return INSTANCE;
    }

    /**
     * @throws IllegalArgumentException when a loss is NaN or infinite, naming its index
     */
    @Override
    public double[] weights(List<Draw> draws, double[] losses, double[] metrics) {
        int b = losses.length;
        for (int i = 0; i < b; i++) {
            if (!Double.isFinite(losses[i])) {
                throw new IllegalArgumentException("loss " + i + " is not finite: " + losses[i]);
            }
        }
        Integer[] order = new Integer[b];
        for (int i = 0; i < b; i++) {
            order[i] = i;
        }
        Arrays.sort(order, (x, y) -> {
            int c = Double.compare(losses[x], losses[y]);
            return c != 0 ? c : Integer.compare(x, y);
        });
        double total = b * (b + 1.0) / 2.0;
        double[] w = new double[b];
        for (int rank = 1; rank <= b; rank++) {
            w[order[rank - 1]] = rank / total;
        }
        return w;
    }

    /** {@code rank-weighted}: no parameters. */
    public static final class Provider implements LossWeightingProvider {
        @Override
        public String name() {
            return "rank-weighted";
        }

        @Override
        public String description() {
            return "wSI-SNR (Wang et al. 2022): the i-th best of B samples weighs i / (B (B + 1) / 2), so the worst counts most";
        }

        @Override
        public List<ParamSpec> parameters() {
            return List.of();
        }

        @Override
        public LossWeighting create(Params params, BuildContext context) {
            return of();
        }
    }
}
