package io.speechsampler.curriculum.mixing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.speechsampler.api.config.ConfigException;
import io.speechsampler.api.config.ParamSpec;
import io.speechsampler.api.config.Params;
import io.speechsampler.api.corpus.Corpus;
import io.speechsampler.api.corpus.CorpusException;
import io.speechsampler.api.corpus.CorpusReader;
import io.speechsampler.api.draw.DomainCorpus;
import io.speechsampler.api.spi.BuildContext;
import io.speechsampler.api.spi.OutcomeObserver;
import io.speechsampler.api.spi.SourceSampler;
import io.speechsampler.api.spi.SourceSamplerProvider;
import io.speechsampler.curriculum.datamap.DatamapCsv;
import io.speechsampler.curriculum.datamap.DatamapRegions;
import io.speechsampler.curriculum.datamap.TseDatamap;
import io.speechsampler.curriculum.pacing.PacingFunction;
import io.speechsampler.curriculum.pacing.PacingFunctions;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The {@code multi-factor-curriculum} source sampler (see {@link MultiFactorCurriculumSampler} for
 * the distribution). Each factor is a list of stops from easy (progress 0) to hard (competence 1),
 * linear in between; one stop holds it fixed, so a single-factor curriculum is this sampler with
 * one list of several stops. Parameters:
 * {@code snr_db} ([low, high] or a list of them, default [-5, 5]), {@code speakers} (counts, default
 * [2]), {@code speaker_shares} (one share per count, or a list of such stops; default uniform),
 * {@code overlap} ([low, high] in (0, 1] or a list, default [1, 1]), {@code real_share} (stops in
 * [0, 1], default [0]), {@code real_corpus} (the second corpus, required when a real share is above
 * 0), {@code pacing} (the shared pacing function, default {@code {name: linear, c0: 0}}),
 * {@code snr_pacing}, {@code speakers_pacing}, {@code overlap_pacing}, {@code real_share_pacing}
 * (a factor's own pacing), {@code steps_per_segment} (default 50), {@code segment_seconds} (default
 * 4), {@code noise_corpus} and {@code noise_snr_db} (default [10, 20]), and {@code datamap}, the
 * datamap guide of the pivots ({@link DatamapGuide}): {@code {from: FILE | ref: KEY, weights: {easy,
 * ambiguous, hard, unseen: stops}, pacing, ambiguous_share, confidence_cut}}.
 */
public final class MultiFactorCurriculumProvider implements SourceSamplerProvider {

    /** The name the config uses. */
    public static final String NAME = "multi-factor-curriculum";

    private static final ObjectMapper JSON = new ObjectMapper();

    /** The domain of the second corpus; its ids are read under {@code real:}. */
    public static final String REAL = "real";

    private static final List<ParamSpec> PARAMETERS = List.of(
            ParamSpec.object("snr_db", "[low, high], or a list of them from easy to hard: each interferer's SNR "
                    + "relative to the target in dB is uniform in the range; unset: [-5, 5]").defaultsTo(null),
            ParamSpec.reals("speakers", "the speaker counts a mixture may have (each at least 2, increasing)")
                    .defaultsTo(List.of(2.0)),
            ParamSpec.object("speaker_shares", "one share per speaker count summing to 1, or a list of such stops "
                    + "from easy to hard; default: uniform").defaultsTo(null),
            ParamSpec.object("overlap", "[low, high] in (0, 1], or a list of them from easy to hard: the share of the "
                    + "target overlapped by interferers is aimed uniform in the range; unset: [1, 1]").defaultsTo(null),
            ParamSpec.reals("real_share", "stops from easy to hard of the share of mixtures from real_corpus")
                    .defaultsTo(List.of(0.0)).min(0).max(1),
            ParamSpec.string("real_corpus", "corpus dir or manifest of the second ('real') domain; draws name its "
                    + "utterances as real:ID").defaultsTo(null),
            ParamSpec.object("pacing", "the pacing function every factor follows unless it has its own: {name: "
                    + "linear|root-p|geometric|step|points, ...}; unset: {name: linear, c0: 0}").defaultsTo(null),
            ParamSpec.object("snr_pacing", "snr_db's own pacing function").defaultsTo(null),
            ParamSpec.object("speakers_pacing", "speaker_shares's own pacing function").defaultsTo(null),
            ParamSpec.object("overlap_pacing", "overlap's own pacing function").defaultsTo(null),
            ParamSpec.object("real_share_pacing", "real_share's own pacing function").defaultsTo(null),
            ParamSpec.longInt("steps_per_segment", "global batches between two progress decisions").defaultsTo(50L)
                    .min(1),
            ParamSpec.real("segment_seconds", "mixture length in seconds").defaultsTo(4.0).min(0).max(3600),
            ParamSpec.string("noise_corpus", "corpus dir or manifest of noise added to each mixture; unset for no "
                    + "noise").defaultsTo(null),
            ParamSpec.reals("noise_snr_db", "[low, high]: the speech-to-noise ratio in dB is uniform in this range")
                    .defaultsTo(List.of(10.0, 20.0)),
            ParamSpec.object("datamap", "draw the training corpus's targets weighted by datamap region: {from: a "
                    + "datamap.csv of an earlier run (sampler datamap) | ref: a 'datamap' observer of this run in "
                    + "'components' (regions recomputed at epoch starts), weights: {easy, ambiguous, hard, unseen: "
                    + "a weight >= 0 or a list of them from easy to hard over competence; easy, ambiguous and hard "
                    + "default to 1, unseen to ambiguous's}, pacing: its own pacing function (default: pacing), "
                    + "ambiguous_share (ref only, default 1/3), confidence_cut (ref only, default: the median)}; "
                    + "unset: every target once per epoch").defaultsTo(null));

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public String description() {
        return "TSE mixtures whose SNR, speaker count, overlap and real/synthetic share move from easy to hard "
                + "with training progress (paced per factor); every draw records its factors";
    }

