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
 * @param factors   the difficulty factors the recipe states, or null (a recipe whose gains are its
 *                  sources' {@code gain_db}); with SNRs it needs a target, and states one SNR per
 *                  non-target source, which the renderer realises instead of those sources' gains
 */
public record MixtureDraw(List<Source> sources, long length, Noise noise, int target, String enrolment,
                          List<String> tags, MixtureFactors factors) implements Draw {

    /** A recipe without stated factors. */
    public MixtureDraw(List<Source> sources, long length, Noise noise, int target, String enrolment,
                       List<String> tags) {
        this(sources, length, noise, target, enrolment, tags, null);
    }

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
        if (factors != null && factors.statesSnr()) {
            if (target < 0) {
                throw new IllegalArgumentException("a mixture that states SNRs relative to its target needs a target");
            }
            if (factors.interfererSnrDb().size() != sources.size() - 1) {
                throw new IllegalArgumentException("a mixture of " + sources.size() + " sources states "
                        + factors.interfererSnrDb().size() + " interferer SNRs; expected " + (sources.size() - 1));
            }
        }
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

    public Optional<MixtureFactors> optFactors() {
        return Optional.ofNullable(factors);
    }

    /** The speaker count: the number of sources. */
    public int speakers() {
        return sources.size();
    }

    /**
     * The stated SNR of the target over source {@code i} in dB (a non-target source of a draw whose
     * factors state SNRs).
     */
    public double interfererSnrDb(int i) {
        if (factors == null || !factors.statesSnr() || i == target) {
            throw new IllegalArgumentException("source " + i + " has no stated SNR");
        }
        return factors.interfererSnrDb().get(i < target ? i : i - 1);
    }

    public MixtureDraw withSources(List<Source> newSources) {
        return new MixtureDraw(newSources, length, noise, target, enrolment, tags, factors);
    }

    public MixtureDraw withNoise(Noise newNoise) {
        return new MixtureDraw(sources, length, newNoise, target, enrolment, tags, factors);
    }

    public MixtureDraw withFactors(MixtureFactors newFactors) {
        return new MixtureDraw(sources, length, noise, target, enrolment, tags, newFactors);
    }

    /**
     * @throws IllegalArgumentException when the factors state SNRs relative to another target
     */
    public MixtureDraw withTarget(int newTarget, String newEnrolment) {
        if (factors != null && factors.statesSnr() && newTarget != target) {
            throw new IllegalArgumentException("the mixture states its SNRs relative to target " + target
                    + "; it cannot take target " + newTarget);
        }
        return new MixtureDraw(sources, length, noise, newTarget, newEnrolment, tags, factors);
    }

    @Override
    public MixtureDraw withTag(String tag) {
        List<String> t = new ArrayList<>(tags);
        t.add(tag);
        return new MixtureDraw(sources, length, noise, target, enrolment, t, factors);
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
