package io.speechsampler.djl.plugins;

import io.speechsampler.api.config.ParamSpec;
import io.speechsampler.api.config.Params;
import io.speechsampler.djl.spi.Network;
import io.speechsampler.djl.spi.RenderSpec;
import io.speechsampler.djl.spi.TaskContext;
import io.speechsampler.djl.spi.TaskProvider;
import io.speechsampler.djl.train.Task;
import java.util.List;

/**
 * {@code mixit}: mixture invariant training (Wisdom et al. 2020). A draw's two sources are the
 * two reference mixtures; the input is their sum; the loss is the best assignment of the M
 * outputs to the two mixtures (2^M assignments, M <= 8).
 */
public final class MixItTask implements TaskProvider {

    @Override
    public String name() {
        return "mixit";
    }

    @Override
    public String description() {
        return "mixture invariant training: the M outputs (2 <= M <= 8) remixed into the two reference mixtures "
                + "under the best of 2^M assignments, negative SNR with a soft threshold; no metric";
    }

    @Override
    public List<ParamSpec> parameters() {
        // Off by default: from a randomly initialised Conv-TasNet the projected estimates differ from
        // x / M by far more than x, so the trivial assignment (every output to one mixture, which
        // remixes to exactly the input and has zero gradient) wins for every sample, and no step
        // updates (measured on the built-in corpus: both first steps had zero gradient). Turn it on
        // after a warm-up phase, or from a trained separator.
        return List.of(ParamSpec.bool("mixture_consistency", "project the estimates to sum to the input mixture "
                + "first (Wisdom et al. 2019), as the authors' teacher; needs a warmed-up model").defaultsTo(false));
    }

    @Override
    public Setup create(Params params, TaskContext context) {
        Network n = Tasks.require(context, Network.Signature.SEPARATOR, name());
        if (n.outputs() < 2) {
            throw context.origin().error("model.sources", "task 'mixit' needs at least 2 outputs (M, typically 4), "
                    + "'model.sources' is " + n.outputs());
        }
        return new Setup(Task.mixit(n.outputs(), params.getBoolean("mixture_consistency")), RenderSpec.mixtures(2));
    }
}