    @Override
    public List<ParamSpec> parameters() {
        return PARAMETERS;
    }

    @Override
    public SourceSampler create(Params params, BuildContext context) {
        Corpus corpus = context.corpus();
        double segment = params.getDouble("segment_seconds");
        if (!(segment > 0)) {
            throw params.error("segment_seconds", "'" + params.pathOf("segment_seconds") + "' is not above 0: "
                    + segment);
        }
        PacingFunction shared = pacing(params, "pacing", null);
        int[] counts = counts(params);
        double[][] shares = shares(params, counts);
        double[][] snr = ranges(params, "snr_db", new double[] {-5, 5});
        for (int i = 0; i < snr.length; i++) {
            double[] r = snr[i];
            if (!(r[0] <= r[1]) || Math.abs(r[0]) > CurriculumSettings.MAX_ABS_SNR_DB
                    || Math.abs(r[1]) > CurriculumSettings.MAX_ABS_SNR_DB) {
                throw params.error("snr_db", "'" + params.pathOf("snr_db") + "' stop " + (i + 1) + " is not [low, high] "
                        + "with -60 <= low <= high <= 60: " + Arrays.toString(r));
            }
        }
        double[][] overlap = ranges(params, "overlap", new double[] {1, 1});
        for (int i = 0; i < overlap.length; i++) {
            double[] r = overlap[i];
            if (!(r[0] > 0 && r[0] <= r[1] && r[1] <= 1)) {
                throw params.error("overlap", "'" + params.pathOf("overlap") + "' stop " + (i + 1) + " is not [low, "
                        + "high] with 0 < low <= high <= 1: " + Arrays.toString(r));
            }
        }
        List<Double> realShares = params.getDoubles("real_share");
        if (realShares.isEmpty()) {
            throw params.error("real_share", "'" + params.pathOf("real_share") + "' is empty; expected at least one "
                    + "share in [0, 1]");
        }
        double[][] real = new double[realShares.size()][];
        for (int i = 0; i < real.length; i++) {
            real[i] = new double[] {realShares.get(i)};
        }
        List<Double> noiseSnr = params.getDoubles("noise_snr_db");
        if (noiseSnr.size() != 2 || noiseSnr.get(0) > noiseSnr.get(1)) {
            throw params.error("noise_snr_db", "'" + params.pathOf("noise_snr_db") + "' must be [low, high] with "
                    + "low <= high: " + noiseSnr);
        }
        CurriculumSettings settings = new CurriculumSettings(segment, params.getLong("steps_per_segment"), counts,
                FactorSchedule.of(shares, pacing(params, "speakers_pacing", shared)),
                FactorSchedule.of(snr, pacing(params, "snr_pacing", shared)),
                FactorSchedule.of(overlap, pacing(params, "overlap_pacing", shared)),
                FactorSchedule.of(real, pacing(params, "real_share_pacing", shared)),
                noiseSnr.get(0), noiseSnr.get(1));

        Corpus realCorpus = null;
        String realPath = params.optString("real_corpus");
        if (settings.usesReal() && realPath == null) {
            throw params.error("real_share", "'" + params.pathOf("real_share") + "' is above 0 but no '"
                    + params.pathOf("real_corpus") + "' is set (the second corpus to draw real mixtures from): "
                    + realShares);
        }
        if (realPath != null) {
            realCorpus = realCorpus(params, context);
        }
        int most = settings.mostSpeakers();
        checkSpeakers(params, corpus, most, "the training corpus");
        if (realCorpus != null && settings.usesReal()) {
            checkSpeakers(params, realCorpus, most, "'" + params.pathOf("real_corpus") + "'");
        }
        Corpus noise = null;
        if (params.optString("noise_corpus") != null) {
            noise = read(params, context, "noise_corpus");
            checkRate(params, "noise_corpus", corpus, noise);
        }
        DatamapGuide guide = params.has("datamap") ? guide(params, context, corpus, shared) : null;
        return MultiFactorCurriculumSampler.of(corpus, realCorpus, noise, settings, guide);
    }

