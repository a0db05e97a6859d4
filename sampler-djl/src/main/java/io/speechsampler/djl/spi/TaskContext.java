package io.speechsampler.djl.spi;

import io.speechsampler.api.config.ConfigOrigin;
import io.speechsampler.api.corpus.Corpus;

/**
 * What a task is built against.
 *
 * @param network    the network it trains
 * @param corpus     the training corpus (labels), or null when a trained model is loaded for inference
 * @param sampleRate the corpus's sample rate (Hz)
 * @param origin     the config, for messages
 * @param baseDir    the config's directory, against which paths resolve
 */
public record TaskContext(Network network, Corpus corpus, int sampleRate, ConfigOrigin origin, java.nio.file.Path baseDir) {
}
