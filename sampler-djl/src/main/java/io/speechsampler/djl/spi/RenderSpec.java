package io.speechsampler.djl.spi;

/**
 * What the renderer makes of each draw for a task.
 *
 * @param kind             which rendering
 * @param sources          references per mixture (MIXTURES): separation's outputs, MixIT's 2
 * @param cropSamples      item crop length (ITEMS)
 * @param enrolmentSamples enrolment length (EXTRACTION)
 */
public record RenderSpec(Kind kind, int sources, int cropSamples, int enrolmentSamples) {

    /** Which rendering. */
    public enum Kind {
        /** utterance draws, cropped or zero-padded to one length */
        ITEMS,
        /** mixture draws with their sources as references */
        MIXTURES,
        /** mixture draws with a target and an enrolment utterance */
        EXTRACTION
    }

    public static RenderSpec items(int cropSamples) {
        return new RenderSpec(Kind.ITEMS, 0, cropSamples, 0);
    }

    public static RenderSpec mixtures(int sources) {
        return new RenderSpec(Kind.MIXTURES, sources, 0, 0);
    }

    public static RenderSpec extraction(int enrolmentSamples) {
        return new RenderSpec(Kind.EXTRACTION, 1, 0, enrolmentSamples);
    }
}