    private static final List<String> GUIDE_KEYS = List.of("from", "ref", "weights", "pacing", "ambiguous_share",
            "confidence_cut");

    private static DatamapGuide guide(Params params, BuildContext context, Corpus corpus, PacingFunction shared) {
        JsonNode g = params.getObject("datamap");
        String path = params.pathOf("datamap");
        java.util.function.Function<String, ConfigException> bad = m -> params.error("datamap", m);
        if (!g.isObject()) {
            throw bad.apply("'" + path + "' must be {from: FILE | ref: KEY, weights: {...}}, got " + g);
        }
        for (var it = g.fieldNames(); it.hasNext(); ) {
            String k = it.next();
            if (!GUIDE_KEYS.contains(k)) {
                throw bad.apply("'" + path + "." + k + "' is not a key of the datamap guide; expected one of "
                        + String.join(", ", GUIDE_KEYS));
            }
        }
        if (g.has("from") == g.has("ref")) {
            throw bad.apply("'" + path + "' needs exactly one of 'from' (a datamap.csv of an earlier run) and 'ref' (a "
                    + "datamap observer of this run in 'components')");
        }
        for (String k : List.of("from", "ref")) {
            if (g.has(k) && (!g.get(k).isTextual() || g.get(k).asText().isBlank())) {
                throw bad.apply("'" + path + "." + k + "' must be a non-empty string, got " + g.get(k));
            }
        }
        double[][][] weights = weights(g.path("weights"), path + ".weights", bad);
        PacingFunction pacing = g.has("pacing")
                ? PacingFunctions.fromConfig(g.get("pacing"), path + ".pacing", (k, m) -> bad.apply(m)) : shared;
        try {
            if (g.has("from")) {
                for (String k : List.of("ambiguous_share", "confidence_cut")) {
                    if (g.has(k)) {
                        throw bad.apply("'" + path + "." + k + "' applies to 'ref' only; a datamap.csv ('from') has "
                                + "its regions");
                    }
                }
                java.nio.file.Path file = context.resolve(g.get("from").asText());
                DatamapRegions.Region[] regions;
                try {
                    regions = DatamapCsv.readRegions(file, corpus, context.keyCorpus());
                } catch (ConfigException e) {
                    throw bad.apply("'" + path + ".from': " + e.getMessage());
                }
                return DatamapGuide.fromRegions(regions, weights, pacing);
            }
            double share = DatamapRegions.DEFAULT_AMBIGUOUS_SHARE;
            if (g.has("ambiguous_share")) {
                JsonNode v = g.get("ambiguous_share");
                if (!v.isNumber() || !(v.doubleValue() >= 0 && v.doubleValue() <= 1)) {
                    throw bad.apply("'" + path + ".ambiguous_share' is not a number in [0, 1]: " + v);
                }
                share = v.doubleValue();
            }
            double cut = Double.NaN;
            if (g.has("confidence_cut")) {
                JsonNode v = g.get("confidence_cut");
                if (!v.isNumber() || !Double.isFinite(v.doubleValue())) {
                    throw bad.apply("'" + path + ".confidence_cut' is not a finite number: " + v);
                }
                cut = v.doubleValue();
            }
            String ref = g.get("ref").asText();
            OutcomeObserver o = context.component(ref, OutcomeObserver.class);
            if (!(o instanceof TseDatamap dm)) {
                throw bad.apply("'" + path + ".ref' names component '" + ref + "' (" + o + "), which is not a "
                        + "'datamap' observer; expected components." + ref + " to be {name: datamap, ...}");
            }
            return DatamapGuide.online(dm, corpus, share, cut, weights, pacing);
        } catch (IllegalArgumentException e) {
            throw bad.apply("'" + path + ".weights': " + e.getMessage());
        }
    }

