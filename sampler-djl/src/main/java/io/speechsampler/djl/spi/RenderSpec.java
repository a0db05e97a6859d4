package io.speechsampler.djl.spi;

/**
 * What the renderer makes of each draw for a task.
 *
 * @param kind             which rendering
 * @param sources          references per mixture (MIXTURES): separation's outputs, MixIT's 2
 * @param cropSamples      crop length of an item draw that carries no crop (ITEMS, TWO_VIEWS);
 *                         a draw's own crop wins
 * @param enrolmentSamples enrolment length (EXTRACTION)
 */
public record RenderSpec(Kind kind, int sources, int cropSamples, int enrolmentSamples) {

    /** Which rendering. */
    public enum Kind {
        /** utterance draws, cropped or zero-padded to one length */
        ITEMS,
        /**
         * two-view draws: a batch of B renders as 2B rows, the first views then the second views
         * ({@link io.speechsampler.djl.train.RenderedBatch#views()} 2); item draws render as
         * ITEMS do, for inference (embeddings, the model in the loop)
         */
        TWO_VIEWS,
        /** mixture draws with their sources as references */
        MIXTURES,
        /** mixture draws with a target and an enrolment utterance */
        EXTRACTION
    }

    public static RenderSpec items(int cropSamples) {
        return new RenderSpec(Kind.ITEMS, 0, cropSamples, 0);
    }

    /** Two-view draws as 2B rows; {@code cropSamples} for item draws without a crop. */
    public static RenderSpec twoViews(int cropSamples) {
        return new RenderSpec(Kind.TWO_VIEWS, 0, cropSamples, 0);
    }

    /** Whether the task trains on utterances (items or two views) rather than mixtures. */
    public boolean utterances() {
        return kind == Kind.ITEMS || kind == Kind.TWO_VIEWS;
    }

    public static RenderSpec mixtures(int sources) {
        return new RenderSpec(Kind.MIXTURES, sources, 0, 0);
    }

    public static RenderSpec extraction(int enrolmentSamples) {
        return new RenderSpec(Kind.EXTRACTION, 1, 0, enrolmentSamples);
    }
}
