package io.speechsampler.api.config;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * A run's phases in the order they run: a config whose top-level {@code phases} list trains one
 * model in several phases and rounds. A config without {@code phases} is a recipe of one phase,
 * {@code main}, whose config is {@link RunConfig#parse} of the file, so a trainer always runs a
 * recipe.
 *
 * <pre>
 * seed: 1
 * model: {name: xvector, head: aam}         # the base: every key but phases, merged into each phase
 * sampler: {name: class-balanced, classes_per_batch: 8}
 * batch: {name: fixed, size: 8}
 * phases:
 *   - name: warmup                          # a letter, then letters, digits, '_' or '-'; unique
 *     train: {lr: 0.01}                     # any config key: an overlay on the base
 *     end: {epochs: 2}                      # or {steps: N}, or {patience: {metric: eer}}
 *   - name: lgl
 *     repeat: 5                             # rounds, each running the sub-phases in order
 *     init_from: {phase: warmup}            # where each round starts; default: the previous phase's best
 *     before: [{name: embed-and-cluster, out: "labels-${round}.tsv"}]   # hooks at each round's start
 *     phases:
 *       - {name: open, weighting: {name: uniform}}
 *       - name: gated
 *         weighting: {name: loss-gate, gate: {per_round: [1, 3, 3, 5, 6]}}
 *         freeze: ["^encoder"]
 * </pre>
 *
 * <ul>
 *   <li><b>Overlays.</b> A phase's config is the base, then (in a round) the repeating phase's
 *       config keys, then its own: maps merge key by key at any depth ({@code train: {epochs: 3}}
 *       keeps the base's {@code train.lr}), lists, scalars and nulls replace ({@code mask: null}
 *       removes the base's mask). A map naming another component ({@code name} or {@code ref}
 *       differs) replaces, since another provider's parameters would not fit. Every phase's
 *       config is checked at load; messages name the file's path and line
 *       ({@code recipe.yaml line 20 (phases[3].shard.drop_lst, phase 'finetune'): ...}).</li>
 *   <li><b>Phase keys</b> ({@link #PHASE_KEYS}): {@code init_from}, {@code freeze}, {@code end},
 *       {@code before}; {@code repeat} and {@code phases} at the top level only (one level of
 *       rounds). A sub-phase without {@code end} or {@code freeze} takes its repeating phase's.
 *       A repeating phase's {@code init_from} and {@code before} belong to each round's start:
 *       its first sub-phase. {@code end: {epochs: N}} also sets the phase's {@code train.epochs}
 *       to N.</li>
 *   <li><b>{@code init_from}</b> names an earlier phase: from a sub-phase, a sub-phase earlier in
 *       the same round, or a phase before the repeat; a name inside an earlier repeat is its last
 *       round's. {@code init_from: none} starts from fresh weights.</li>
 *   <li><b>Rounds.</b> Inside a repeating phase (its keys, its sub-phases', or the base's as they
 *       merge into it) {@code {per_round: [v1, ..., vR]}} is the round's value (R values, checked),
 *       and {@code ${round}} in a string is the round number from 1. {@code ${phase}} is the phase's
 *       name everywhere in a recipe. Neither is replaced in a config without {@code phases}.</li>
 *   <li><b>Overrides</b> ({@link ConfigOverrides}) apply to the whole file before any of this:
 *       {@code --set train.lr=0.1} changes the base, {@code --set phases[1].train.lr=0.1} a phase.</li>
 * </ul>
 */
public final class Recipe {

    /** The top-level key that makes a config a recipe. */
    public static final String PHASES = "phases";

    /** The name of the one phase of a config without {@code phases}. */
    public static final String MAIN = "main";

    /** Keys of a phase besides the config keys ({@link RunConfig#KEYS}). */
    public static final Set<String> PHASE_KEYS = Set.of("name", "init_from", "freeze", "end", "before", "repeat",
            PHASES);

    private final List<Phase> phases;
    private final ObjectNode tree;

    private Recipe(List<Phase> phases, ObjectNode tree) {
        this.phases = List.copyOf(phases);
        this.tree = tree.deepCopy();
    }

    /** Reads a recipe (or a plain config, as one phase) from a YAML file. */
    public static Recipe load(Path file) {
        return load(file, List.of());
    }

    /** Reads a recipe from a YAML file with {@code --set} overrides applied first. */
    public static Recipe load(Path file, List<String> overrides) {
        ConfigOverrides parsed = ConfigOverrides.parse(overrides);
        return parseWith(RunConfig.read(file), file.toString(), file.toAbsolutePath().getParent(), parsed);
    }

    /**
     * Parses a recipe; {@code fileName} names it in messages, {@code baseDir} resolves paths.
     *
     * @throws ConfigException one line naming the file, the path (and its line) and what was
     *                         expected, for the first problem in any phase
     */
    public static Recipe parse(String yaml, String fileName, Path baseDir, List<String> overrides) {
        return parseWith(yaml, fileName, baseDir, ConfigOverrides.parse(overrides));
    }

    private static Recipe parseWith(String yaml, String fileName, Path baseDir, ConfigOverrides overrides) {
        RunConfig.Source source = RunConfig.Source.of(yaml, fileName, overrides);
        Path dir = baseDir == null ? Path.of(".") : baseDir;
        return new Recipe(new RecipeReader(source, fileName, dir).read(), source.root());
    }

    /** A recipe of one phase, {@code main}, running {@code config}. */
    public static Recipe of(RunConfig config) {
        Phase main = new Phase(0, MAIN, MAIN, 0, config, new InitFrom.Fresh(), List.of(), new EndRule.TrainEpochs(),
                List.of(), "00-" + MAIN);
        ObjectNode tree;
        try {
            tree = (ObjectNode) RunConfig.YAML.readTree(config.toYaml());
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
        return new Recipe(List.of(main), tree);
    }

    /** The phases in the order they run, each round's sub-phases in turn. */
    public List<Phase> phases() {
        return phases;
    }

    /** True for a config without {@code phases}: one phase, {@code main}. */
    public boolean isSinglePhase() {
        return !tree.has(PHASES);
    }

    /**
     * The recipe as read, with its overrides applied (phases, per_round values and placeholders as
     * written): what a run records as its config; parsing it gives this recipe again. Each
     * phase's merged config is {@code phase.config().toYaml()}.
     */
    public String toYaml() {
        try {
            return RunConfig.YAML.writeValueAsString(tree);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Recipe r && r.phases.equals(phases) && r.tree.equals(tree);
    }

    @Override
    public int hashCode() {
        return Objects.hash(phases, tree);
    }

    @Override
    public String toString() {
        return "Recipe" + phases.stream().map(Phase::path).toList();
    }
}
