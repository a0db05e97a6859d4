package io.speechsampler.djl.plugins;

import io.speechsampler.api.config.ParamSpec;
import io.speechsampler.api.config.Params;
import io.speechsampler.djl.spi.Network;
import io.speechsampler.djl.spi.RenderSpec;
import io.speechsampler.djl.spi.TaskContext;
import io.speechsampler.djl.spi.TaskProvider;
import io.speechsampler.djl.train.Task;
import java.util.List;

/** {@code separation}: negative SI-SNR under the best permutation (PIT) of 1-4 outputs; metric SI-SNRi. */
public final class SeparationTask implements TaskProvider {

    /** Most outputs PIT enumerates (4! = 24 permutations). */
    static final int MAX_OUTPUTS = 4;

    @Override
    public String name() {
        return "separation";
    }

    @Override
    public String description() {
        return "permutation invariant training: negative SI-SNR of the best assignment of the S outputs to the "
                + "S sources (S <= 4); metric SI-SNRi in dB";
    }

    @Override
    public List<ParamSpec> parameters() {
        return List.of();
    }

    @Override
    public Setup create(Params params, TaskContext context) {
        Network n = Tasks.require(context, Network.Signature.SEPARATOR, name());
        if (n.outputs() > MAX_OUTPUTS) {
            throw context.origin().error("model.sources", "task 'separation' trains 1 to " + MAX_OUTPUTS
                    + " outputs, 'model.sources' is " + n.outputs() + " (more outputs than speakers: task 'mixit')");
        }
        return new Setup(Task.separation(n.outputs()), RenderSpec.mixtures(n.outputs()));
    }
}
