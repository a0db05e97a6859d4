package io.speechsampler.api.draw;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectWriter;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;

/**
 * The JSON form of draws and batches, as {@code plan} and {@code train}'s {@code batches.jsonl}
 * write them ({@link #toLine(Batch)}, the one writer of that line format) and state files hold them.
 * An item is {@code {"id":"u1"}}, with its crop {@code {"id":"u1","offset":4000,"length":28800}}
 * (both or neither; lines written before crops existed read as uncropped items); a two-view draw is
 * {@code {"id":"u1","views":[{"offset":0,"length":28800},{"offset":9100,"length":28800}]}}; a
 * mixture is {@code {"sources":[{"id":"u1","gain_db":-1.5,"offset":0}],"length":32000}} plus
 * optional {@code delay} per source, {@code noise}, {@code target}, {@code enrolment} and
 * {@code factors} ({@code {"speakers":3,"snr_db":[2.5,-1.0],"overlap":0.75,"domain":"real"}}, each
 * part only when stated; {@link MixtureFactors}); all carry {@code tags} when they have any.
 */
public final class DrawJson {

    private static final JsonNodeFactory F = JsonNodeFactory.instance;
    private static final ObjectWriter LINE = new ObjectMapper().writer();

    private DrawJson() {
    }

    public static ObjectNode toJson(Draw draw) {
        ObjectNode o = F.objectNode();
        if (draw instanceof ItemDraw item) {
            o.put("id", item.id());
            if (item.crop() != null) {
                putCrop(o, item.crop());
            }
        } else if (draw instanceof TwoViewDraw two) {
            o.put("id", two.id());
            ArrayNode views = o.putArray("views");
            putCrop(views.addObject(), two.first());
            putCrop(views.addObject(), two.second());
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
            if (m.factors() != null) {
                putFactors(o.putObject("factors"), m);
            }
        }
        if (!draw.tags().isEmpty()) {
            ArrayNode t = o.putArray("tags");
            draw.tags().forEach(t::add);
        }
        return o;
    }

    private static void putFactors(ObjectNode o, MixtureDraw m) {
        MixtureFactors f = m.factors();
        o.put("speakers", m.speakers());
        if (f.statesSnr()) {
            ArrayNode snr = o.putArray("snr_db");
            f.interfererSnrDb().forEach(snr::add);
        }
        if (f.statesOverlap()) {
            o.put("overlap", f.overlap());
        }
        if (f.domain() != null) {
            o.put("domain", f.domain());
        }
    }

    private static MixtureFactors factors(JsonNode f) {
        if (!f.isObject()) {
            throw new IllegalArgumentException("a mixture's factors must be a map, got " + f);
        }
        List<Double> snr = new ArrayList<>();
        for (JsonNode v : f.path("snr_db")) {
            if (!v.isNumber()) {
                throw new IllegalArgumentException("a mixture's factors need numbers in \"snr_db\": " + f);
            }
            snr.add(v.asDouble());
        }
        JsonNode overlap = f.get("overlap");
        if (overlap != null && !overlap.isNumber()) {
            throw new IllegalArgumentException("a mixture's factor \"overlap\" must be a number: " + f);
        }
        return new MixtureFactors(snr, overlap == null ? Double.NaN : overlap.asDouble(),
                f.hasNonNull("domain") ? f.get("domain").asText() : null);
    }

    private static void putCrop(ObjectNode o, Crop crop) {
        o.put("offset", crop.offset());
        o.put("length", crop.length());
    }

