package io.speechsampler.api.config;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import io.speechsampler.api.io.AtomicFiles;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * A run's config, immutable and validated for shape (known keys, types); provider parameters are
 * validated when the pipeline is built against each provider's specs.
 *
 * <pre>
 * corpus: data/train        # Kaldi dir, JSONL manifest or a dir holding manifest.jsonl
 * seed: 42
 * sampler: {name: shuffle}
 * stages: [{name: hard-resample, table: hard.tsv, p_s: 0.3}]
 * batch: {name: fixed, size: 16}
 * shard: {drop_last: false}
 * weighting: {name: uniform}
 * mask: {name: drop-class, ...}     # optional
 * observers: [{name: datamap}]      # optional
 * components: {dc: {name: drop-class, ...}}   # optional: named once, referred to as {ref: dc}
 * model: {...}                      # read by the trainer: which network (a ModelProvider's name)
 * task: {...}                       # read by the trainer: what it trains for (a TaskProvider's name)
 * validation: {...}                 # read by the trainer: the validation protocol
 * train: {...}                      # read by the trainer
 * phases: [...]                     # a Recipe's phases: not read here, the rest is the recipe's base
 * </pre>
 *
 * <p>{@link #load(Path, List)} and {@link #parse(String, String, Path, List)} apply {@code --set}
 * overrides ({@link ConfigOverrides}) to the YAML tree before these checks. A multi-phase run reads
 * its config with {@link Recipe}, which checks each phase's merged config with the same rules.
 *
 * @param corpus    corpus path as written (resolved against {@code baseDir}), or null
 * @param seed      the run's seed
 * @param sampler   source sampler
 * @param stages    stages in order
 * @param batch     batcher
 * @param dropLast  true: drop the global batches that do not fill a round over all ranks;
 *                  false: pad that round with the epoch's first batches, tagged {@code padding}
 * @param weighting loss weighting
 * @param mask      class mask, or null
 * @param observers outcome observers
 * @param model     the trainer's model section (empty when absent)
 * @param train     the trainer's training section (empty when absent)
 * @param baseDir   directory of the config file
 * @param origin    file and key lines, for messages (ignored by equality)
 * @param components components named once under {@code components}, by key in config order; roles
 *                  refer to them with {@code {ref: key}} ({@link ComponentConfig#ref()}), and one
 *                  object then holds every role that refers to it
 */
public record RunConfig(String corpus, long seed, ComponentConfig sampler, List<ComponentConfig> stages,
                        ComponentConfig batch, boolean dropLast, ComponentConfig weighting, ComponentConfig mask,
                        List<ComponentConfig> observers, ObjectNode model, ObjectNode train, Path baseDir,
                        ConfigOrigin origin, Map<String, ComponentConfig> components, ObjectNode task,
                        ObjectNode validation) {

    /** Top-level keys a config may hold. */
    public static final Set<String> KEYS = Set.of("corpus", "seed", "components", "sampler", "stages", "batch",
            "shard", "weighting", "mask", "observers", "model", "task", "validation", "train");

    /** Keys of {@code components} entries: a letter, then letters, digits, '_' or '-'. */
    private static final java.util.regex.Pattern COMPONENT_KEY = java.util.regex.Pattern.compile("[A-Za-z][A-Za-z0-9_-]*");

    /** The YAML reader and writer of configs (strings always quoted). */
    static final YAMLMapper YAML = YAMLMapper.builder(
            YAMLFactory.builder().disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER)
                    // Strings stay quoted: with MINIMIZE_QUOTES, '007' or '1e3' were written bare and read
                    // back as numbers, so parse(toYaml()) differed from the config.
                    .disable(YAMLGenerator.Feature.MINIMIZE_QUOTES).build()).build();

    public RunConfig {
        Objects.requireNonNull(sampler, "sampler");
        stages = List.copyOf(stages);
        Objects.requireNonNull(batch, "batch");
        Objects.requireNonNull(weighting, "weighting");
        observers = List.copyOf(observers);
        model = model == null ? JsonNodeFactory.instance.objectNode() : model.deepCopy();
        train = train == null ? JsonNodeFactory.instance.objectNode() : train.deepCopy();
        task = task == null ? JsonNodeFactory.instance.objectNode() : task.deepCopy();
        validation = validation == null ? JsonNodeFactory.instance.objectNode() : validation.deepCopy();
        baseDir = baseDir == null ? Path.of(".") : baseDir;
        origin = origin == null ? ConfigOrigin.NONE : origin;
        components = components == null ? Map.of() : java.util.Collections.unmodifiableMap(
                new java.util.LinkedHashMap<>(components));
        for (ComponentConfig c : roles(sampler, stages, batch, weighting, mask, observers)) {
            if (c.isRef() && !components.containsKey(c.ref())) {
                throw new IllegalArgumentException("'" + c.path() + "' refers to component '" + c.ref()
                        + "', which 'components' does not define");
            }
        }
    }

    /** A config without shared components. */
    public RunConfig(String corpus, long seed, ComponentConfig sampler, List<ComponentConfig> stages,
                     ComponentConfig batch, boolean dropLast, ComponentConfig weighting, ComponentConfig mask,
                     List<ComponentConfig> observers, ObjectNode model, ObjectNode train, Path baseDir,
                     ConfigOrigin origin) {
        this(corpus, seed, sampler, stages, batch, dropLast, weighting, mask, observers, model, train, baseDir, origin,
                Map.of(), null, null);
    }

    /** A config without task and validation sections. */
    public RunConfig(String corpus, long seed, ComponentConfig sampler, List<ComponentConfig> stages,
                     ComponentConfig batch, boolean dropLast, ComponentConfig weighting, ComponentConfig mask,
                     List<ComponentConfig> observers, ObjectNode model, ObjectNode train, Path baseDir,
                     ConfigOrigin origin, Map<String, ComponentConfig> components) {
        this(corpus, seed, sampler, stages, batch, dropLast, weighting, mask, observers, model, train, baseDir, origin,
                components, null, null);
    }

    /** Every role in config order: sampler, stages, batch, weighting, mask (when set), observers. */
    public List<ComponentConfig> roles() {
        return roles(sampler, stages, batch, weighting, mask, observers);
    }

    private static List<ComponentConfig> roles(ComponentConfig sampler, List<ComponentConfig> stages,
                                               ComponentConfig batch, ComponentConfig weighting,
                                               ComponentConfig mask, List<ComponentConfig> observers) {
        List<ComponentConfig> all = new ArrayList<>();
        all.add(sampler);
        all.addAll(stages);
        all.add(batch);
        all.add(weighting);
        if (mask != null) {
            all.add(mask);
        }
        all.addAll(observers);
        return all;
    }

    /** Reads and shape-checks a YAML file. */
    public static RunConfig load(Path file) {
        return load(file, List.of());
    }

    /**
     * Reads a YAML file, applies {@code --set} overrides ({@link ConfigOverrides}) to its tree and
     * shape-checks the result; {@link #toYaml()} then holds the overridden values.
     */
    public static RunConfig load(Path file, List<String> overrides) {
        ConfigOverrides parsed = ConfigOverrides.parse(overrides);
        return parseWith(read(file), file.toString(), file.toAbsolutePath().getParent(), parsed);
    }

    /** Parses YAML text; {@code fileName} names it in messages, {@code baseDir} resolves paths. */
    public static RunConfig parse(String yaml, String fileName, Path baseDir) {
        return parse(yaml, fileName, baseDir, List.of());
    }

    /**
     * Parses YAML text with {@code --set} overrides applied to its tree before validation.
     *
     * <p>A top-level {@code phases} list (a {@link Recipe}'s) is not read here: the config is then
     * the recipe's base, as a single-phase tool sees it; {@link Recipe#parse} reads the phases.
     */
    public static RunConfig parse(String yaml, String fileName, Path baseDir, List<String> overrides) {
        return parseWith(yaml, fileName, baseDir, ConfigOverrides.parse(overrides));
    }

    private static RunConfig parseWith(String yaml, String fileName, Path baseDir, ConfigOverrides overrides) {
        Source source = Source.of(yaml, fileName, overrides);
        return fromTree(source.root(), source.origin(), baseDir);
    }

    /** A file's text, or a one-line message naming it. */
    static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (NoSuchFileException e) {
            throw new ConfigException(file + ": config file not found");
        } catch (IOException e) {
            throw new ConfigException(file + ": cannot read config: " + AtomicFiles.reason(e), e);
        }
    }

    /**
     * A config's YAML tree with its overrides applied, the lines of the file as written, what the
     * overrides set ({@link ConfigOverrides#reach}) and the origin of the overridden tree.
     */
    record Source(ObjectNode root, Map<String, Integer> fileLines, Map<String, String> overridden,
                  ConfigOrigin origin) {

        static Source of(String yaml, String fileName, ConfigOverrides overrides) {
            // The token pass first: it refuses syntax errors (with line and column), duplicate keys, a
            // second document and .nan/.inf, none of which the tree below would report with a line.
            Map<String, Integer> lines = YamlLines.index(yaml, fileName);
            JsonNode root;
            try {
                root = YAML.readTree(yaml);
            } catch (JsonProcessingException e) {
                throw YamlLines.syntaxError(fileName, e);
            }
            if (root == null || root.isMissingNode() || root.isNull()) {
                throw new ConfigException(fileName + ": the config is empty; it needs at least 'sampler' and 'batch'");
            }
            if (!root.isObject()) {
                throw new ConfigException(fileName + ": the config must be a map of keys, got "
                        + root.getNodeType().name().toLowerCase(java.util.Locale.ROOT));
            }
            overrides.applyTo((ObjectNode) root, fileName);
            Map<String, String> overridden = overrides.reach(lines.keySet());
            return new Source((ObjectNode) root, lines, overridden, overrides.origin(fileName, lines, overridden));
        }
    }

    /**
     * Shape-checks a config tree (not modified); {@code origin} names its paths in messages. A
     * top-level {@code phases} key is skipped (see {@link #parse(String, String, Path, List)}).
     */
    static RunConfig fromTree(ObjectNode root, ConfigOrigin origin, Path baseDir) {
        Iterator<String> names = root.fieldNames();
        while (names.hasNext()) {
            String key = names.next();
            if (!KEYS.contains(key) && !key.equals(Recipe.PHASES)) {
                throw origin.error(key, "unknown key '" + key + "'; expected one of: "
                        + String.join(", ", KEYS.stream().sorted().toList()));
            }
        }
        String corpus = root.hasNonNull("corpus") ? text(root.get("corpus"), "corpus", origin) : null;
        long seed = 0;
        if (root.has("seed")) {
            JsonNode s = root.get("seed");
            if (!s.isIntegralNumber() || !s.canConvertToLong()) {
                throw origin.error("seed", "'seed' must be an integer, got " + Params.shown(s));
            }
            seed = s.longValue();
        }
        Map<String, ComponentConfig> components = components(root.get("components"), origin);
        if (!root.hasNonNull("sampler")) {
            throw origin.error("", "missing key 'sampler': which source sampler to use, e.g. {name: shuffle}");
        }
        ComponentConfig sampler = role(root.get("sampler"), "sampler", origin, components);
        List<ComponentConfig> stages = list(root.get("stages"), "stages", origin, components);
        if (!root.hasNonNull("batch")) {
            throw origin.error("", "missing key 'batch': how draws form batches, e.g. {name: fixed, size: 16}");
        }
        ComponentConfig batch = role(root.get("batch"), "batch", origin, components);
        boolean dropLast = false;
        if (root.hasNonNull("shard")) {
            JsonNode shard = root.get("shard");
            if (!shard.isObject()) {
                throw origin.error("shard", "'shard' must be a map such as {drop_last: false}, got "
                        + Params.shown(shard));
            }
            Iterator<String> sk = shard.fieldNames();
            while (sk.hasNext()) {
                String k = sk.next();
                if (!k.equals("drop_last")) {
                    throw origin.error("shard." + k, "unknown key 'shard." + k + "'; expected one of: drop_last");
                }
            }
            JsonNode dl = shard.get("drop_last");
            if (dl != null && !dl.isBoolean()) {
                throw origin.error("shard.drop_last", "'shard.drop_last' must be true or false, got "
                        + Params.shown(dl));
            }
            dropLast = dl != null && dl.booleanValue();
        }
        ComponentConfig weighting = root.hasNonNull("weighting")
                ? role(root.get("weighting"), "weighting", origin, components)
                : new ComponentConfig("uniform", null, "weighting", origin);
        ComponentConfig mask = root.hasNonNull("mask") ? role(root.get("mask"), "mask", origin, components) : null;
        List<ComponentConfig> observers = list(root.get("observers"), "observers", origin, components);
        ObjectNode model = section(root.get("model"), "model", origin);
        ObjectNode train = section(root.get("train"), "train", origin);
        ObjectNode task = section(root.get("task"), "task", origin);
        ObjectNode validation = section(root.get("validation"), "validation", origin);
        return new RunConfig(corpus, seed, sampler, stages, batch, dropLast, weighting, mask, observers, model, train,
                baseDir, origin, components, task, validation);
    }

    /** The {@code components} map: each entry a component with a {@code name} (never a reference). */
    private static Map<String, ComponentConfig> components(JsonNode n, ConfigOrigin origin) {
        if (n == null || n.isNull()) {
            return Map.of();
        }
        if (!n.isObject()) {
            throw origin.error("components", "'components' must be a map of keys to components, such as "
                    + "{dc: {name: drop-class}}, got " + Params.shown(n));
        }
        Map<String, ComponentConfig> out = new java.util.LinkedHashMap<>();
        Iterator<String> keys = n.fieldNames();
        while (keys.hasNext()) {
            String key = keys.next();
            String path = "components." + key;
            if (!COMPONENT_KEY.matcher(key).matches()) {
                throw origin.error(path, "component key '" + key + "' must start with a letter and hold only "
                        + "letters, digits, '_' and '-'");
            }
            JsonNode c = n.get(key);
            if (c.isObject() && c.has("ref")) {
                throw origin.error(path, "'" + path + "' is a reference; an entry of 'components' needs a 'name' "
                        + "naming its provider (roles refer to it with {ref: " + key + "})");
            }
            out.put(key, component(c, path, origin));
        }
        return out;
    }

    /** A role: a component of its own, or {@code {ref: key}} naming a {@code components} entry. */
    private static ComponentConfig role(JsonNode n, String path, ConfigOrigin origin,
                                        Map<String, ComponentConfig> components) {
        if (n.isObject() && n.has("ref")) {
            JsonNode ref = n.get("ref");
            if (!ref.isTextual() || ref.asText().isBlank()) {
                throw origin.error(path + ".ref", "'" + path + ".ref' must name an entry of 'components', got "
                        + Params.shown(ref));
            }
            Iterator<String> keys = n.fieldNames();
            while (keys.hasNext()) {
                String k = keys.next();
                if (!k.equals("ref")) {
                    throw origin.error(path + "." + k, "'" + path + "' refers to component '" + ref.asText()
                            + "' and takes no other key, got '" + k + "'; set parameters under 'components."
                            + ref.asText() + "'");
                }
            }
            ComponentConfig target = components.get(ref.asText());
            if (target == null) {
                throw origin.error(path + ".ref", "'" + path + "' refers to component '" + ref.asText()
                        + "', which 'components' does not define; defined: "
                        + (components.isEmpty() ? "none (add a 'components' map)" : String.join(", ", components.keySet())));
            }
            return ComponentConfig.referring(path, target, ref.asText(), origin);
        }
        return component(n, path, origin);
    }

    private static String text(JsonNode n, String path, ConfigOrigin origin) {
        if (!n.isTextual()) {
            throw origin.error(path, "'" + path + "' must be a path string, got " + Params.shown(n));
        }
        return n.asText();
    }

    private static ObjectNode section(JsonNode n, String path, ConfigOrigin origin) {
        if (n == null || n.isNull()) {
            return null;
        }
        if (!n.isObject()) {
            throw origin.error(path, "'" + path + "' must be a map, got " + Params.shown(n));
        }
        return (ObjectNode) n;
    }

    private static ComponentConfig component(JsonNode n, String path, ConfigOrigin origin) {
        if (n.isTextual()) {
            return new ComponentConfig(n.asText(), null, path, origin);
        }
        if (!n.isObject()) {
            throw origin.error(path, "'" + path + "' must be a provider name or a map with 'name', got "
                    + Params.shown(n));
        }
        JsonNode name = n.get("name");
        if (name == null || !name.isTextual() || name.asText().isBlank()) {
            throw origin.error(path, "'" + path + "' needs a 'name' naming its provider");
        }
        return new ComponentConfig(name.asText(), (ObjectNode) n, path, origin);
    }

    private static List<ComponentConfig> list(JsonNode n, String path, ConfigOrigin origin,
                                              Map<String, ComponentConfig> components) {
        if (n == null || n.isNull()) {
            return List.of();
        }
        if (!n.isArray()) {
            throw origin.error(path, "'" + path + "' must be a list, got " + Params.shown(n));
        }
        List<ComponentConfig> out = new ArrayList<>();
        for (int i = 0; i < n.size(); i++) {
            out.add(role(n.get(i), path + "[" + i + "]", origin, components));
        }
        return out;
    }

    /** The canonical YAML form; {@code parse(toYaml())} equals this config. */
    public String toYaml() {
        ObjectNode root = JsonNodeFactory.instance.objectNode();
        if (corpus != null) {
            root.put("corpus", corpus);
        }
        root.put("seed", seed);
        if (!components.isEmpty()) {
            ObjectNode c = root.putObject("components");
            components.forEach((k, v) -> c.set(k, v.toNode()));
        }
        root.set("sampler", sampler.toNode());
        if (!stages.isEmpty()) {
            ArrayNode a = root.putArray("stages");
            stages.forEach(s -> a.add(s.toNode()));
        }
        root.set("batch", batch.toNode());
        root.putObject("shard").put("drop_last", dropLast);
        root.set("weighting", weighting.toNode());
        if (mask != null) {
            root.set("mask", mask.toNode());
        }
        if (!observers.isEmpty()) {
            ArrayNode a = root.putArray("observers");
            observers.forEach(s -> a.add(s.toNode()));
        }
        if (!model.isEmpty()) {
            root.set("model", model.deepCopy());
        }
        if (!task.isEmpty()) {
            root.set("task", task.deepCopy());
        }
        if (!validation.isEmpty()) {
            root.set("validation", validation.deepCopy());
        }
        if (!train.isEmpty()) {
            root.set("train", train.deepCopy());
        }
        try {
            return YAML.writeValueAsString(root);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The corpus path resolved against the config's directory, or null. */
    public Path corpusPath() {
        return corpus == null ? null : baseDir.resolve(corpus).normalize();
    }

    public RunConfig withCorpus(String newCorpus) {
        return new RunConfig(newCorpus, seed, sampler, stages, batch, dropLast, weighting, mask, observers, model,
                train, baseDir, origin, components, task, validation);
    }

    /** This config with another {@code task} section. */
    public RunConfig withTask(ObjectNode newTask) {
        return new RunConfig(corpus, seed, sampler, stages, batch, dropLast, weighting, mask, observers, model,
                train, baseDir, origin, components, newTask, validation);
    }

    public RunConfig withSeed(long newSeed) {
        return new RunConfig(corpus, newSeed, sampler, stages, batch, dropLast, weighting, mask, observers, model,
                train, baseDir, origin, components, task, validation);
    }

    @Override
    public ObjectNode model() {
        return model.deepCopy();
    }

    @Override
    public ObjectNode train() {
        return train.deepCopy();
    }

    @Override
    public ObjectNode task() {
        return task.deepCopy();
    }

    @Override
    public ObjectNode validation() {
        return validation.deepCopy();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof RunConfig c && Objects.equals(corpus, c.corpus) && seed == c.seed
                && sampler.equals(c.sampler) && stages.equals(c.stages) && batch.equals(c.batch)
                && dropLast == c.dropLast && weighting.equals(c.weighting) && Objects.equals(mask, c.mask)
                && observers.equals(c.observers) && model.equals(c.model) && train.equals(c.train)
                && components.equals(c.components) && task.equals(c.task) && validation.equals(c.validation);
    }

    @Override
    public int hashCode() {
        return Objects.hash(corpus, seed, sampler, stages, batch, dropLast, weighting, mask, observers, model, train,
                components, task, validation);
    }
}