    /** Each region's stops, by region ordinal: easy, ambiguous and hard default to [1], unseen to ambiguous's. */
    private static double[][][] weights(JsonNode w, String path,
                                        java.util.function.Function<String, ConfigException> bad) {
        DatamapRegions.Region[] regions = DatamapRegions.Region.values();
        double[][][] out = new double[regions.length][][];
        if (!w.isMissingNode() && !w.isObject()) {
            throw bad.apply("'" + path + "' must be {easy: w, ambiguous: w, hard: w, unseen: w}, got " + w);
        }
        List<String> names = new ArrayList<>();
        for (DatamapRegions.Region r : regions) {
            names.add(r.label());
        }
        for (var it = w.fieldNames(); it.hasNext(); ) {
            String k = it.next();
            if (!names.contains(k)) {
                throw bad.apply("'" + path + "." + k + "' is not a region; expected " + String.join(", ", names));
            }
        }
        for (DatamapRegions.Region r : regions) {
            JsonNode v = w.get(r.label());
            if (v == null) {
                continue;
            }
            List<JsonNode> stops = new ArrayList<>();
            if (v.isArray()) {
                v.forEach(stops::add);
            } else {
                stops.add(v);
            }
            if (stops.isEmpty()) {
                throw bad.apply("'" + path + "." + r.label() + "' is empty; expected a weight >= 0 or a list of them");
            }
            double[][] s = new double[stops.size()][];
            for (int i = 0; i < s.length; i++) {
                JsonNode x = stops.get(i);
                if (!x.isNumber() || !Double.isFinite(x.doubleValue()) || x.doubleValue() < 0) {
                    throw bad.apply("'" + path + "." + r.label() + "' stop " + (i + 1) + " is not a finite weight >= 0: "
                            + x);
                }
                s[i] = new double[] {x.doubleValue()};
            }
            out[r.ordinal()] = s;
        }
        for (DatamapRegions.Region r : List.of(DatamapRegions.Region.EASY, DatamapRegions.Region.AMBIGUOUS,
                DatamapRegions.Region.HARD)) {
            if (out[r.ordinal()] == null) {
                out[r.ordinal()] = new double[][] {{1}};
            }
        }
        int unseen = DatamapRegions.Region.UNSEEN.ordinal();
        if (out[unseen] == null) {
            out[unseen] = out[DatamapRegions.Region.AMBIGUOUS.ordinal()];
        }
        return out;
    }

    private static void checkSpeakers(Params params, Corpus c, int most, String which) {
        if (c.numSpeakers() < most) {
            throw params.error("speakers", "'" + params.pathOf("speakers") + "' allows mixtures of " + most
                    + " speakers, more than the " + c.numSpeakers() + " speakers of " + which + " (" + c.source() + ")");
        }
        for (int s = 0; s < c.numSpeakers(); s++) {
            if (c.countOf(s) < 2) {
                throw params.error("name", "'" + params.pathOf("name") + "' (" + NAME + ") needs at least 2 "
                        + "utterances of every speaker, one to mix and one to enrol with; speaker '"
                        + c.speakers().get(s) + "' of " + which + " has 1");
            }
        }
    }

    /**
     * The {@code real_corpus}, when set: its utterances are the targets of the {@code real}
     * mixtures, so a datamap maps them after the training corpus's.
     */
    @Override
    public List<Corpus> keyCorpora(Params params, BuildContext context) {
        return params.optString("real_corpus") == null ? List.of() : List.of(realCorpus(params, context));
    }

    /** {@code real_corpus} read, its ids and speakers under {@code real:}, checked against the training corpus. */
    private static Corpus realCorpus(Params params, BuildContext context) {
        Corpus corpus = context.corpus();
        Corpus realCorpus = DomainCorpus.prefixed(read(params, context, "real_corpus"), REAL);
        checkRate(params, "real_corpus", corpus, realCorpus);
        for (var u : realCorpus.utterances()) {
            if (corpus.indexOf(u.id()).isPresent()) {
                throw params.error("real_corpus", "'" + params.pathOf("real_corpus") + "' has utterance '"
                        + u.id() + "' (its ids are read under the prefix '" + DomainCorpus.prefix(REAL) + "'), which the "
                        + "training corpus has too; the two corpora need distinct ids");
            }
        }
        return realCorpus;
    }

