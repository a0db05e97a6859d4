package io.speechsampler.api.draw;

import java.util.List;

/**
 * One element of a batch: an {@link ItemDraw} (an utterance id, optionally cropped, for
 * classification), a {@link TwoViewDraw} (two crops of one utterance, for contrastive training) or
 * a {@link MixtureDraw} (a recipe the training loop renders to audio). Draws are data: sampling
 * never touches audio.
 */
public sealed interface Draw permits ItemDraw, TwoViewDraw, MixtureDraw {

    /** Tags such as {@code hard}, {@code synthetic} or {@code padding}: sorted and distinct. */
    List<String> tags();

    /** This draw with one more tag. */
    Draw withTag(String tag);

    /**
     * The draw's stable key, by which per-sample state (datamaps, scores, gate counts) is indexed:
     * an item's or a two-view draw's utterance id (a crop is not part of it: {@code "u1"}, never
     * {@code "u1+@4000"}); a mixture's pivot, the target source for target speaker extraction, else
     * the first source (the pivot of dynamic mixing and hard re-sampling).
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
        // the common cases without a stream: tags that are already sorted and distinct (one, most often)
        for (int i = 1; i < tags.size(); i++) {
            if (tags.get(i - 1).compareTo(tags.get(i)) >= 0) {
                return tags.stream().distinct().sorted().toList();
            }
        }
        return List.copyOf(tags);
    }
}
