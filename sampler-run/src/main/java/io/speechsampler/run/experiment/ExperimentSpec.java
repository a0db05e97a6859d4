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
 * @param file    the experiment file
 * @param seeds   the seeds, each a run of every system
 * @param synth   the built-in corpus to make once in the output folder, or null
 * @param train   training corpus (when not synthesised)
 * @param valid   validation corpus, or null
 * @param test    test corpus
 * @param protocol the fixed test set's protocol, or null for each run's own
 * @param metric  the summary key compared
 * @param systems the systems, the first the reference of paired differences
 */
public record ExperimentSpec(Path file, List<Long> seeds, SynthSpec synth, Path train, Path valid, Path test,
                             Protocol protocol, String metric, List<SystemSpec> systems) {

    /** One system: a config file and its overrides. */
    public record SystemSpec(String name, Path config, List<String> set) {
    }

    private static final Set<String> KEYS = Set.of("seeds", "corpus", "test", "metric", "systems");
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
                throw origin.error(k, "unknown key '" + k + "'; expected one of: corpus, metric, seeds, systems, test");
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
            JsonNode y = c.get("synth");
            try {
                synth = new SynthSpec(y.path("speakers").asInt(40), y.path("utterances").asInt(12),
                        y.path("seconds").asDouble(3.0), y.path("rate").asInt(8000), y.path("seed").asLong(20261122L),
                        y.path("valid").asInt(4), y.path("test").asInt(4));
            } catch (IllegalArgumentException e) {
                throw origin.error("corpus.synth", "'corpus.synth': " + e.getMessage());
            }
        } else {
            train = path(c, "train", dir, origin, true);
            valid = path(c, "valid", dir, origin, false);
            test = path(c, "test", dir, origin, true);
        }
        Protocol protocol = root.hasNonNull("test") && root.get("test").isObject()
                ? Protocol.fromNode((ObjectNode) root.get("test"), origin, "test") : null;
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
            if (!name.matches("[A-Za-z0-9][A-Za-z0-9_.-]*") || !seen.add(name)) {
                throw origin.error(where + ".name", "'" + where + ".name' must be a unique folder name of letters, "
                        + "digits, '.', '_' and '-', got '" + name + "'");
            }
            List<String> set = new ArrayList<>();
            n.path("set").forEach(v -> set.add(v.asText()));
            Path config = dir.resolve(n.get("config").asText()).normalize();
            if (!Files.isRegularFile(config)) {
                throw origin.error(where + ".config", "'" + where + ".config': " + config + " not found");
            }
            systems.add(new SystemSpec(name, config, List.copyOf(set)));
        }
        return new ExperimentSpec(file, List.copyOf(seeds), synth, train, valid, test, protocol, metric,
                List.copyOf(systems));
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
