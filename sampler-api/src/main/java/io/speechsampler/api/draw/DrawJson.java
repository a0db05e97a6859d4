package io.speechsampler.api.draw;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;

/**
 * The JSON form of draws and batches, as {@code plan} writes them and state files hold them.
 * An item is {@code {"id":"u1"}}; a mixture is
 * {@code {"sources":[{"id":"u1","gain_db":-1.5,"offset":0}],"length":32000}} plus optional
 * {@code delay} per source, {@code noise}, {@code target}, {@code enrolment}; both carry
 * {@code tags} when they have any.
 */
public final class DrawJson {

    private static final JsonNodeFactory F = JsonNodeFactory.instance;

    private DrawJson() {
    }

    public static ObjectNode toJson(Draw draw) {
        ObjectNode o = F.objectNode();
        if (draw instanceof ItemDraw item) {
            o.put("id", item.id());
        } else if (draw instanceof MixtureDraw m) {
            ArrayNode sources = o.putArray("sources");
            for (Source s : m.sources()) {
                ObjectNode so = sources.addObject();
                so.put("id", s.id());
                so.put("gain_db", s.gainDb());
                so.put("offset", s.offset());
                if (s.delay() != 0) {
                    so.put("delay", s.delay());
                }
            }
            o.put("length", m.length());
            if (m.noise() != null) {
                ObjectNode no = o.putObject("noise");
                no.put("id", m.noise().id());
                no.put("snr_db", m.noise().snrDb());
                no.put("offset", m.noise().offset());
            }
            if (m.target() >= 0) {
                o.put("target", m.target());
            }
            if (m.enrolment() != null) {
                o.put("enrolment", m.enrolment());
            }
        }
        if (!draw.tags().isEmpty()) {
            ArrayNode t = o.putArray("tags");
            draw.tags().forEach(t::add);
        }
        return o;
    }

    public static Draw fromJson(JsonNode o) {
        List<String> tags = new ArrayList<>();
        if (o.has("tags")) {
            o.get("tags").forEach(t -> tags.add(t.asText()));
        }
        if (o.has("id")) {
            return new ItemDraw(o.get("id").asText(), tags);
        }
        if (!o.has("sources")) {
            throw new IllegalArgumentException("a draw needs \"id\" or \"sources\": " + o);
        }
        List<Source> sources = new ArrayList<>();
        for (JsonNode s : o.get("sources")) {
            sources.add(new Source(s.get("id").asText(), s.get("gain_db").asDouble(), s.path("offset").asLong(0),
                    s.path("delay").asLong(0)));
        }
        Noise noise = null;
        if (o.hasNonNull("noise")) {
            JsonNode n = o.get("noise");
            noise = new Noise(n.get("id").asText(), n.get("snr_db").asDouble(), n.path("offset").asLong(0));
        }
        return new MixtureDraw(sources, o.path("length").asLong(0), noise, o.path("target").asInt(-1),
                o.hasNonNull("enrolment") ? o.get("enrolment").asText() : null, tags);
    }

    /** {@code {"epoch":e,"step":k,"rank":r,"draws":[...]}}. */
    public static ObjectNode toJson(Batch batch) {
        ObjectNode o = F.objectNode();
        o.put("epoch", batch.epoch());
        o.put("step", batch.step());
        o.put("rank", batch.rank());
        ArrayNode draws = o.putArray("draws");
        for (Draw d : batch.draws()) {
            draws.add(toJson(d));
        }
        return o;
    }

    public static Batch batchFromJson(JsonNode o) {
        List<Draw> draws = new ArrayList<>();
        for (JsonNode d : o.get("draws")) {
            draws.add(fromJson(d));
        }
        return new Batch(o.get("epoch").asInt(), o.get("step").asLong(), o.get("rank").asInt(), draws);
    }
}
