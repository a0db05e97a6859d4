package io.speechsampler.djl.train;

import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import io.speechsampler.api.corpus.Corpus;
import io.speechsampler.api.corpus.Labels;
import io.speechsampler.api.draw.Batch;
import io.speechsampler.api.spi.ModelAccess;
import io.speechsampler.djl.model.ClassifierHead;
import java.util.BitSet;

/**
 * What the loop trains for: how a rendered batch becomes model inputs, and how model outputs
 * become per-sample losses and metrics. Built by the static factories.
 */
public interface Task extends AutoCloseable {

    /** Model inputs for a rendered batch, created in {@code manager}. */
    NDList inputs(NDManager manager, RenderedBatch rendered);

    /**
     * Model inputs for a training step under the class mask {@code live} (null for none), which
     * {@link #evaluate} of the same step then gets: a classification task adds the live classes'
     * indices so that the network computes their rows of the class layer only. By default the
     * inputs without a mask.
     */
    default NDList inputs(NDManager manager, RenderedBatch rendered, BitSet live) {
        return inputs(manager, rendered);
    }

    /**
     * Per-sample losses and metrics.
     *
     * @param outputs  the model's outputs
     * @param batch    the pipeline batch (draws, epoch, step)
     * @param rendered its audio
     * @param live     live classes from the pipeline's class mask, or null for all
     * @param training true for a training step (margins apply), false for validation
     */
    PerSample evaluate(NDList outputs, Batch batch, RenderedBatch rendered, BitSet live, boolean training);

    /**
     * Rows of a model-in-the-loop output ({@link ModelAccess}) from the model's inference outputs
     * for a batch, one row per sample.
     *
     * @throws io.speechsampler.api.config.ConfigException when the task's model has no such output
     */
    default float[][] infer(NDList outputs, ModelAccess.Output output) {
        throw new io.speechsampler.api.config.ConfigException("this task's model gives no " + output.name()
                .toLowerCase(java.util.Locale.ROOT) + " to the model in the loop");
    }

    /** Releases what the task holds (a frozen teacher); the loop calls it when it closes. */
    @Override
    default void close() {
    }

    /** Whether the task uses a class mask (classification). */
    default boolean usesMask() {
        return false;
    }

    /**
     * The classes a class mask covers (the network's class rows: the corpus's speakers or a label
     * file's labels), or 0 when the task does not know them (the loop then takes the corpus's
     * speakers).
     */
    default int classes() {
        return 0;
    }

    /** Negative SI-SNR with PIT over {@code sources} outputs; metric SI-SNRi (dB). */
    static Task separation(int sources) {
        return Tasks.separation(sources);
    }

    /**
     * PIT of {@code outputs} estimates against a frozen teacher's {@code outputs} estimates of
     * largest RMS (teacher-student MixIT); metric SI-SNRi against the true sources when known.
     *
     * @param teacher     the teacher's initialised block (frozen: no gradient reaches it)
     * @param owner       closed with the task (the teacher's model), or null
     * @param consistency project the teacher's estimates to sum to the mixture first
     */
    static Task teacherStudent(ai.djl.nn.Block teacher, AutoCloseable owner, int outputs, boolean consistency) {
        return new TeacherStudent(teacher, owner, outputs, consistency);
    }

    /** Target speaker extraction: negative SI-SNR of the one output; metric SI-SNRi (dB). */
    static Task extraction() {
        return Tasks.extraction();
    }

    /**
     * Target speaker extraction with SpEx+'s auxiliary speaker-classification loss (Ge et al.
     * 2020): in training steps each sample's loss is its negative SI-SNR plus
     * {@code speakerLossWeight} times the cross-entropy of the speaker logits (the model's output 2,
     * as {@link io.speechsampler.djl.model.SpeakerClassifierBlock} gives them) against the class of
     * the enrolment's speaker; validation and evaluation score the negative SI-SNR alone.
     *
     * @param speakerLossWeight the cross-entropy's weight (SpEx+: 0.5), positive
     * @param speakerOf         the class index of an utterance id's speaker
     */
    static Task extraction(double speakerLossWeight, java.util.function.ToIntFunction<String> speakerOf) {
        return Tasks.extraction(speakerLossWeight, speakerOf);
    }

    /** MixIT over {@code outputs} estimates against the two mixtures in {@code sources}; no metric. */
    static Task mixit(int outputs) {
        return Tasks.mixit(outputs, false);
    }

    /**
     * MixIT over {@code outputs} estimates; with {@code consistency} the estimates are first
     * projected to sum to the input mixture (Wisdom et al. 2019), as the authors' teacher does.
     */
    static Task mixit(int outputs, boolean consistency) {
        return Tasks.mixit(outputs, consistency);
    }

    /** Speaker classification of item draws; metric: probability of the true class. */
    static Task classification(ClassifierHead head, Corpus corpus) {
        return Tasks.classification(head, id -> corpus.speakerOf(corpus.indexOf(id).orElseThrow(() ->
                new IllegalArgumentException("draw '" + id + "' is not in the corpus " + corpus.source()))),
                corpus.numSpeakers());
    }

    /**
     * Classification with the classes of a label file (pseudo-labels) of {@code corpus}'s
     * utterances; a draw the file does not label is refused with a message naming the file.
     */
    static Task classification(ClassifierHead head, Labels labels, Corpus corpus) {
        return Tasks.classification(head, id -> labels.require(corpus, id), labels.size());
    }

    /** Classification with labels from {@code labelOf} (utterance id to class index, e.g. pseudo-labels). */
    static Task classification(ClassifierHead head, java.util.function.ToIntFunction<String> labelOf) {
        return Tasks.classification(head, labelOf, 0);
    }

    /**
     * Contrastive training on two-view draws: the angular prototypical loss
     * ({@link io.speechsampler.djl.loss.AngularPrototypicalLoss}) between the first and second
     * views' embeddings (the classifier's output 1), with the scale and bias the model's outputs 2
     * and 3 carry ({@link io.speechsampler.djl.model.CosineScaleBlock}); one loss per draw (its
     * row); metric 1 when the row's largest logit is its own second view, else 0 (NaN for a batch
     * of one draw, which has no negatives).
     */
    static Task contrastive() {
        return Tasks.contrastive();
    }
}
