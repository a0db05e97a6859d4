package io.speechsampler.run.validation;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.speechsampler.api.config.ConfigException;
import io.speechsampler.api.config.ConfigOrigin;
import io.speechsampler.api.config.ParamSpec;
import io.speechsampler.api.config.Params;
import io.speechsampler.api.config.RunConfig;
import io.speechsampler.api.corpus.Corpus;
import io.speechsampler.api.draw.Batch;
import io.speechsampler.api.draw.Draw;
import io.speechsampler.api.draw.MixtureDraw;
import io.speechsampler.api.registry.ProviderRegistry;
import io.speechsampler.core.pipeline.Pipeline;
import io.speechsampler.djl.spi.RenderSpec;
import io.speechsampler.djl.train.Trials;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * A config's {@code validation} section (or an experiment's {@code test}): how a fixed set of
 * draws is made from a corpus, once, independent of the training sampler and its stages.
 *
 * <pre>
 * validation: {protocol: mixtures, speakers: [2], count: 300, gain_db: [-5, 5], segment_seconds: 1.0, seed: 7}
 * validation: {protocol: utterances, count: 1000}
 * test: {protocol: mixtures, count: 200, sampler: {name: multi-factor-curriculum, speakers: [3], snr_db: [-5, 0]}}
 * </pre>
 *
 * {@code mixtures}: for each speaker count, {@code count} dynamic mixtures (each utterance the
 * first source once per pass, partners uniform over other speakers' utterances, gains uniform in
 * {@code gain_db}, crops uniform), with a target and enrolment utterance for extraction models;
 * condition {@code speakers=K}. With {@code sampler} (any source sampler's config) the
 * {@code count} mixtures are that sampler's first draws from the protocol's seed instead, each
 * of condition {@code speakers=K} by its number of sources: a test set of fixed factors (SNR range,
 * overlap, speaker counts) for extraction models; {@code speakers}, {@code gain_db} and
 * {@code overlap} then do not apply. {@code utterances}: the corpus's utterances in order, at most
 * {@code count}; condition {@code all}. The draws depend on the corpus, the protocol and its seed
 * only, so every system of an experiment is measured on the same ones.
 *
 * @param protocol       {@code mixtures} or {@code utterances}
 * @param speakers       speaker counts (mixtures)
 * @param count          draws per condition
 * @param gainDb         [low, high] source gains in dB (mixtures)
 * @param segmentSeconds mixture length (mixtures)
 * @param overlap        overlap of the other sources with the first (mixtures)
 * @param seed           the protocol's seed
 * @param batch          draws per validation batch
 * @param sampler        a source sampler's config drawing the mixtures, or null for dynamic mixing
 * @param baseDir        what relative paths in {@code sampler} resolve against
 */
public record Protocol(String protocol, List<Integer> speakers, int count, List<Double> gainDb, double segmentSeconds,
                       double overlap, long seed, int batch, ObjectNode sampler, Path baseDir) {

    /** A protocol of dynamic mixtures (no sampler of its own). */
    public Protocol(String protocol, List<Integer> speakers, int count, List<Double> gainDb, double segmentSeconds,
                    double overlap, long seed, int batch) {
        this(protocol, speakers, count, gainDb, segmentSeconds, overlap, seed, batch, null, Path.of("."));
    }

    private static final ObjectMapper JSON = new ObjectMapper();

    /** Every key of a protocol section. */
    /** Why a contrastive run takes no protocol. */
    static final String TWO_VIEWS_REFUSED = "the contrastive task validates on two views of each utterance, which no "
            + "protocol draws (EER over a trial list is not built yet); remove 'validation' to validate on epoch 0 of "
            + "the two-view sampler over --valid";

    public static final List<ParamSpec> SPECS = List.of(
            ParamSpec.choice("protocol", "how the draws are made", "mixtures", "utterances", "trials"),
            ParamSpec.reals("speakers", "speaker counts of the mixtures, one condition each").defaultsTo(List.of(2.0))
                    .min(1).max(8),
            ParamSpec.integer("count", "draws per condition (trials: trials, half of them target)").min(1)
                    .max(1_000_000).defaultsTo(300),
            ParamSpec.reals("gain_db", "[low, high]: each source's gain in dB, uniform").defaultsTo(List.of(-5.0, 5.0)),
            ParamSpec.real("segment_seconds", "mixture length in seconds (0: whole utterances)").min(0).max(3600)
                    .defaultsTo(1.0),
            ParamSpec.real("overlap", "fraction of the segment the other sources overlap the first").min(0).max(1)
                    .defaultsTo(1.0),
            ParamSpec.longInt("seed", "the protocol's seed (not the run's: every run sees the same draws)")
                    .defaultsTo(7L),
            ParamSpec.integer("batch", "draws per validation batch").min(1).max(4096).defaultsTo(8),
            ParamSpec.object("sampler", "mixtures drawn by this source sampler's config (e.g. a multi-factor-curriculum "
                    + "with one stop per factor) instead of dynamic mixing; speakers, gain_db and overlap then do not "
                    + "apply").defaultsTo(null));

    /** Keys that describe dynamic mixing, refused beside {@code sampler}. */
    private static final List<String> DYNAMIC_MIXING_KEYS = List.of("speakers", "gain_db", "overlap");

    /** Reads a protocol section; {@code path} names it in messages ({@code validation}). */
    public static Protocol fromNode(ObjectNode node, ConfigOrigin origin, String path) {
        return fromNode(node, origin, path, Path.of("."));
    }

    /** As {@link #fromNode(ObjectNode, ConfigOrigin, String)}, with relative paths of {@code sampler} against {@code baseDir}. */
    public static Protocol fromNode(ObjectNode node, ConfigOrigin origin, String path, Path baseDir) {
        Params p = Params.bind(node, SPECS, origin, path, "protocol");
        ObjectNode sampler = null;
        if (node.hasNonNull("sampler")) {
            if (!node.get("sampler").isObject() || !node.get("sampler").hasNonNull("name")) {
                throw origin.error(path + ".sampler", "'" + path + ".sampler' must be a source sampler's config with "
                        + "a name, e.g. {name: multi-factor-curriculum, speakers: [3]}");
            }
            if (!p.getString("protocol").equals("mixtures")) {
                throw origin.error(path + ".sampler", "'" + path + ".sampler' applies to protocol 'mixtures' only");
            }
            for (String k : DYNAMIC_MIXING_KEYS) {
                if (node.has(k)) {
                    throw origin.error(path + "." + k, "'" + path + "." + k + "' does not apply beside '" + path
                            + ".sampler' (the sampler's own parameters say it); remove one of them");
                }
            }
            sampler = node.get("sampler").deepCopy();
        }
        List<Integer> speakers = new ArrayList<>();
        for (double d : p.getDoubles("speakers")) {
            if (d != Math.rint(d)) {
                throw p.error("speakers", "'" + path + ".speakers' must hold whole numbers, got " + d);
            }
            speakers.add((int) d);
        }
        List<Double> gain = p.getDoubles("gain_db");
        if (gain.size() != 2 || gain.get(0) > gain.get(1)) {
            throw p.error("gain_db", "'" + path + ".gain_db' must be [low, high] with low <= high, got " + gain);
        }
        return new Protocol(p.getString("protocol"), List.copyOf(speakers), p.getInt("count"), List.copyOf(gain),
                p.getDouble("segment_seconds"), p.getDouble("overlap"), p.getLong("seed"), p.getInt("batch"), sampler,
                baseDir);
    }

    /** A fixed set: batches of draws and each draw's condition, in the same order; a trial list for {@code trials}. */
    public record Fixed(List<List<Draw>> batches, List<String> conditions, Trials trials) {

        /** All draws in order. */
        public List<Draw> draws() {
            return batches.stream().flatMap(List::stream).toList();
        }
    }

    /**
     * The protocol's draws over {@code corpus} for a model trained for {@code render}.
     *
     * @throws ConfigException when the protocol does not fit the task (utterances for a separator,
     *                         a speaker count a separator has no outputs for) or the corpus
     */
    public Fixed draw(Corpus corpus, RenderSpec render, String where) {
        List<Draw> draws = new ArrayList<>();
        List<String> conditions = new ArrayList<>();
        if (render.kind() == RenderSpec.Kind.TWO_VIEWS) {
            throw new ConfigException(where + TWO_VIEWS_REFUSED);
        }
        Trials trials = null;
        if (protocol.equals("trials")) {
            if (render.kind() != RenderSpec.Kind.ITEMS) {
                throw new ConfigException(where + "protocol 'trials' validates speaker models by EER; this task "
                        + "trains on mixtures: use protocol 'mixtures'");
            }
            for (var u : corpus.utterances()) {
                draws.add(io.speechsampler.api.draw.ItemDraw.of(u.id()));
                conditions.add("all");
            }
            trials = trials(corpus, where);
        } else if (protocol.equals("utterances")) {
            if (render.kind() != RenderSpec.Kind.ITEMS) {
                throw new ConfigException(where + "protocol 'utterances' validates utterance models; this task trains "
                        + "on mixtures: use protocol 'mixtures'");
            }
            for (int i = 0; i < Math.min(count, corpus.size()); i++) {
                draws.add(io.speechsampler.api.draw.ItemDraw.of(corpus.utterances().get(i).id()));
                conditions.add("all");
            }
        } else {
            if (render.kind() == RenderSpec.Kind.ITEMS) {
                throw new ConfigException(where + "protocol 'mixtures' validates separation and extraction; this "
                        + "task trains on utterances: use protocol 'utterances'");
            }
            boolean extraction = render.kind() == RenderSpec.Kind.EXTRACTION;
            if (sampler != null) {
                for (Draw d : samplerMixtures(corpus, extraction, where)) {
                    int k = ((MixtureDraw) d).sources().size();
                    if (!extraction && k != render.sources()) {
                        throw new ConfigException(where + "the protocol's sampler drew a mixture of " + k + " sources, "
                                + "but the model separates " + render.sources() + "; PIT scores as many references as "
                                + "outputs");
                    }
                    draws.add(d);
                    conditions.add("speakers=" + k);
                }
            }
            for (int k : sampler != null ? List.<Integer>of() : speakers) {
                if (!extraction && k != render.sources()) {
                    throw new ConfigException(where + "'speakers' holds " + k + ", but the model separates "
                            + render.sources() + " sources; PIT scores as many references as outputs");
                }
                if (k < 2) {
                    throw new ConfigException(where + "'speakers' must be at least 2 for mixtures, got " + k);
                }
                List<Draw> got = mixtures(corpus, k, extraction);
                draws.addAll(got);
                got.forEach(d -> conditions.add("speakers=" + k));
            }
        }
        List<List<Draw>> batches = new ArrayList<>();
        for (int i = 0; i < draws.size(); i += batch) {
            batches.add(List.copyOf(draws.subList(i, Math.min(draws.size(), i + batch))));
        }
        return new Fixed(List.copyOf(batches), List.copyOf(conditions), trials);
    }

    /**
     * {@code count} trials over the corpus's utterances, alternately target (two distinct utterances
     * of a speaker drawn uniformly among those with two or more) and non-target (two utterances of
     * two different speakers, each uniform over the utterances), from the protocol's seed.
     */
    public Trials trials(Corpus corpus, String where) {
        java.util.Map<Integer, List<Integer>> bySpeaker = new java.util.TreeMap<>();
        for (int i = 0; i < corpus.size(); i++) {
            bySpeaker.computeIfAbsent(corpus.speakerOf(i), k -> new ArrayList<>()).add(i);
        }
        List<List<Integer>> pairable = bySpeaker.values().stream().filter(l -> l.size() >= 2).toList();
        if (bySpeaker.size() < 2 || pairable.isEmpty()) {
            throw new ConfigException(where + "protocol 'trials' needs at least two speakers and one with two or more "
                    + "utterances; the corpus has " + bySpeaker.size() + " speakers and " + corpus.size()
                    + " utterances");
        }
        org.apache.commons.rng.UniformRandomProvider rng =
                io.speechsampler.api.random.RandomStreams.of(seed, "validation/trials", 0);
        int[] a = new int[count];
        int[] b = new int[count];
        boolean[] target = new boolean[count];
        for (int t = 0; t < count; t++) {
            if (t % 2 == 0) {
                List<Integer> l = pairable.get(rng.nextInt(pairable.size()));
                int x = rng.nextInt(l.size());
                int y = rng.nextInt(l.size() - 1);
                a[t] = l.get(x);
                b[t] = l.get(y >= x ? y + 1 : y);
                target[t] = true;
            } else {
                do {
                    a[t] = rng.nextInt(corpus.size());
                    b[t] = rng.nextInt(corpus.size());
                } while (corpus.speakerOf(a[t]) == corpus.speakerOf(b[t]));
            }
        }
        return new Trials(a, b, target);
    }

    private List<Draw> mixtures(Corpus corpus, int speakers, boolean extraction) {
        if (corpus.numSpeakers() < speakers) {
            throw new ConfigException(corpus.source() + ": mixtures of " + speakers + " speakers need at least "
                    + speakers + " speakers, the corpus has " + corpus.numSpeakers());
        }
        String yaml = String.format(Locale.ROOT, "seed: %d%nsampler: {name: dynamic-mixing, speakers: %d, gain_db: "
                        + "[%s, %s], segment_seconds: %s, overlap: %s}%n%sbatch: {name: fixed, size: 1}%n",
                seed + speakers, speakers, gainDb.get(0), gainDb.get(1), segmentSeconds, overlap,
                extraction ? "stages: [{name: tse-target}]\n" : "");
        return firstDraws(corpus, RunConfig.parse(yaml, "validation protocol", Path.of(".")));
    }

    /** The protocol's sampler's first {@code count} mixtures (its targets kept, or drawn by tse-target). */
    private List<Draw> samplerMixtures(Corpus corpus, boolean extraction, String where) {
        ObjectNode root = JSON.createObjectNode();
        root.put("seed", seed);
        root.set("sampler", sampler);
        if (extraction) {
            root.putArray("stages").addObject().put("name", "tse-target");
        }
        root.putObject("batch").put("name", "fixed").put("size", 1);
        RunConfig cfg;
        try {
            cfg = RunConfig.parse(JSON.writeValueAsString(root), where + "the protocol's sampler", baseDir);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
        List<Draw> got = firstDraws(corpus, cfg);
        for (Draw d : got) {
            if (!(d instanceof MixtureDraw)) {
                throw new ConfigException(where + "the protocol's sampler '" + sampler.get("name").asText() + "' draws "
                        + "utterances, not mixtures; expected a mixture sampler such as dynamic-mixing or "
                        + "multi-factor-curriculum");
            }
        }
        return got;
    }

    private List<Draw> firstDraws(Corpus corpus, RunConfig cfg) {
        Pipeline p = Pipeline.build(cfg, corpus, ProviderRegistry.load(), 0, 1);
        List<Draw> out = new ArrayList<>();
        // each pass makes every utterance the first source once; passes differ in partners and gains
        while (out.size() < count) {
            Optional<Batch> b;
            int before = out.size();
            while (out.size() < count && (b = p.nextInEpoch()).isPresent()) {
                out.addAll(b.get().draws());
            }
            p.finishEpoch();
            if (out.size() == before) {
                throw new ConfigException(corpus.source() + ": the mixtures protocol drew nothing from "
                        + corpus.size() + " utterances");
            }
        }
        return out.subList(0, count);
    }

    /** The condition names in order of first appearance. */
    public static List<String> conditionNames(List<String> conditions) {
        return conditions.stream().distinct().toList();
    }

    /** Whether a config names a protocol. */
    public static Optional<Protocol> of(RunConfig config) {
        return config.validation().isEmpty() ? Optional.empty()
                : Optional.of(fromNode(config.validation(), config.origin(), "validation", config.baseDir()));
    }
}
