package io.speechsampler.api.draw;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * A draw of one utterance by id, as classification and speaker-embedding training use, with an
 * optional {@link Crop} drawn by the sampler. Without a crop the renderer takes the task's crop
 * length from the utterance start, zero-padded (the model's {@code crop_seconds}).
 *
 * <p>The {@link #key()} is the utterance id, crop or not: per-sample state (scores, datamaps, gate
 * counts) is per utterance, and two crops of one utterance share it.
 *
 * @param id   the utterance id
 * @param crop the window the sampler drew, or null for the renderer's default
 * @param tags sorted distinct tags
 */
public record ItemDraw(String id, Crop crop, List<String> tags) implements Draw {

    public ItemDraw {
        Objects.requireNonNull(id, "id");
        tags = Draw.normaliseTags(tags);
    }

    /** An uncropped item. */
    public ItemDraw(String id, List<String> tags) {
        this(id, null, tags);
    }

    public static ItemDraw of(String id) {
        return new ItemDraw(id, null, List.of());
    }

    /** An item of the window {@code crop} of utterance {@code id}. */
    public static ItemDraw of(String id, Crop crop) {
        return new ItemDraw(id, Objects.requireNonNull(crop, "crop"), List.of());
    }

    public Optional<Crop> optCrop() {
        return Optional.ofNullable(crop);
    }

    @Override
    public ItemDraw withTag(String tag) {
        if (tags.isEmpty()) {
            return new ItemDraw(id, crop, List.of(tag));
        }
        List<String> t = new ArrayList<>(tags);
        t.add(tag);
        return new ItemDraw(id, crop, t);
    }

    /** The utterance id; the crop is not part of the key. */
    @Override
    public String key() {
        return id;
    }

    @Override
    public List<String> utteranceIds() {
        return List.of(id);
    }
}
