package io.speechsampler.djl.spi;

import io.speechsampler.api.config.ConfigOrigin;
import io.speechsampler.api.corpus.Corpus;
import io.speechsampler.api.corpus.Labels;

/**
 * What a task is built against.
 *
 * @param network    the network it trains
 * @param corpus     the training corpus (labels), or null when a trained model is loaded for inference
 * @param sampleRate the corpus's sample rate (Hz)
 * @param origin     the config, for messages
 * @param baseDir    the config's directory, against which paths resolve
 * @param labels     the labels {@link TaskProvider#labels} read for this task (the network has one
 *                   class row per label), or null for the corpus's speakers or when loading a model
 */
public record TaskContext(Network network, Corpus corpus, int sampleRate, ConfigOrigin origin, java.nio.file.Path baseDir,
                          Labels labels) {

    /** A context without a label file. */
    public TaskContext(Network network, Corpus corpus, int sampleRate, ConfigOrigin origin, java.nio.file.Path baseDir) {
        this(network, corpus, sampleRate, origin, baseDir, null);
    }
}
