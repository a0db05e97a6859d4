package io.speechsampler.api.draw;

import java.util.List;

/**
 * One element of a batch: either an {@link ItemDraw} (an utterance id, for classification)
 * or a {@link MixtureDraw} (a recipe the training loop renders to audio). Draws are data:
 * sampling never touches audio.
 */
public sealed interface Draw permits ItemDraw, MixtureDraw {

    /** Tags such as {@code hard}, {@code synthetic} or {@code padding}: sorted and distinct. */
    List<String> tags();

    /** This draw with one more tag. */
    Draw withTag(String tag);

    /**
     * The draw's stable key, by which per-sample state (datamaps, scores, gate counts) is indexed:
     * an item's utterance id; a mixture's pivot, the target source for target speaker extraction,
     * else the first source (the pivot of dynamic mixing and hard re-sampling).
     */
    String key();

    /** True for a draw the pipeline repeated to give every rank the same number of batches. */
    default boolean isPadding() {
        return tags().contains(PADDING_TAG);
    }

    /** Tag of draws repeated to equalise batch counts over ranks. */
    String PADDING_TAG = "padding";

    /** The utterance ids this draw reads, in order (the item, or the sources then the noise). */
    List<String> utteranceIds();

    /** Sorted, distinct, immutable copy of the given tags. */
    static List<String> normaliseTags(List<String> tags) {
        if (tags == null || tags.isEmpty()) {
            return List.of();
        }
        return tags.stream().distinct().sorted().toList();
    }
}