    /**
     * Reads {@link #toJson(Draw)}.
     *
     * @throws IllegalArgumentException naming the field that is missing or out of range
     */
    public static Draw fromJson(JsonNode o) {
        List<String> tags = new ArrayList<>();
        if (o.has("tags")) {
            o.get("tags").forEach(t -> tags.add(t.asText()));
        }
        if (o.has("id")) {
            String id = o.get("id").asText();
            if (o.has("views")) {
                JsonNode v = o.get("views");
                if (!v.isArray() || v.size() != 2) {
                    throw new IllegalArgumentException("a two-view draw needs \"views\": a list of 2 crops, got " + o);
                }
                return new TwoViewDraw(id, crop(v.get(0), o), crop(v.get(1), o), tags);
            }
            if (o.has("offset") || o.has("length")) {
                return new ItemDraw(id, crop(o, o), tags);
            }
            return new ItemDraw(id, null, tags);
        }
        if (!o.has("sources")) {
            throw new IllegalArgumentException("a draw needs \"id\" or \"sources\": " + o);
        }
        List<Source> sources = new ArrayList<>();
        for (JsonNode s : o.get("sources")) {
            if (!s.path("id").isTextual() || !s.path("gain_db").isNumber()) {
                throw new IllegalArgumentException("a mixture source needs \"id\" and \"gain_db\": " + s);
            }
            sources.add(new Source(s.get("id").asText(), s.get("gain_db").asDouble(), s.path("offset").asLong(0),
                    s.path("delay").asLong(0)));
        }
        Noise noise = null;
        if (o.hasNonNull("noise")) {
            JsonNode n = o.get("noise");
            if (!n.path("id").isTextual() || !n.path("snr_db").isNumber()) {
                throw new IllegalArgumentException("a mixture's noise needs \"id\" and \"snr_db\": " + n);
            }
            noise = new Noise(n.get("id").asText(), n.get("snr_db").asDouble(), n.path("offset").asLong(0));
        }
        return new MixtureDraw(sources, o.path("length").asLong(0), noise, o.path("target").asInt(-1),
                o.hasNonNull("enrolment") ? o.get("enrolment").asText() : null, tags,
                o.hasNonNull("factors") ? factors(o.get("factors")) : null);
    }

    private static Crop crop(JsonNode c, JsonNode draw) {
        if (!c.path("offset").isIntegralNumber() || !c.path("length").isIntegralNumber()) {
            throw new IllegalArgumentException("a crop needs whole numbers \"offset\" and \"length\": " + draw);
        }
        long offset = c.get("offset").asLong();
        long length = c.get("length").asLong();
        if (offset < 0 || length < 1) {
            throw new IllegalArgumentException("a crop needs \"offset\" >= 0 and \"length\" >= 1: " + draw);
        }
        return new Crop(offset, length);
    }

    /** {@code {"epoch":e,"step":k,"batch":i,"rank":r,"draws":[...]}}. */
    public static ObjectNode toJson(Batch batch) {
        ObjectNode o = F.objectNode();
        o.put("epoch", batch.epoch());
        o.put("step", batch.step());
        o.put("batch", batch.globalIndex());
        o.put("rank", batch.rank());
        ArrayNode draws = o.putArray("draws");
        for (Draw d : batch.draws()) {
            draws.add(toJson(d));
        }
        return o;
    }

    /**
     * One line (without its newline) of a batch log: {@code plan}'s output and {@code train}'s
     * {@code batches.jsonl}, so that the two compare byte for byte.
     */
    public static String toLine(Batch batch) {
        try {
            return LINE.writeValueAsString(toJson(batch));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a batch could not be written as JSON", e);
        }
    }

    /**
     * Reads {@link #toJson(Batch)}.
     *
     * @throws IllegalArgumentException naming the field that is missing or not a number
     */
    public static Batch batchFromJson(JsonNode o) {
        if (o == null || !o.isObject()) {
            throw new IllegalArgumentException("a batch must be a map with epoch, step, batch, rank and draws, got " + o);
        }
        for (String k : new String[] {"epoch", "step", "batch", "rank"}) {
            if (!o.path(k).isIntegralNumber()) {
                throw new IllegalArgumentException("a batch needs a whole number '" + k + "', "
                        + (o.has(k) ? "got " + o.get(k) : "it is missing"));
            }
        }
        if (!o.path("draws").isArray()) {
            throw new IllegalArgumentException("a batch needs a list 'draws', "
                    + (o.has("draws") ? "got " + o.get("draws") : "it is missing"));
        }
        List<Draw> draws = new ArrayList<>();
        for (JsonNode d : o.get("draws")) {
            draws.add(fromJson(d));
        }
        return new Batch(o.get("epoch").asInt(), o.get("step").asLong(), o.get("batch").asInt(), o.get("rank").asInt(),
                draws);
    }
}
