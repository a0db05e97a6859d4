package io.speechsampler.run.experiment;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import io.speechsampler.api.config.ConfigException;
import io.speechsampler.api.config.ConfigOrigin;
import io.speechsampler.api.config.YamlLines;
import io.speechsampler.api.io.AtomicFiles;
import io.speechsampler.audio.synth.SynthSpec;
import io.speechsampler.run.validation.Protocol;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * An experiment file: systems (each a config and {@code --set} overrides) run with every seed,
 * each evaluated on one fixed test set.
 *
 * <pre>
 * seeds: [1, 2, 3]
 * corpus: {synth: {speakers: 40, utterances: 12, seconds: 3.0, rate: 8000, seed: 20261122, valid: 4, test: 4}}
 * # or: corpus: {train: data/train, valid: data/valid, test: data/test}
 * test: {protocol: mixtures, speakers: [2], count: 300, seed: 7}
 * metric: si_snri_db
 * systems:
 *   - {name: dynamic-mixing, config: ../../examples/separation.yaml, set: ["train.epochs=10"]}
 *   - {name: hard-resample, config: hard.yaml}
 * </pre>
 *
 * Paths are relative to the experiment file. {@code metric} is a key of the evaluation's
 * {@code summary.json} ({@code si_snri_db}, {@code hsr5_percent}, {@code eer_percent}).
 *
 * <p>Several fixed test sets, one per condition, replace {@code test} with {@code tests}, a map from
 * a name to a protocol (a {@link Protocol} section, with {@code sampler} for fixed factors), each
 * optionally on another corpus of {@code corpora} ({@code corpus: NAME}: its {@code test} folder);
 * every run is evaluated on each, into {@code test-NAME/}. {@code corpora} maps names to further
 * corpora, {@code {synth: {...}}} (made once in {@code OUT/corpora/NAME}) or {@code {root: DIR}}
 * (a folder with {@code train} and {@code test}); a system's {@code set} values may name one's
 * folder as {@code ${corpora.NAME}}, e.g. {@code "sampler.real_corpus=${corpora.real}/train"}, and the
 * experiment's own folders as {@code ${corpus.train}}, {@code ${corpus.valid}}, {@code ${corpus.test}}.
 * <pre>
 * corpora: {real: {synth: {speakers: 40, utterances: 12, seconds: 3.0, rate: 8000, seed: 7, valid: 0, test: 4}}}
 * tests:
 *   speakers-3: {protocol: mixtures, count: 200, sampler: {name: multi-factor-curriculum, speakers: [3]}}
 *   real: {corpus: real, protocol: mixtures, speakers: [2], count: 200}
 * </pre>
 *
 *
 * <p>A further corpus may be made from another ({@code from}: {@code train}, {@code valid},
 * {@code test} or an earlier name of {@code corpora}) into {@code OUT/corpora/NAME/train}:
 * {@code {mix: {from, speakers, count, seconds, gain_db, seed}}} (mixture recordings, as
 * {@code sampler corpus mix}) or {@code {subset: {from, utterances | fraction, seed}}} (as
 * {@code sampler corpus subset}). A system's {@code data} maps its recipe's {@code data:NAME}
 * corpora to folders; {@code {name: X, run: Y, phase: P}} evaluates phase {@code P} of system
 * {@code Y}'s run; {@code metric} on a system is its own summary key; {@code report} lists further
 * summary keys to tabulate; {@code pairs} lists {@code [A, B]} paired differences.
 *
 * @param file    the experiment file
 * @param seeds   the seeds, each a run of every system
 * @param synth   the built-in corpus to make once in the output folder, or null
 * @param train   training corpus (when not synthesised)
 * @param valid   validation corpus, or null
 * @param test    test corpus
 * @param tests   the fixed test sets (one, named {@code test}, for a {@code test} section or none)
 * @param corpora the further corpora, by name, in file order
 * @param metric  the summary key compared
 * @param systems the systems, the first the reference of paired differences
 * @param report  further summary keys tabulated per system
 * @param pairs   further paired differences
 */
