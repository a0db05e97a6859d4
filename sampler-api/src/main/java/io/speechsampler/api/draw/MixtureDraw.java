package io.speechsampler.api.draw;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * A mixture recipe: sources with gains and offsets, optional noise, optional target index and
 * enrolment utterance (target speaker extraction), and tags. Rendering a recipe is a pure
 * function of the recipe and the corpus audio.
 *
 * @param sources   at least one source
 * @param length    mixture length in samples; 0 means the longest source plus its delay
 * @param noise     optional noise
 * @param target    index into {@code sources} of the target speaker, or -1 for none
 * @param enrolment enrolment utterance id for the target speaker, or null
 * @param tags      sorted distinct tags
 */
public record MixtureDraw(List<Source> sources, long length, Noise noise, int target, String enrolment,
                          List<String> tags) implements Draw {

    public MixtureDraw {
        Objects.requireNonNull(sources, "sources");
        if (sources.isEmpty()) {
            throw new IllegalArgumentException("a mixture needs at least one source");
        }
        sources = List.copyOf(sources);
        if (length < 0) {
            throw new IllegalArgumentException("length is negative: " + length);
        }
        if (target < -1 || target >= sources.size()) {
            throw new IllegalArgumentException("target is not in [-1, " + (sources.size() - 1) + "]: " + target);
        }
        tags = Draw.normaliseTags(tags);
    }

    /** A plain mixture of sources over their natural length, no noise, no target. */
    public static MixtureDraw of(List<Source> sources, long length) {
        return new MixtureDraw(sources, length, null, -1, null, List.of());
    }

    public Optional<Noise> optNoise() {
        return Optional.ofNullable(noise);
    }

    public OptionalInt optTarget() {
        return target < 0 ? OptionalInt.empty() : OptionalInt.of(target);
    }

    public Optional<String> optEnrolment() {
        return Optional.ofNullable(enrolment);
    }

    public MixtureDraw withSources(List<Source> newSources) {
        return new MixtureDraw(newSources, length, noise, target, enrolment, tags);
    }

    public MixtureDraw withNoise(Noise newNoise) {
        return new MixtureDraw(sources, length, newNoise, target, enrolment, tags);
    }

    public MixtureDraw withTarget(int newTarget, String newEnrolment) {
        return new MixtureDraw(sources, length, noise, newTarget, newEnrolment, tags);
    }

    @Override
    public MixtureDraw withTag(String tag) {
        List<String> t = new ArrayList<>(tags);
        t.add(tag);
        return new MixtureDraw(sources, length, noise, target, enrolment, t);
    }

    /** The pivot: the target source when there is one, else the first source. */
    @Override
    public String key() {
        return sources.get(Math.max(target, 0)).id();
    }

    @Override
    public List<String> utteranceIds() {
        List<String> ids = new ArrayList<>(sources.size() + 1);
        for (Source s : sources) {
            ids.add(s.id());
        }
        if (noise != null) {
            ids.add(noise.id());
        }
        return ids;
    }
}
