package io.speechsampler.core.weighting;

import io.speechsampler.api.config.ParamSpec;
import io.speechsampler.api.config.Params;
import io.speechsampler.api.draw.Draw;
import io.speechsampler.api.spi.BuildContext;
import io.speechsampler.api.spi.LossWeighting;
import io.speechsampler.api.spi.LossWeightingProvider;
import java.util.Arrays;
import java.util.List;

/** Every sample weighs 1: the batch loss is the plain mean. */
public final class UniformWeighting implements LossWeighting {

    private static final UniformWeighting INSTANCE = new UniformWeighting();

    private UniformWeighting() {
    }

    public static LossWeighting of() {
        return INSTANCE;
    }

    @Override
    public double[] weights(List<Draw> draws, double[] losses, double[] metrics) {
        double[] w = new double[losses.length];
        Arrays.fill(w, 1.0);
        return w;
    }

    /** {@code uniform}: no parameters. */
    public static final class Provider implements LossWeightingProvider {
        @Override
        public String name() {
            return "uniform";
        }

        @Override
        public String description() {
            return "mean of the per-sample losses";
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
