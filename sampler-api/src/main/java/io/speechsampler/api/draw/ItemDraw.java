package io.speechsampler.api.draw;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/** A draw of one utterance by id, as classification and speaker-embedding training use. */
public record ItemDraw(String id, List<String> tags) implements Draw {

    public ItemDraw {
        Objects.requireNonNull(id, "id");
        tags = Draw.normaliseTags(tags);
    }

    public static ItemDraw of(String id) {
        return new ItemDraw(id, List.of());
    }

    @Override
    public ItemDraw withTag(String tag) {
        List<String> t = new ArrayList<>(tags);
        t.add(tag);
        return new ItemDraw(id, t);
    }

    @Override
    public String key() {
        return id;
    }

    @Override
    public List<String> utteranceIds() {
        return List.of(id);
    }
}
