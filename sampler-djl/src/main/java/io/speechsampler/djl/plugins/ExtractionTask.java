package io.speechsampler.djl.plugins;

import io.speechsampler.api.config.ParamSpec;
import io.speechsampler.api.config.Params;
import io.speechsampler.api.corpus.Corpus;
import io.speechsampler.djl.model.SpeakerClassifierBlock;
import io.speechsampler.djl.spi.Network;
import io.speechsampler.djl.spi.RenderSpec;
import io.speechsampler.djl.spi.TaskContext;
import io.speechsampler.djl.spi.TaskProvider;
import io.speechsampler.djl.train.Task;
import java.util.List;

/**
 * {@code extraction}: target speaker extraction, negative SI-SNR of the one output; metric SI-SNRi.
 * With {@code speaker_loss_weight} above 0, SpEx+'s auxiliary loss (Ge et al., Interspeech 2020):
 * a linear classifier from the network's speaker embedding to the training corpus's speakers
 * ({@link SpeakerClassifierBlock}), whose cross-entropy against the enrolment's speaker, times the
 * weight, is added to each training sample's loss (SpEx+ weighs it 0.5).
 */
public final class ExtractionTask implements TaskProvider {

    @Override
    public String name() {
        return "extraction";
    }

    @Override
    public String description() {
        return "target speaker extraction: negative SI-SNR of the estimate against the target source, given an "
                + "enrolment utterance of the target speaker, plus speaker_loss_weight times the cross-entropy of a "
                + "speaker classifier on the enrolment embedding (SpEx+) in training steps; metric SI-SNRi in dB";
    }

    @Override
    public List<ParamSpec> parameters() {
        return List.of(ParamSpec.real("speaker_loss_weight", "weight of the auxiliary speaker-classification "
                + "cross-entropy on the enrolment embedding, added to the negative SI-SNR in training (SpEx+: 0.5); 0 "
                + "for none").min(0).max(100).defaultsTo(0.0));
    }

    @Override
    public Setup create(Params params, TaskContext context) {
        Network n = Tasks.require(context, Network.Signature.EXTRACTOR, name());
        RenderSpec render = RenderSpec.extraction((int) n.initShapes()[1].get(1));
        double weight = params.getDouble("speaker_loss_weight");
        if (weight == 0) {
            return new Setup(Task.extraction(), render);
        }
        Corpus corpus = context.corpus();
        Task task = Task.extraction(weight, id -> {
            if (corpus == null) {
                throw new IllegalStateException("no corpus: speaker classes are unknown when loading a model");
            }
            return corpus.speakerOf(corpus.indexOf(id).orElseThrow(() -> new IllegalArgumentException(
                    "enrolment '" + id + "' is not in the corpus " + corpus.source())));
        });
        return new Setup(task, render, SpeakerClassifierBlock.wrap(n.block(), Math.max(1, n.classes())));
    }
}
