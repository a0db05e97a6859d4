package io.speechsampler.djl.plugins;

import io.speechsampler.api.config.ParamSpec;
import io.speechsampler.api.config.Params;
import io.speechsampler.djl.model.CosineScaleBlock;
import io.speechsampler.djl.spi.Network;
import io.speechsampler.djl.spi.RenderSpec;
import io.speechsampler.djl.spi.TaskContext;
import io.speechsampler.djl.spi.TaskProvider;
import io.speechsampler.djl.train.Task;
import java.util.List;

/**
 * {@code contrastive}: self-supervised speaker embeddings from two crops of each utterance, no
 * labels used (loss-gated learning's stage 1, Tao et al. 2022): the angular prototypical loss of
 * Chung et al. 2020 on a classifier network's embedding output, with a learnable scale and bias
 * (initialised 10 and -5, as the authors). The network is trained inside a
 * {@link CosineScaleBlock}, which holds the scale and bias as parameters of the model; its class
 * scores are computed and not trained. Needs the {@code two-view} sampler.
 */
public final class ContrastiveTask implements TaskProvider {

    @Override
    public String name() {
        return "contrastive";
    }

    @Override
    public String description() {
        return "two views of each utterance: angular prototypical loss (Chung et al. 2020), cross-entropy of w cos + b "
                + "between first and second views' embeddings with the matching pair as target, learnable w and b; "
                + "metric: the matching pair scores highest";
    }

    @Override
    public List<ParamSpec> parameters() {
        return List.of(
                ParamSpec.real("init_w", "initial scale w of the cosines (kept >= 1e-6 while training)").min(1e-3)
                        .max(1e3).defaultsTo(10.0),
                ParamSpec.real("init_b", "initial bias b of the scaled cosines").min(-1e3).max(1e3).defaultsTo(-5.0));
    }

    @Override
    public Setup create(Params params, TaskContext context) {
        Network n = Tasks.require(context, Network.Signature.CLASSIFIER, name());
        CosineScaleBlock block = CosineScaleBlock.wrap(n.block(), params.getDouble("init_w"),
                params.getDouble("init_b"));
        return new Setup(Task.contrastive(), RenderSpec.twoViews((int) n.initShapes()[0].get(1)), block);
    }
}
