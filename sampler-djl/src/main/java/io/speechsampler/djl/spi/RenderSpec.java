package io.speechsampler.djl.spi;

/**
 * What the renderer makes of each draw for a task.
 *
 * @param kind             which rendering
 * @param sources          references per mixture (MIXTURES): separation's outputs, MixIT's 2
 * @param cropSamples      crop length of an item draw that carries no crop (ITEMS, TWO_VIEWS);
 *                         a draw's own crop wins
 * @param enrolmentSamples enrolment length (EXTRACTION)
 * @param referencesOptional MIXTURES whose targets do not come from the draw (a student of a
 *                         frozen teacher): a mixture with another number of sources than
 *                         {@code sources} (one recording of an unlabelled corpus) renders with no
 *                         references ({@code null} in {@link io.speechsampler.djl.train.RenderedBatch#sources()})
 */
public record RenderSpec(Kind kind, int sources, int cropSamples, int enrolmentSamples, boolean referencesOptional) {

    public RenderSpec(Kind kind, int sources, int cropSamples, int enrolmentSamples) {
        this(kind, sources, cropSamples, enrolmentSamples, false);
    }

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

    /**
     * Mixtures whose references, when a mixture has {@code sources} of them, serve only the metric:
     * the targets come from elsewhere (a frozen teacher), so any mixture renders.
     */
    public static RenderSpec mixturesWithOptionalReferences(int sources) {
        return new RenderSpec(Kind.MIXTURES, sources, 0, 0, true);
    }

    public static RenderSpec extraction(int enrolmentSamples) {
        return new RenderSpec(Kind.EXTRACTION, 1, 0, enrolmentSamples);
    }
}