    private static Corpus read(Params params, BuildContext context, String key) {
        try {
            return CorpusReader.read(context.resolve(params.optString(key)));
        } catch (CorpusException e) {
            throw params.error(key, "'" + params.pathOf(key) + "' cannot be read: " + e.getMessage());
        }
    }

    private static void checkRate(Params params, String key, Corpus corpus, Corpus other) {
        if (other.size() == 0) {
            throw params.error(key, "'" + params.pathOf(key) + "' is an empty corpus: " + other.source());
        }
        if (corpus.size() > 0 && other.sampleRate() != corpus.sampleRate()) {
            throw params.error(key, "'" + params.pathOf(key) + "' is at " + other.sampleRate() + " Hz; expected the "
                    + "corpus's " + corpus.sampleRate() + " Hz: " + other.source());
        }
    }

    private static PacingFunction pacing(Params params, String key, PacingFunction dflt) {
        if (!params.has(key)) {
            return dflt != null ? dflt : PacingFunctions.linear(0);
        }
        return PacingFunctions.fromConfig(params.getObject(key), params.pathOf(key), (k, m) -> params.error(key, m));
    }

    private static int[] counts(Params params) {
        List<Double> v = params.getDoubles("speakers");
        if (v.isEmpty()) {
            throw params.error("speakers", "'" + params.pathOf("speakers") + "' is empty; expected speaker counts");
        }
        int[] counts = new int[v.size()];
        for (int i = 0; i < counts.length; i++) {
            double d = v.get(i);
            if (d != Math.rint(d) || d < 2 || d > 64 || (i > 0 && d <= counts[i - 1])) {
                throw params.error("speakers", "'" + params.pathOf("speakers") + "' must be increasing whole numbers "
                        + "in [2, 64]: " + v);
            }
            counts[i] = (int) d;
        }
        return counts;
    }

    private static double[][] shares(Params params, int[] counts) {
        if (!params.has("speaker_shares")) {
            double[] uniform = new double[counts.length];
            Arrays.fill(uniform, 1.0 / counts.length);
            return new double[][] {uniform};
        }
        double[][] stops = stops(params, "speaker_shares", counts.length, "one share per speaker count "
                + Arrays.toString(counts));
        for (int i = 0; i < stops.length; i++) {
            double sum = 0;
            for (double x : stops[i]) {
                if (!(x >= 0 && x <= 1)) {
                    throw params.error("speaker_shares", "'" + params.pathOf("speaker_shares") + "' stop " + (i + 1)
                            + " has a share outside [0, 1]: " + Arrays.toString(stops[i]));
                }
                sum += x;
            }
            if (Math.abs(sum - 1) > CurriculumSettings.SHARE_SUM_TOLERANCE) {
                throw params.error("speaker_shares", "'" + params.pathOf("speaker_shares") + "' stop " + (i + 1)
                        + " does not sum to 1 (sum " + sum + "): " + Arrays.toString(stops[i]));
            }
        }
        return stops;
    }

    private static double[][] ranges(Params params, String key, double[] dflt) {
        if (!params.has(key)) {
            return new double[][] {dflt};
        }
        return stops(params, key, 2, "[low, high]");
    }

    /** One stop (a flat list of numbers) or a list of stops, each of {@code width} numbers. */
    private static double[][] stops(Params params, String key, int width, String what) {
        JsonNode v = params.getObject(key);
        String bad = "'" + params.pathOf(key) + "' must be " + what + " or a list of them from easy to hard, got ";
        if (!v.isArray() || v.isEmpty()) {
            throw params.error(key, bad + v);
        }
        List<JsonNode> rows = new ArrayList<>();
        if (v.get(0).isNumber()) {
            rows.add(v);
        } else {
            v.forEach(rows::add);
        }
        double[][] out = new double[rows.size()][];
        for (int i = 0; i < out.length; i++) {
            JsonNode r = rows.get(i);
            if (!r.isArray() || r.size() != width) {
                throw params.error(key, bad + JSON.valueToTree(r));
            }
            out[i] = new double[width];
            for (int j = 0; j < width; j++) {
                if (!r.get(j).isNumber() || !Double.isFinite(r.get(j).doubleValue())) {
                    throw params.error(key, bad + r);
                }
                out[i][j] = r.get(j).doubleValue();
            }
        }
        return out;
    }
}
