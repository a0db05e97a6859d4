package io.speechsampler.djl.plugins;

import io.speechsampler.api.config.ParamSpec;
import io.speechsampler.api.config.Params;
import io.speechsampler.djl.spi.Network;
import io.speechsampler.djl.spi.RenderSpec;
import io.speechsampler.djl.spi.TaskContext;
import io.speechsampler.djl.spi.TaskProvider;
import io.speechsampler.djl.train.Task;
import java.util.List;

/** {@code extraction}: target speaker extraction, negative SI-SNR of the one output; metric SI-SNRi. */
public final class ExtractionTask implements TaskProvider {

    @Override
    public String name() {
        return "extraction";
    }

    @Override
    public String description() {
        return "target speaker extraction: negative SI-SNR of the estimate against the target source, given an "
                + "enrolment utterance of the target speaker; metric SI-SNRi in dB";
    }

    @Override
    public List<ParamSpec> parameters() {
        return List.of();
    }

    @Override
    public Setup create(Params params, TaskContext context) {
        Network n = Tasks.require(context, Network.Signature.EXTRACTOR, name());
        long enrol = n.initShapes()[1].get(1);
        return new Setup(Task.extraction(), RenderSpec.extraction((int) enrol));
    }
}
