package io.speechsampler.api.draw;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Two crops of one utterance, for contrastive training (the positive pair of an angular
 * prototypical loss: Chung et al. 2020, "In defence of metric learning for speaker recognition").
 * The renderer turns a batch of {@code B} such draws into {@code 2B} rows: the first views of all
 * draws, then the second views.
 *
 * @param id     the utterance id, also the {@link #key()}
 * @param first  view 1
 * @param second view 2
 * @param tags   sorted distinct tags
 */
public record TwoViewDraw(String id, Crop first, Crop second, List<String> tags) implements Draw {

    public TwoViewDraw {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(first, "first");
        Objects.requireNonNull(second, "second");
        tags = Draw.normaliseTags(tags);
    }

    public static TwoViewDraw of(String id, Crop first, Crop second) {
        return new TwoViewDraw(id, first, second, List.of());
    }

    @Override
    public TwoViewDraw withTag(String tag) {
        List<String> t = new ArrayList<>(tags);
        t.add(tag);
        return new TwoViewDraw(id, first, second, t);
    }

    /** The utterance id: per-sample state is per utterance, whichever crops were drawn. */
    @Override
    public String key() {
        return id;
    }

    @Override
    public List<String> utteranceIds() {
        return List.of(id);
    }
}
