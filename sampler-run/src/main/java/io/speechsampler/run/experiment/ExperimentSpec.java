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
 */
public record ExperimentSpec(Path file, List<Long> seeds, SynthSpec synth, Path train, Path valid, Path test,
                             List<TestSet> tests, List<ExtraCorpus> corpora, String metric, List<SystemSpec> systems) {

    /** One system: a config file and its overrides ({@code ${corpora.NAME}} not yet replaced). */
    public record SystemSpec(String name, Path config, List<String> set) {
    }

    /**
     * A fixed test set: its name, the corpus it draws from (null: the experiment's test corpus, else
     * a name of {@code corpora}), its protocol (null: each run's own validation protocol) and the
     * run's sub-folder its evaluation goes to.
     */
    public record TestSet(String name, String corpus, Protocol protocol, String folder) {
    }

    /** A further corpus: made from {@code synth} in {@code OUT/corpora/NAME}, or the folder {@code root}. */
    public record ExtraCorpus(String name, SynthSpec synth, Path root) {

        /** Its folder (with {@code train} and {@code test}) for an experiment writing to {@code out}. */
        public Path folder(Path out) {
            return synth != null ? out.resolve("corpora").resolve(name) : root;
        }
    }

    /** The folder of the single-test form's evaluation, as before {@code tests}. */
    public static final String TEST_FOLDER = "test";

    private static final java.util.regex.Pattern CORPUS_REF = java.util.regex.Pattern.compile("\\$\\{corpora\\.([^}]*)}");
    private static final java.util.regex.Pattern OWN_CORPUS_REF = java.util.regex.Pattern.compile("\\$\\{corpus\\.([^}]*)}");
    private static final String NAME_RULE = "[A-Za-z0-9][A-Za-z0-9_.-]*";

    private static final Set<String> KEYS = Set.of("seeds", "corpus", "corpora", "test", "tests", "metric", "systems");
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
                throw origin.error(k, "unknown key '" + k + "'; expected one of: corpora, corpus, metric, seeds, systems, "
                        + "test, tests");
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
            if (!n.isObject() || !n.hasNonNull("name") || !n.hasNonNull("config")) {
                throw origin.error(where, "'" + where + "' needs 'name' and 'config'");
            }
            String name = n.get("name").asText();
            if (!name.matches(NAME_RULE) || !seen.add(name)) {
                throw origin.error(where + ".name", "'" + where + ".name' must be a unique folder name of letters, "
                        + "digits, '.', '_' and '-', got '" + name + "'");
            }
            List<String> set = new ArrayList<>();
            n.path("set").forEach(v -> set.add(v.asText()));
            for (String v : set) {
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
            Path config = dir.resolve(n.get("config").asText()).normalize();
            if (!Files.isRegularFile(config)) {
                throw origin.error(where + ".config", "'" + where + ".config': " + config + " not found");
            }
            systems.add(new SystemSpec(name, config, List.copyOf(set)));
        }
        return new ExperimentSpec(file, List.copyOf(seeds), synth, train, valid, test, tests, corpora, metric,
                List.copyOf(systems));
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
        Path root = out.resolve("corpus");
        Map<String, Path> own = new java.util.HashMap<>();
        own.put("train", synth != null ? root.resolve("train") : train);
        own.put("valid", synth != null ? root.resolve("valid") : valid);
        own.put("test", synth != null ? root.resolve("test") : test);
        List<String> set = new ArrayList<>();
        for (String v : system.set()) {
            for (ExtraCorpus c : corpora) {
                v = v.replace("${corpora." + c.name() + "}", c.folder(out).toAbsolutePath().toString());
            }
            for (Map.Entry<String, Path> e : own.entrySet()) {
                if (e.getValue() != null) {
                    v = v.replace("${corpus." + e.getKey() + "}", e.getValue().toAbsolutePath().toString());
                }
            }
            set.add(v);
        }
        return set;
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
                out.add(new ExtraCorpus(e.getKey(), synth(v.get("synth"), origin, where + ".synth"), null));
            } else if (v.isObject() && v.size() == 1 && v.hasNonNull("root")) {
                Path root = dir.resolve(v.get("root").asText()).normalize();
                if (!Files.isDirectory(root.resolve("test"))) {
                    throw origin.error(where + ".root", "'" + where + ".root': " + root + " has no 'test' folder; "
                            + "expected a corpus folder with train and test (as 'sampler corpus synth' writes)");
                }
                out.add(new ExtraCorpus(e.getKey(), null, root));
            } else {
                throw origin.error(where, "'" + where + "' must be {synth: {...}} or {root: DIR}, got " + v);
            }
        }
        return List.copyOf(out);
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