public record ExperimentSpec(Path file, List<Long> seeds, SynthSpec synth, Path train, Path valid, Path test,
                             List<TestSet> tests, List<ExtraCorpus> corpora, String metric, List<SystemSpec> systems,
                             List<String> report, List<Pair> pairs) {

    /**
     * One system: a config file and its overrides ({@code ${corpora.NAME}} not yet replaced), the
     * named corpora of its recipe's {@code data:NAME} phases, or (with {@code run}) no config of its
     * own but another system's run; the recipe phase it evaluates (null: the run's last) and its
     * own metric (null: the experiment's).
     */
    public record SystemSpec(String name, Path config, List<String> set, Map<String, String> data, String run,
                             String phase, String metric) {

        /** The system whose run this one evaluates: {@code run}, else itself. */
        public String owner() {
            return run != null ? run : name;
        }
    }

    /** A paired comparison {@code a - b} by seed, reported beside the differences to the first system. */
    public record Pair(String a, String b) {
    }

    /**
     * A further corpus made from another one: {@code mix} ({@code sampler corpus mix}: {@code count}
     * mixture recordings of {@code speakers} speakers, {@code seconds} long, gains in
     * [-{@code gainDb}, {@code gainDb}]) or {@code subset} ({@code sampler corpus subset}: {@code count}
     * utterances, or {@code fraction} of them) of {@code from}: {@code train}, {@code valid} or
     * {@code test} (the experiment's own folders) or the name of an earlier entry of {@code corpora}
     * (its {@code train} folder).
     */
    public record Derived(String kind, String from, int speakers, Integer count, double seconds, double gainDb,
                          Double fraction, long seed) {
    }

    /**
     * A fixed test set: its name, the corpus it draws from (null: the experiment's test corpus, else
     * a name of {@code corpora}), its protocol (null: each run's own validation protocol) and the
     * run's sub-folder its evaluation goes to.
     */
    public record TestSet(String name, String corpus, Protocol protocol, String folder) {
    }

    /**
     * A further corpus: made from {@code synth} or {@code derived} in {@code OUT/corpora/NAME}, or the
     * folder {@code root}. A derived corpus has a {@code train} folder only.
     */
    public record ExtraCorpus(String name, SynthSpec synth, Path root, Derived derived) {

        /** Its folder (with {@code train}, and {@code test} unless derived) for an experiment writing to {@code out}. */
        public Path folder(Path out) {
            return root != null ? root : out.resolve("corpora").resolve(name);
        }
    }

    /** The folder of the single-test form's evaluation, as before {@code tests}. */
    public static final String TEST_FOLDER = "test";

    private static final java.util.regex.Pattern CORPUS_REF = java.util.regex.Pattern.compile("\\$\\{corpora\\.([^}]*)}");
    private static final java.util.regex.Pattern OWN_CORPUS_REF = java.util.regex.Pattern.compile("\\$\\{corpus\\.([^}]*)}");
    private static final String NAME_RULE = "[A-Za-z0-9][A-Za-z0-9_.-]*";

    private static final Set<String> KEYS = Set.of("seeds", "corpus", "corpora", "test", "tests", "metric", "systems",
            "report", "pairs");
    private static final Set<String> SYSTEM_KEYS = Set.of("name", "config", "set", "data", "run", "phase", "metric");
    private static final YAMLMapper YAML = new YAMLMapper();

    public static ExperimentSpec load(Path file) {
        String text;
        try {
            text = Files.readString(file);
        } catch (NoSuchFileException e) {
            throw new ConfigException(file + ": experiment file not found");
        } catch (IOException e) {
            throw new ConfigException(file + ": cannot read: " + AtomicFiles.reason(e), e);
        }
        Map<String, Integer> lines = YamlLines.index(text, file.toString());
        ConfigOrigin origin = new ConfigOrigin(file.toString(), lines);
        JsonNode root;
        try {
            root = YAML.readTree(text);
        } catch (JsonProcessingException e) {
            throw YamlLines.syntaxError(file.toString(), e);
        }
        if (root == null || !root.isObject()) {
            throw new ConfigException(file + ": an experiment is a map with seeds, corpus, test, metric and systems");
        }
        Iterator<String> names = root.fieldNames();
        while (names.hasNext()) {
            String k = names.next();
            if (!KEYS.contains(k)) {
                throw origin.error(k, "unknown key '" + k + "'; expected one of: corpora, corpus, metric, pairs, report, "
                        + "seeds, systems, test, tests");
            }
        }
        Path dir = file.toAbsolutePath().getParent();
        List<Long> seeds = new ArrayList<>();
        JsonNode s = root.path("seeds");
        if (!s.isArray() || s.isEmpty()) {
            throw origin.error("seeds", "'seeds' must be a list of integers such as [1, 2, 3] (at least 3 for an "
                    + "interval worth reading)");
        }
        for (JsonNode n : s) {
            if (!n.isIntegralNumber()) {
                throw origin.error("seeds", "'seeds' must hold integers, got " + n);
            }
            if (seeds.contains(n.asLong())) {
                throw origin.error("seeds", "'seeds' names seed " + n.asLong() + " twice");
            }
            seeds.add(n.asLong());
        }
        JsonNode c = root.path("corpus");
        if (!c.isObject()) {
            throw origin.error("corpus", "'corpus' must be {synth: {...}} or {train: DIR, valid: DIR, test: DIR}");
        }
        SynthSpec synth = null;
        Path train = null;
        Path valid = null;
        Path test = null;
        if (c.has("synth")) {
            synth = synth(c.get("synth"), origin, "corpus.synth");
        } else {
            train = path(c, "train", dir, origin, true);
            valid = path(c, "valid", dir, origin, false);
            test = path(c, "test", dir, origin, true);
        }
        List<ExtraCorpus> corpora = corpora(root.path("corpora"), dir, origin);
        List<TestSet> tests = tests(root, dir, origin, corpora);
        String metric = root.path("metric").asText("si_snri_db");
        JsonNode sys = root.path("systems");
        if (!sys.isArray() || sys.isEmpty()) {
            throw origin.error("systems", "'systems' must be a list of {name, config, set}");
        }
        List<SystemSpec> systems = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < sys.size(); i++) {
            JsonNode n = sys.get(i);
            String where = "systems[" + i + "]";
            if (!n.isObject() || !n.hasNonNull("name") || !(n.hasNonNull("config") || n.hasNonNull("run"))) {
                throw origin.error(where, "'" + where + "' needs 'name' and 'config' (or 'run': another system's name)");
            }
            Iterator<String> keys = n.fieldNames();
            while (keys.hasNext()) {
                String k = keys.next();
                if (!SYSTEM_KEYS.contains(k)) {
                    throw origin.error(where + "." + k, "'" + where + "' has unknown key '" + k + "'; expected one of: "
                            + "config, data, metric, name, phase, run, set");
                }
            }
            String name = n.get("name").asText();
            if (!name.matches(NAME_RULE) || !seen.add(name)) {
                throw origin.error(where + ".name", "'" + where + ".name' must be a unique folder name of letters, "
                        + "digits, '.', '_' and '-', got '" + name + "'");
            }
            String phase = n.hasNonNull("phase") ? n.get("phase").asText() : null;
            String own = n.hasNonNull("metric") ? n.get("metric").asText() : null;
            if (n.hasNonNull("run")) {
                String run = n.get("run").asText();
                if (n.has("config") || n.has("set") || n.has("data")) {
                    throw origin.error(where + ".run", "'" + where + "' evaluates system '" + run + "''s run: it takes "
                            + "no config, set or data of its own (only name, run, phase, metric)");
                }
                SystemSpec owner = systems.stream().filter(x -> x.name().equals(run)).findFirst().orElse(null);
                if (owner == null || owner.config() == null) {
                    throw origin.error(where + ".run", "'" + where + ".run' is '" + run + "', not an earlier system with "
                            + "a config (" + systems.stream().filter(x -> x.config() != null).map(SystemSpec::name)
                            .collect(java.util.stream.Collectors.joining(", ")) + ")");
                }
                systems.add(new SystemSpec(name, null, List.of(), Map.of(), run, phase, own));
                continue;
            }
            List<String> set = new ArrayList<>();
            n.path("set").forEach(v -> set.add(v.asText()));
            Map<String, String> data = new java.util.LinkedHashMap<>();
            JsonNode d = n.path("data");
            if (!d.isMissingNode()) {
                if (!d.isObject()) {
                    throw origin.error(where + ".data", "'" + where + ".data' must map the recipe's corpus names "
                            + "(corpus: \"data:NAME\") to folders, e.g. {unlabelled: \"${corpora.unlabelled}/train\"}");
                }
                d.fields().forEachRemaining(e -> data.put(e.getKey(), e.getValue().asText()));
            }
            List<String> values = new ArrayList<>(set);
            values.addAll(data.values());
            for (String v : values) {
                checkRefs(v, where, c, synth, valid, corpora, origin);
            }
            Path config = dir.resolve(n.get("config").asText()).normalize();
            if (!Files.isRegularFile(config)) {
                throw origin.error(where + ".config", "'" + where + ".config': " + config + " not found");
            }
            systems.add(new SystemSpec(name, config, List.copyOf(set), java.util.Collections.unmodifiableMap(data),
                    null, phase, own));
        }
        List<String> report = new ArrayList<>();
        JsonNode r = root.path("report");
        if (!r.isMissingNode()) {
            if (!r.isArray()) {
                throw origin.error("report", "'report' must be a list of summary keys, e.g. [hsr5_percent, "
                        + "over_separation_percent]");
            }
            r.forEach(v -> report.add(v.asText()));
        }
        List<Pair> pairs = new ArrayList<>();
        JsonNode ps = root.path("pairs");
        if (!ps.isMissingNode()) {
            if (!ps.isArray()) {
                throw origin.error("pairs", "'pairs' must be a list of [A, B] system names (paired difference A - B)");
            }
            for (JsonNode pr : ps) {
                if (!pr.isArray() || pr.size() != 2) {
                    throw origin.error("pairs", "'pairs' holds [A, B] system names, got " + pr);
                }
                for (JsonNode x : pr) {
                    if (!seen.contains(x.asText())) {
                        throw origin.error("pairs", "'pairs' names system '" + x.asText() + "', which 'systems' does not "
                                + "have (" + String.join(", ", systems.stream().map(SystemSpec::name).toList()) + ")");
                    }
                }
                pairs.add(new Pair(pr.get(0).asText(), pr.get(1).asText()));
            }
        }
        return new ExperimentSpec(file, List.copyOf(seeds), synth, train, valid, test, tests, corpora, metric,
                List.copyOf(systems), List.copyOf(report), List.copyOf(pairs));
    }

    /** Refuses a {@code ${corpus.X}} or {@code ${corpora.X}} reference the experiment does not have. */
    private static void checkRefs(String v, String where, JsonNode c, SynthSpec synth, Path valid,
                                  List<ExtraCorpus> corpora, ConfigOrigin origin) {
        java.util.regex.Matcher own = OWN_CORPUS_REF.matcher(v);
        while (own.find()) {
            String ref = own.group(1);
            boolean known = ref.equals("train") || ref.equals("test")
                    || (ref.equals("valid") && (c.has("synth") ? synth.validSpeakers() > 0 : valid != null));
            if (!known) {
                throw origin.error(where + ".set", "'" + where + ".set' names ${corpus." + ref + "}; expected "
                        + "${corpus.train}, ${corpus.test} or ${corpus.valid} (when the experiment has one)");
            }
        }
        java.util.regex.Matcher m = CORPUS_REF.matcher(v);
        while (m.find()) {
            String ref = m.group(1);
            if (corpora.stream().noneMatch(x -> x.name().equals(ref))) {
                throw origin.error(where + ".set", "'" + where + ".set' names ${corpora." + ref + "}, but "
                        + "'corpora' has " + (corpora.isEmpty() ? "none" : corpora.stream()
                        .map(ExtraCorpus::name).collect(java.util.stream.Collectors.joining(", "))));
            }
        }
    }

    /** The single test set's protocol (the {@code test} form), or null. */
    public Protocol protocol() {
        return tests.size() == 1 && tests.get(0).folder().equals(TEST_FOLDER) ? tests.get(0).protocol() : null;
    }

    /**
     * A system's {@code set} values with {@code ${corpora.NAME}} replaced by the corpora's folders
     * and {@code ${corpus.train}}, {@code ${corpus.valid}}, {@code ${corpus.test}} by the
     * experiment's own (for example the held-out speakers as DropAdapt's enrolment corpus), for an
     * experiment writing to {@code out}.
     */
    public List<String> resolvedSet(SystemSpec system, Path out) {
        return system.set().stream().map(v -> resolved(v, out)).toList();
    }

    /** A system's {@code data} map with its references replaced, as folders (the recipe's {@code --data NAME=DIR}). */
    public Map<String, Path> resolvedData(SystemSpec system, Path out) {
        Map<String, Path> data = new java.util.LinkedHashMap<>();
        system.data().forEach((k, v) -> data.put(k, file.toAbsolutePath().getParent().resolve(resolved(v, out))
                .normalize()));
        return data;
    }

    /** The experiment's own folder {@code train}, {@code valid} or {@code test} (null when it has none). */
    public Path own(String which, Path out) {
        Path root = out.resolve("corpus");
        return switch (which) {
            case "train" -> synth != null ? root.resolve("train") : train;
            case "valid" -> synth != null ? (synth.validSpeakers() > 0 ? root.resolve("valid") : null) : valid;
            case "test" -> synth != null ? root.resolve("test") : test;
            default -> throw new IllegalArgumentException("not a folder of the experiment: " + which);
        };
    }

    private String resolved(String v, Path out) {
        for (ExtraCorpus c : corpora) {
            v = v.replace("${corpora." + c.name() + "}", c.folder(out).toAbsolutePath().toString());
        }
        for (String which : List.of("train", "valid", "test")) {
            Path p = own(which, out);
            if (p != null) {
                v = v.replace("${corpus." + which + "}", p.toAbsolutePath().toString());
            }
        }
        return v;
    }

    private static SynthSpec synth(JsonNode y, ConfigOrigin origin, String where) {
        if (!y.isObject()) {
            throw origin.error(where, "'" + where + "' must be a map such as {speakers: 40, utterances: 12, seconds: "
                    + "3.0, rate: 8000, seed: 1, valid: 4, test: 4}");
        }
        try {
            return new SynthSpec(y.path("speakers").asInt(40), y.path("utterances").asInt(12),
                    y.path("seconds").asDouble(3.0), y.path("rate").asInt(8000), y.path("seed").asLong(20261122L),
                    y.path("valid").asInt(4), y.path("test").asInt(4));
        } catch (IllegalArgumentException e) {
            throw origin.error(where, "'" + where + "': " + e.getMessage());
        }
    }

    private static List<ExtraCorpus> corpora(JsonNode node, Path dir, ConfigOrigin origin) {
        if (node.isMissingNode() || node.isNull()) {
            return List.of();
        }
        if (!node.isObject()) {
            throw origin.error("corpora", "'corpora' must map names to {synth: {...}} or {root: DIR}");
        }
        List<ExtraCorpus> out = new ArrayList<>();
        Iterator<Map.Entry<String, JsonNode>> it = node.fields();
        while (it.hasNext()) {
            Map.Entry<String, JsonNode> e = it.next();
            String where = "corpora." + e.getKey();
            if (!e.getKey().matches(NAME_RULE)) {
                throw origin.error(where, "'" + where + "': a corpus name is letters, digits, '.', '_' and '-'");
            }
            JsonNode v = e.getValue();
            if (v.isObject() && v.size() == 1 && v.has("synth")) {
                out.add(new ExtraCorpus(e.getKey(), synth(v.get("synth"), origin, where + ".synth"), null, null));
            } else if (v.isObject() && v.size() == 1 && v.hasNonNull("root")) {
                Path root = dir.resolve(v.get("root").asText()).normalize();
                if (!Files.isDirectory(root.resolve("test"))) {
                    throw origin.error(where + ".root", "'" + where + ".root': " + root + " has no 'test' folder; "
                            + "expected a corpus folder with train and test (as 'sampler corpus synth' writes)");
                }
                out.add(new ExtraCorpus(e.getKey(), null, root, null));
            } else if (v.isObject() && v.size() == 1 && (v.has("mix") || v.has("subset"))) {
                out.add(new ExtraCorpus(e.getKey(), null, null, derived(v, where, out, origin)));
            } else {
                throw origin.error(where, "'" + where + "' must be {synth: {...}}, {root: DIR}, {mix: {...}} or "
                        + "{subset: {...}}, got " + v);
            }
        }
        return List.copyOf(out);
    }

    private static final Set<String> MIX_KEYS = Set.of("from", "speakers", "count", "seconds", "gain_db", "seed");
    private static final Set<String> SUBSET_KEYS = Set.of("from", "utterances", "fraction", "seed");

    private static Derived derived(JsonNode v, String where, List<ExtraCorpus> earlier, ConfigOrigin origin) {
        String kind = v.has("mix") ? "mix" : "subset";
        String at = where + "." + kind;
        JsonNode y = v.get(kind);
        Set<String> allowed = kind.equals("mix") ? MIX_KEYS : SUBSET_KEYS;
        if (!y.isObject()) {
            throw origin.error(at, "'" + at + "' must be a map, e.g. " + (kind.equals("mix")
                    ? "{from: train, speakers: 2, count: 400, seconds: 3.0, seed: 1}" : "{from: train, fraction: 0.1, seed: 1}"));
        }
        y.fieldNames().forEachRemaining(k -> {
            if (!allowed.contains(k)) {
                throw origin.error(at + "." + k, "'" + at + "' has unknown key '" + k + "'; expected one of: "
                        + String.join(", ", new java.util.TreeSet<>(allowed)));
            }
        });
        String from = y.path("from").asText("train");
        boolean own = from.equals("train") || from.equals("valid") || from.equals("test");
        if (!own && earlier.stream().noneMatch(x -> x.name().equals(from))) {
            throw origin.error(at + ".from", "'" + at + ".from' is '" + from + "'; expected train, valid, test or an "
                    + "earlier name of 'corpora' (" + (earlier.isEmpty() ? "none" : earlier.stream()
                    .map(ExtraCorpus::name).collect(java.util.stream.Collectors.joining(", "))) + ")");
        }
        long seed = y.path("seed").asLong(1);
        if (kind.equals("mix")) {
            int speakers = y.path("speakers").asInt(2);
            int count = y.path("count").asInt(0);
            double seconds = y.path("seconds").asDouble(4.0);
            double gain = y.path("gain_db").asDouble(5.0);
            if (speakers < 2) {
                throw origin.error(at + ".speakers", "'" + at + ".speakers' must be at least 2, got " + speakers);
            }
            if (count < 1) {
                throw origin.error(at + ".count", "'" + at + ".count' (mixture recordings) must be at least 1, got "
                        + y.path("count"));
            }
            if (!(seconds >= 0 && seconds <= 3600)) {
                throw origin.error(at + ".seconds", "'" + at + ".seconds' must be in [0, 3600], got " + seconds);
            }
            if (!(gain >= 0 && gain <= 60)) {
                throw origin.error(at + ".gain_db", "'" + at + ".gain_db' must be in [0, 60], got " + gain);
            }
            return new Derived(kind, from, speakers, count, seconds, gain, null, seed);
        }
        if (y.has("utterances") == y.has("fraction")) {
            throw origin.error(at, "'" + at + "' needs one of 'utterances' (a count) and 'fraction' (in (0, 1])");
        }
        Integer count = y.has("utterances") ? y.get("utterances").asInt() : null;
        Double fraction = y.has("fraction") ? y.get("fraction").asDouble() : null;
        if (count != null && count < 1) {
            throw origin.error(at + ".utterances", "'" + at + ".utterances' must be at least 1, got " + count);
        }
        if (fraction != null && !(fraction > 0 && fraction <= 1)) {
            throw origin.error(at + ".fraction", "'" + at + ".fraction' must be in (0, 1], got " + fraction);
        }
        return new Derived(kind, from, 0, count, 0, 0, fraction, seed);
    }

    private static List<TestSet> tests(JsonNode root, Path dir, ConfigOrigin origin, List<ExtraCorpus> corpora) {
        if (root.has("test") && root.has("tests")) {
            throw origin.error("tests", "'test' and 'tests' are both set; use 'tests' (named test sets) or 'test' (one)");
        }
        if (!root.has("tests")) {
            JsonNode t = root.path("test");
            Protocol protocol = t.isObject() ? Protocol.fromNode((ObjectNode) t, origin, "test", dir) : null;
            return List.of(new TestSet(TEST_FOLDER, null, protocol, TEST_FOLDER));
        }
        JsonNode ts = root.get("tests");
        if (!ts.isObject() || ts.isEmpty()) {
            throw origin.error("tests", "'tests' must map names to protocols, e.g. {speakers-3: {protocol: mixtures, "
                    + "speakers: [3], count: 200}}");
        }
        List<TestSet> out = new ArrayList<>();
        Iterator<Map.Entry<String, JsonNode>> it = ts.fields();
        while (it.hasNext()) {
            Map.Entry<String, JsonNode> e = it.next();
            String where = "tests." + e.getKey();
            if (!e.getKey().matches(NAME_RULE)) {
                throw origin.error(where, "'" + where + "': a test set's name is letters, digits, '.', '_' and '-'");
            }
            if (!e.getValue().isObject()) {
                throw origin.error(where, "'" + where + "' must be a protocol section, e.g. {protocol: mixtures, "
                        + "count: 200}");
            }
            ObjectNode section = ((ObjectNode) e.getValue()).deepCopy();
            String corpus = null;
            if (section.has("corpus")) {
                corpus = section.remove("corpus").asText();
                String c = corpus;
                if (corpora.stream().anyMatch(x -> x.name().equals(c) && x.derived() != null)) {
                    throw origin.error(where + ".corpus", "'" + where + ".corpus' is '" + c + "', a " + corpora.stream()
                            .filter(x -> x.name().equals(c)).findFirst().orElseThrow().derived().kind() + " corpus: it "
                            + "has a train folder only; test sets draw from a corpus with test speakers");
                }
                if (corpora.stream().noneMatch(x -> x.name().equals(c))) {
                    throw origin.error(where + ".corpus", "'" + where + ".corpus' is '" + c + "', not a name of "
                            + "'corpora' (" + (corpora.isEmpty() ? "none" : corpora.stream().map(ExtraCorpus::name)
                            .collect(java.util.stream.Collectors.joining(", "))) + ")");
                }
            }
            out.add(new TestSet(e.getKey(), corpus, Protocol.fromNode(section, origin, where, dir),
                    TEST_FOLDER + "-" + e.getKey()));
        }
        return List.copyOf(out);
    }

    private static Path path(JsonNode c, String key, Path dir, ConfigOrigin origin, boolean required) {
        if (!c.hasNonNull(key)) {
            if (required) {
                throw origin.error("corpus", "'corpus." + key + "' is missing: a corpus folder");
            }
            return null;
        }
        Path p = dir.resolve(c.get(key).asText()).normalize();
        if (!Files.exists(p)) {
            throw origin.error("corpus." + key, "'corpus." + key + "': " + p + " not found");
        }
        return p;
    }
}
