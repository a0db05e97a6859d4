package io.speechsampler.djl.spi;

/**
 * What a network is built for.
 *
 * @param sampleRate the corpus's sample rate (Hz)
 * @param classes    classifier rows: the corpus's speakers or the label file's labels (at least 1)
 * @param cosine     true when the task's head needs cosine scores (margin heads), false for logits
 */
public record ModelContext(int sampleRate, int classes, boolean cosine) {

    public ModelContext {
        if (sampleRate <= 0 || classes < 1) {
            throw new IllegalArgumentException("sample rate and classes must be positive: " + sampleRate + ", "
                    + classes);
        }
    }
}
