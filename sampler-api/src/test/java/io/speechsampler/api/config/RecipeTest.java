package io.speechsampler.api.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.speechsampler.api.config.EndRule.Mode;
import io.speechsampler.api.config.InitFrom.Checkpoint;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class RecipeTest {

    /** Issue 14's loss-gated learning, as docs/runs2.md section 1 writes it. */
    static final String LGL = String.join("\n",
            "seed: 1",
            "sampler: {name: class-balanced, classes_per_batch: 8}",
            "batch: {name: fixed, size: 8}",
            "model: {name: xvector, head: aam, scale: 30, margin: 0.2}",
            "train: {epochs: 50, lr: 0.001}",
            "phases:",
            "  - name: contrastive",
            "    task: {name: contrastive, crop_seconds: 1.8}",
            "    sampler: {name: two-view}",
            "    end: {patience: {metric: eer, min_evaluations: 4, worse_than_best: 3}}",
            "  - name: lgl",
            "    repeat: 5",
            "    before: [{name: embed-and-cluster, k: 6000, iterations: 25, out: \"labels-${round}.tsv\"}]",
            "    task: {name: classification, labels: \"labels-${round}.tsv\"}",
            "    init_from: {phase: contrastive, checkpoint: best}",
            "    end: {patience: {metric: eer}}",
            "    phases:",
            "      - {name: open, weighting: {name: uniform}}",
            "      - name: gated",
            "        weighting: {name: loss-gate, gate: {per_round: [1, 3, 3, 5, 6]}}",
            "        init_from: {phase: open}",
            "        freeze: [\"^embedding\\\\.\"]",
            "");

    /** examples/separation.yaml, then a fine-tune from its best checkpoint. */
    static final String SEPARATION_FINETUNE = String.join("\n",
            "seed: 1",
            "sampler: {name: dynamic-mixing, speakers: 2, gain_db: [-5, 5], segment_seconds: 1.0}",
            "batch: {name: fixed, size: 8}",
            "weighting: {name: uniform}",
            "model: {name: conv-tasnet, preset: tiny, sources: 2}",
            "train: {epochs: 30, lr: 0.002, clip_norm: 5.0, validate_every: 1}",
            "phases:",
            "  - name: separation",
            "  - name: finetune",
            "    init_from: {phase: separation, checkpoint: last}",
            "    stages: [{name: info-batch, prune_ratio: 0.5, delta: 0.875, initial_score: 3}]",
            "    train: {lr: 0.0005}",
            "    end: {epochs: 10}",
            "");

    private static Recipe parse(String yaml, String... overrides) {
        return Recipe.parse(yaml, "recipe.yaml", Path.of("/runs/cfg"), List.of(overrides));
    }

    private static String failure(String yaml, String... overrides) {
        String m = assertThrows(ConfigException.class, () -> parse(yaml, overrides)).getMessage();
        assertEquals(1, m.lines().count(), m);
        return m;
    }

    @Test
    void lossGatedLearningRunsAContrastivePhaseThenFiveRoundsOfOpenAndGated() {
        List<Phase> phases = parse(LGL).phases();
        assertEquals(11, phases.size());
        List<String> paths = new ArrayList<>();
        List<String> folders = new ArrayList<>();
        for (int i = 0; i < phases.size(); i++) {
            assertEquals(i, phases.get(i).index());
            paths.add(phases.get(i).path());
            folders.add(phases.get(i).folder());
        }
        assertEquals(List.of("contrastive", "lgl/round-1/open", "lgl/round-1/gated", "lgl/round-2/open",
                "lgl/round-2/gated", "lgl/round-3/open", "lgl/round-3/gated", "lgl/round-4/open", "lgl/round-4/gated",
                "lgl/round-5/open", "lgl/round-5/gated"), paths);
        assertEquals("00-contrastive", folders.get(0));
        assertEquals("01-lgl/round-2/01-gated", folders.get(4));

        Phase contrastive = phases.get(0);
        assertEquals(0, contrastive.round());
        assertEquals(new InitFrom.Fresh(), contrastive.initFrom());
        assertEquals(new EndRule.Patience("eer", 4, 3, Mode.MIN), contrastive.end());
        assertEquals("two-view", contrastive.config().sampler().name());
        assertTrue(contrastive.config().sampler().params().isEmpty(),
                "another sampler replaces the base's, whose classes_per_batch would not fit it");
        assertEquals("contrastive", contrastive.config().task().get("name").textValue());
        assertEquals("aam", contrastive.config().model().get("head").textValue());

        List<Integer> gates = new ArrayList<>();
        for (int r = 1; r <= 5; r++) {
            Phase open = phases.get(2 * r - 1);
            Phase gated = phases.get(2 * r);
            assertEquals("open", open.name());
            assertEquals("gated", gated.name());
            assertEquals(r, open.round());
            assertEquals(r, gated.round());
            assertEquals(new InitFrom.FromPhase(0, Checkpoint.BEST), open.initFrom(), "each round starts from stage 1");
            assertEquals(new InitFrom.FromPhase(open.index(), Checkpoint.BEST), gated.initFrom());
            assertEquals("uniform", open.config().weighting().name());
            assertEquals("loss-gate", gated.config().weighting().name());
            gates.add(gated.config().weighting().params().get("gate").intValue());
            for (Phase p : List.of(open, gated)) {
                assertEquals("labels-" + r + ".tsv", p.config().task().get("labels").textValue());
                assertEquals(new EndRule.Patience("eer", 4, 3, Mode.MIN), p.end(), "the repeat's end is the default");
                assertEquals("class-balanced", p.config().sampler().name());
                assertEquals(50, p.config().train().get("epochs").intValue());
            }
            assertEquals(1, open.before().size(), "the round's hooks run at its start");
            assertEquals("embed-and-cluster", open.before().get(0).name());
            assertEquals("labels-" + r + ".tsv", open.before().get(0).params().get("out").textValue());
            assertEquals(6000, open.before().get(0).params().get("k").intValue());
            assertTrue(gated.before().isEmpty());
            assertEquals(List.of(), open.freeze());
            assertEquals(List.of("^embedding\\."), gated.freeze());
            assertTrue(gated.frozen("embedding.weight"));
            assertFalse(gated.frozen("head.embedding_weight"));
        }
        assertEquals(List.of(1, 3, 3, 5, 6), gates);
    }

    @Test
    void separationThenFinetuneMergesTheOverlayIntoTheBase() {
        List<Phase> phases = parse(SEPARATION_FINETUNE).phases();
        assertEquals(2, phases.size());
        Phase separation = phases.get(0);
        Phase finetune = phases.get(1);
        RunConfig base = RunConfig.parse(SEPARATION_FINETUNE, "recipe.yaml", Path.of("/runs/cfg"));
        assertEquals(base, separation.config(), "a phase without overlay is the base");
        assertEquals(new EndRule.TrainEpochs(), separation.end());
        assertEquals("01-finetune", finetune.folder());
        assertEquals(new InitFrom.FromPhase(0, Checkpoint.LAST), finetune.initFrom());
        assertEquals(new EndRule.Epochs(10), finetune.end());
        ObjectNode train = finetune.config().train();
        assertEquals(0.0005, train.get("lr").doubleValue());
        assertEquals(10, train.get("epochs").intValue(), "end: {epochs: 10} is the phase's train.epochs");
        assertEquals(5.0, train.get("clip_norm").doubleValue(), "maps merge key by key");
        assertEquals(1, train.get("validate_every").intValue());
        assertEquals("info-batch", finetune.config().stages().get(0).name());
        assertEquals(base.sampler(), finetune.config().sampler());
        assertEquals(base.model(), finetune.config().model());
    }

    @Test
    void listsScalarsAndNullsReplaceMapsMerge() {
        String yaml = "sampler: {name: shuffle, a: 1, nested: {x: 1, y: 2}}\nbatch: fixed\n"
                + "mask: {name: drop-class}\nstages: [{name: a}, {name: b}]\n"
                + "phases:\n  - name: p\n    sampler: {a: 2, nested: {y: 3}}\n    mask: null\n    stages: [{name: c}]\n"
                + "  - name: q\n    sampler: {name: shuffle, b: 1}\n    seed: 7\n";
        List<Phase> phases = parse(yaml).phases();
        RunConfig p = phases.get(0).config();
        assertEquals("{\"a\":2,\"nested\":{\"x\":1,\"y\":3}}", p.sampler().params().toString());
        assertNull(p.mask());
        assertEquals(List.of("c"), p.stages().stream().map(ComponentConfig::name).toList());
        RunConfig q = phases.get(1).config();
        assertEquals("{\"a\":1,\"nested\":{\"x\":1,\"y\":2},\"b\":1}", q.sampler().params().toString(),
                "the same provider's parameters merge");
        assertEquals(7, q.seed());
        assertEquals(2, q.stages().size(), "each phase merges over the base, not over the phase before it");
    }

    @Test
    void aConfigWithoutPhasesIsOneMainPhaseEqualToTheConfig() {
        String yaml = "seed: 3\nsampler: shuffle\nbatch: {name: fixed, size: 4}\ntrain: {epochs: 2}\n";
        Recipe r = parse(yaml, "train.epochs=4");
        assertTrue(r.isSinglePhase());
        Phase main = r.phases().get(0);
        assertEquals("main", main.name());
        assertEquals("main", main.path());
        assertEquals("00-main", main.folder());
        assertEquals(0, main.index());
        assertEquals(0, main.round());
        assertEquals(RunConfig.parse(yaml, "recipe.yaml", Path.of("."), List.of("train.epochs=4")), main.config());
        assertEquals(new InitFrom.Fresh(), main.initFrom());
        assertEquals(new EndRule.TrainEpochs(), main.end());
        assertEquals(List.of(main), Recipe.of(main.config()).phases());
        assertEquals(r, parse(r.toYaml()));
    }

    @Test
    void everyExampleConfigIsARecipeOfOnePhaseEqualToItsRunConfig() throws IOException {
        int n = 0;
        try (DirectoryStream<Path> files = Files.newDirectoryStream(Path.of("..", "examples"), "*.yaml")) {
            for (Path f : files) {
                Recipe r = Recipe.load(f);
                assertEquals(1, r.phases().size(), f.toString());
                assertEquals(RunConfig.load(f), r.phases().get(0).config(), f.toString());
                n++;
            }
        }
        assertTrue(n >= 5, "examples found: " + n);
    }

    @Test
    void theExampleRecipesLoad() {
        Path dir = Path.of("..", "examples", "recipes");
        List<Phase> ft = Recipe.load(dir.resolve("separation-finetune.yaml")).phases();
        assertEquals(List.of("separation", "finetune"), ft.stream().map(Phase::path).toList());
        assertEquals(RunConfig.load(Path.of("..", "examples", "separation.yaml")), ft.get(0).config(),
                "phase 'separation' is examples/separation.yaml");
        assertEquals(new InitFrom.FromPhase(0, Checkpoint.BEST), ft.get(1).initFrom());
        assertEquals(0.0005, ft.get(1).config().train().get("lr").doubleValue());
        assertEquals("info-batch", ft.get(1).config().stages().get(0).name());

        List<Phase> rounds = Recipe.load(dir.resolve("rounds.yaml")).phases();
        assertEquals(List.of("rounds/round-1/full", "rounds/round-1/pruned", "rounds/round-2/full",
                "rounds/round-2/pruned"), rounds.stream().map(Phase::path).toList());
        assertEquals(List.of(0.002, 0.002, 0.001, 0.001),
                rounds.stream().map(p -> p.config().train().get("lr").doubleValue()).toList());
        assertEquals(0.3, rounds.get(1).config().stages().get(0).params().get("prune_ratio").doubleValue());
        assertEquals(0.5, rounds.get(3).config().stages().get(0).params().get("prune_ratio").doubleValue());
        assertEquals(new InitFrom.FromPhase(1, Checkpoint.BEST), rounds.get(2).initFrom(),
                "round 2 continues from round 1's last phase");
        for (Phase p : rounds) {
            assertEquals(new EndRule.Epochs(5), p.end());
            assertEquals(5, p.config().train().get("epochs").intValue());
        }
    }

    @Test
    void overridesReachPhasesAndAreRecorded() {
        Recipe r = parse(SEPARATION_FINETUNE, "phases[1].train.lr=0.0001", "train.clip_norm=1.0");
        assertEquals(0.0001, r.phases().get(1).config().train().get("lr").doubleValue());
        assertEquals(1.0, r.phases().get(0).config().train().get("clip_norm").doubleValue());
        assertEquals(1.0, r.phases().get(1).config().train().get("clip_norm").doubleValue());
        assertEquals(r, parse(r.toYaml()), "the recorded recipe holds the resolved values");
        assertTrue(r.toYaml().contains("lr: 1.0E-4") || r.toYaml().contains("lr: 0.0001"), r.toYaml());
        String m = failure(SEPARATION_FINETUNE, "phases[1].end.epochs=0");
        assertEquals("recipe.yaml (--set 'phases[1].end.epochs=0', phase 'finetune'): 'end.epochs' is not >= 1: 0", m);
        assertEquals("recipe.yaml: --set 'phases[2].train.lr=1': 'phases' has 2 elements; expected an index below 2 "
                + "(to add one, set the whole list: --set phases=[...])", failure(SEPARATION_FINETUNE,
                "phases[2].train.lr=1"));
    }

    @Test
    void aPhaseConfigNamesTheFilePathAndLineOfEachKey() {
        Recipe r = parse(SEPARATION_FINETUNE);
        ConfigOrigin o = r.phases().get(1).config().origin();
        assertEquals("recipe.yaml line 12 (phases[1].train.lr, phase 'finetune'): x", o.error("train.lr", "x").getMessage());
        assertEquals("recipe.yaml line 6 (phase 'finetune'): ", o.where("train.clip_norm"), "a key from the base");
        assertEquals("recipe.yaml line 13 (phases[1].end.epochs, phase 'finetune'): ", o.where("train.epochs"));
        ConfigOrigin typo = parse(SEPARATION_FINETUNE.replace("train: {lr: 0.0005}", "train: {lr: 0.0005, epoch: 3}"))
                .phases().get(1).config().origin();
        assertEquals("recipe.yaml line 12 (phases[1].train.epoch, phase 'finetune'): unknown key 'train.epoch'",
                typo.error("train.epoch", "unknown key 'train.epoch'").getMessage(),
                "what the trainer says of a misspelt train key names the phase's path and line");
        assertEquals("recipe.yaml line 11 (phases[1].stages[0].prune_ratio, phase 'finetune'): ",
                o.where("stages[0].prune_ratio"));
        ConfigOrigin lgl = parse(LGL).phases().get(4).config().origin();
        assertEquals("recipe.yaml line 20 (phases[1].phases[1].weighting.gate.per_round[1], phase 'lgl/round-2/gated'): ",
                lgl.where("weighting.gate"));
    }

    @Test
    void aTypoInTheFourthPhaseFailsAtLoadNamingItsPathAndLine() {
        String yaml = "sampler: shuffle\nbatch: fixed\nphases:\n  - name: a\n  - name: b\n  - name: c\n"
                + "  - name: d\n    shard: {drop_lst: true}\n";
        assertEquals("recipe.yaml line 8 (phases[3].shard.drop_lst, phase 'd'): unknown key 'shard.drop_lst'; "
                + "expected one of: drop_last", failure(yaml));
        assertEquals("recipe.yaml line 8 (phases[3].sampler, phase 'd'): 'sampler' needs a 'name' naming its provider",
                failure("sampler: shuffle\nbatch: fixed\nphases:\n  - name: a\n  - name: b\n  - name: c\n"
                        + "  - name: d\n    sampler: {size: 2}\n"));
        assertEquals("recipe.yaml line 3 (phases[0], phase 'a'): missing key 'batch': how draws form batches, e.g. "
                + "{name: fixed, size: 16}", failure("sampler: shuffle\nphases:\n  - name: a\n  - name: b\n"
                + "    batch: fixed\n"));
    }

    @Test
    void runConfigParseOfARecipeIsItsBase() {
        RunConfig base = RunConfig.parse(LGL, "recipe.yaml", Path.of("."));
        assertEquals("class-balanced", base.sampler().name());
        assertFalse(base.toYaml().contains("phases"));
    }

    @Test
    void initFromResolvesNamesPathsAndNone() {
        String yaml = "sampler: shuffle\nbatch: fixed\nphases:\n"
                + "  - name: a\n"
                + "  - name: rep\n    repeat: 2\n    phases: [{name: x}, {name: y}]\n"
                + "  - name: b\n    init_from: {phase: x}\n"
                + "  - name: c\n    init_from: {phase: rep, checkpoint: last}\n"
                + "  - name: d\n    init_from: {path: ckpt/best}\n"
                + "  - name: e\n    init_from: none\n"
                + "  - name: solo\n    repeat: 2\n";
        List<Phase> p = parse(yaml).phases();
        assertEquals(List.of("a", "rep/round-1/x", "rep/round-1/y", "rep/round-2/x", "rep/round-2/y", "b", "c", "d",
                "e", "solo/round-1", "solo/round-2"), p.stream().map(Phase::path).toList());
        assertEquals(new InitFrom.FromPhase(0, Checkpoint.BEST), p.get(1).initFrom());
        assertEquals(new InitFrom.FromPhase(2, Checkpoint.BEST), p.get(3).initFrom(), "round 2 follows round 1");
        assertEquals(new InitFrom.FromPhase(3, Checkpoint.BEST), p.get(5).initFrom(), "x of the last round");
        assertEquals(new InitFrom.FromPhase(4, Checkpoint.LAST), p.get(6).initFrom(), "the repeat's last phase");
        assertEquals(new InitFrom.FromPath(Path.of("/runs/cfg/ckpt/best")), p.get(7).initFrom());
        assertEquals(new InitFrom.Fresh(), p.get(8).initFrom());
        assertEquals(new InitFrom.FromPhase(9, Checkpoint.BEST), p.get(10).initFrom());
        assertEquals("06-solo/round-2", p.get(10).folder());
        assertEquals("01-rep/round-2/01-y", p.get(4).folder());
    }

    @Test
    void placeholdersNameTheRoundAndThePhase() {
        String yaml = "sampler: shuffle\nbatch: fixed\ntask: {out: \"${phase}.tsv\"}\nphases:\n  - name: a\n"
                + "  - name: r\n    repeat: 2\n    task: {out: \"${phase}-${round}.tsv\", seeds: {per_round: [[1, 2], [3]]}}\n";
        List<Phase> p = parse(yaml).phases();
        assertEquals("a.tsv", p.get(0).config().task().get("out").textValue());
        assertEquals("r-2.tsv", p.get(2).config().task().get("out").textValue());
        assertEquals("[3]", p.get(2).config().task().get("seeds").toString(), "a round's value may be a list");
    }

    @Test
    void patienceEndsAfterTheLastEvaluationsAreAllWorseThanTheBest() {
        EndRule.Patience lgl = new EndRule.Patience("eer", 4, 3, Mode.MIN);
        assertFalse(lgl.reached(List.of(5.0, 6.0, 7.0)), "fewer than 4 evaluations");
        assertFalse(lgl.reached(List.of(5.0, 4.0, 6.0, 7.0)), "the best is among the last 3");
        assertTrue(lgl.reached(List.of(5.0, 4.0, 6.0, 7.0, 4.5)));
        assertFalse(lgl.reached(List.of(5.0, 4.0, 6.0, 4.0, 7.0)), "equal to the best is not worse");
        EndRule.Patience snr = new EndRule.Patience("si_snri", 4, 3, Mode.MAX);
        assertTrue(snr.reached(List.of(1.0, 9.0, 8.0, 7.0, 8.5)));
        assertFalse(snr.reached(List.of(1.0, 2.0, 3.0, 4.0, 5.0)));
        assertEquals(Mode.MAX, EndRule.Patience.defaultMode("accuracy"));
        assertEquals(Mode.MIN, EndRule.Patience.defaultMode("loss"));
        assertNull(EndRule.Patience.defaultMode("pesq"));
        String yaml = "sampler: shuffle\nbatch: fixed\nphases:\n  - name: a\n    end: {patience: {metric: pesq, mode: max, "
                + "worse_than_best: 2}}\n  - name: b\n    end: {steps: 500}\n";
        List<Phase> p = parse(yaml).phases();
        assertEquals(new EndRule.Patience("pesq", 4, 2, Mode.MAX), p.get(0).end());
        assertEquals(new EndRule.Steps(500), p.get(1).end());
    }

    private static final String HEAD = "sampler: shuffle\nbatch: fixed\nphases:\n";

    @Test
    void phaseNamesMustBeValidAndUnique() {
        assertEquals("recipe.yaml line 6: duplicate phase name 'a' at 'phases[2].name' (first at 'phases[0].name', "
                + "line 4); expected each phase name once in the recipe", failure(HEAD + "  - name: a\n  - name: b\n"
                + "  - name: a\n"));
        assertEquals("recipe.yaml line 5: duplicate phase name 'a' at 'phases[1].phases[0].name' (first at "
                + "'phases[0].name', line 4); expected each phase name once in the recipe",
                failure(HEAD + "  - name: a\n  - {name: r, repeat: 2, phases: [{name: a}]}\n"));
        assertEquals("recipe.yaml line 4: 'phases[0].name' must start with a letter and hold only letters, digits, "
                + "'_' and '-', got 'my phase'", failure(HEAD + "  - name: my phase\n"));
        assertTrue(failure(HEAD + "  - {repeat: 2}\n").startsWith("recipe.yaml line 4: 'phases[0]' needs a 'name'"));
        assertTrue(failure(HEAD + "  - warmup\n").startsWith("recipe.yaml line 4: 'phases[0]' must be a phase: a map"));
        assertTrue(failure("sampler: shuffle\nbatch: fixed\nphases: []\n")
                .startsWith("recipe.yaml line 3: 'phases' must be a list of at least one phase"));
    }

    @Test
    void unknownKeysAreNamedWithTheirPath() {
        String m = failure(HEAD + "  - name: a\n    trian: {epochs: 2}\n");
        assertTrue(m.startsWith("recipe.yaml line 5: unknown key 'phases[0].trian' in phase 'a'; expected a config key "
                + "(batch, components, "), m);
        assertTrue(m.endsWith("or a phase key (before, end, freeze, init_from, name, phases, repeat)"), m);
        m = failure("sampler: shuffle\nbatch: fixed\nrepeat: 2\nphases: [{name: a}]\n");
        assertTrue(m.startsWith("recipe.yaml line 3: unknown key 'repeat'; expected one of: ") && m.contains("phases"), m);
        assertEquals("recipe.yaml line 5 (phases[0].end.epoch, phase 'a'): unknown key 'end.epoch' for end; expected "
                + "one of: epochs, steps, patience", failure(HEAD + "  - name: a\n    end: {epoch: 3}\n"));
        assertEquals("recipe.yaml line 5 (phases[0].end.patience.metrc, phase 'a'): unknown key 'end.patience.metrc' "
                + "for end rule 'patience'; expected one of: metric, min_evaluations, worse_than_best, mode",
                failure(HEAD + "  - name: a\n    end: {patience: {metrc: eer}}\n"));
        assertEquals("recipe.yaml line 6 (phases[1].init_from.checkpiont, phase 'b'): unknown key "
                + "'init_from.checkpiont' for init_from; expected one of: phase, checkpoint, path",
                failure(HEAD + "  - name: a\n  - name: b\n    init_from: {phase: a, checkpiont: last}\n"));
        assertEquals("recipe.yaml line 5 (phases[0].init_from.checkpoint, phase 'a'): 'init_from.checkpoint' must be "
                + "one of [best, last], got 'final'", failure(HEAD + "  - name: a\n    init_from: {phase: a, "
                + "checkpoint: final}\n"));
    }

    @Test
    void initFromMustNameAnEarlierPhase() {
        assertEquals("recipe.yaml line 5 (phases[0].init_from.phase, phase 'a'): 'init_from.phase' names 'b', which "
                + "runs later ('phases[1]'); init_from must name an earlier phase",
                failure(HEAD + "  - name: a\n    init_from: {phase: b}\n  - name: b\n"));
        assertEquals("recipe.yaml line 5 (phases[1].init_from.phase, phase 'b'): 'init_from.phase' names 'c', which "
                + "is not a phase of the recipe; its phases: a, b", failure(HEAD + "  - name: a\n  - {name: b, "
                + "init_from: {phase: c}}\n"));
        assertEquals("recipe.yaml line 4 (phases[0].init_from.phase, phase 'a'): 'init_from.phase' names 'a', this "
                + "phase itself ('phases[0]'); init_from must name an earlier phase",
                failure(HEAD + "  - {name: a, init_from: {phase: a}}\n"));
        String inRound = HEAD + "  - name: r\n    repeat: 2\n    phases:\n      - {name: x, init_from: {phase: y}}\n"
                + "      - {name: y}\n";
        assertEquals("recipe.yaml line 7 (phases[0].phases[0].init_from.phase, phase 'r/round-1/x'): 'init_from.phase' "
                + "names 'y', a phase that does not run before this one ('phases[0].phases[1]'); init_from must name "
                + "an earlier phase", failure(inRound));
        assertTrue(failure(inRound.replace("{phase: y}", "{phase: r}")).contains("names 'r', the repeat this phase "
                + "runs in ('phases[0]')"));
        assertEquals("recipe.yaml line 4 (phases[0].init_from, phase 'a'): 'init_from' has both 'phase' and 'path'; expected one",
                failure(HEAD + "  - {name: a, init_from: {phase: a, path: x}}\n"));
        assertTrue(failure(HEAD + "  - {name: a, init_from: {path: x, checkpoint: best}}\n")
                .contains("'init_from.checkpoint' chooses a checkpoint of a phase"));
        assertTrue(failure(HEAD + "  - {name: a, init_from: previous}\n")
                .contains("'init_from' must be {phase: NAME, checkpoint: best|last}, {path: P} or none, got \"previous\""));
    }

    @Test
    void repeatsAreCheckedAndOnlyOneLevelDeep() {
        assertEquals("recipe.yaml line 4: 'phases[0].repeat' must be an integer at least 1 (the number of rounds), "
                + "got 0", failure(HEAD + "  - {name: a, repeat: 0}\n"));
        assertTrue(failure(HEAD + "  - {name: a, repeat: 1.5}\n").contains("got 1.5"));
        assertEquals("recipe.yaml line 6: phase 'b' ('phases[0].phases[0]') repeats inside the repeat 'a'; only one "
                + "level of repeat is supported", failure(HEAD + "  - name: a\n    repeat: 2\n    phases: [{name: b, "
                + "repeat: 2, phases: [{name: c}]}]\n"));
        assertEquals("recipe.yaml line 6: phase 'b' ('phases[0].phases[0]') has phases of its own inside the repeat "
                + "'a'; only one level of sub-phases is supported", failure(HEAD + "  - name: a\n    repeat: 2\n"
                + "    phases: [{name: b, phases: [{name: c}]}]\n"));
        assertEquals("recipe.yaml line 5: 'phases[0].phases' lists sub-phases, which run once a round; phase 'a' "
                + "needs 'repeat: R' (the number of rounds) with them", failure(HEAD + "  - name: a\n"
                + "    phases: [{name: b}]\n"));
    }

    @Test
    void perRoundValuesNeedARepeatAndOneValuePerRound() {
        String m = failure(HEAD + "  - name: a\n    repeat: 5\n    weighting: {name: loss-gate, gate: {per_round: "
                + "[1, 3, 3, 5]}}\n");
        assertEquals("recipe.yaml line 6 (phases[0].weighting.gate.per_round, phase 'a/round-1'): "
                + "'weighting.gate.per_round' has 4 values; expected 5, one per round of 'a' (repeat: 5)", m);
        m = failure(HEAD + "  - name: a\n    train: {lr: {per_round: [0.1, 0.2]}}\n");
        assertEquals("recipe.yaml line 5 (phases[0].train.lr, phase 'a'): 'train.lr' is a per_round value, but phase "
                + "'a' is not in a repeat; per_round gives one value for each round of a phase with 'repeat'", m);
        m = failure("sampler: shuffle\nbatch: fixed\ntrain: {lr: {per_round: [0.1, 0.2]}}\nphases:\n  - name: a\n");
        assertTrue(m.startsWith("recipe.yaml line 3 (phase 'a'): 'train.lr' is a per_round value"), m);
        m = failure(HEAD + "  - {name: a, repeat: 2, train: {lr: {per_round: [1, 2], by: x}}}\n");
        assertTrue(m.contains("'train.lr' holds per_round and other keys"), m);
        m = failure(HEAD + "  - {name: a, repeat: 2, train: {lr: {per_round: 3}}}\n");
        assertTrue(m.contains("'train.lr.per_round' must be a list of one value per round, got 3"), m);
        m = failure(HEAD + "  - {name: a, task: {out: \"x-${round}\"}}\n");
        assertTrue(m.contains("'task.out' holds ${round}, but phase 'a' is not in a repeat"), m);
        m = failure(HEAD + "  - {name: a, repeat: 2, task: {out: \"x-${rounds}\"}}\n");
        assertTrue(m.contains("(phases[0].task.out, phase 'a/round-1'): 'task.out' holds the placeholder ${rounds}; "
                + "expected ${round} or ${phase}"), m);
    }

    @Test
    void freezeEndAndHooksAreChecked() {
        assertEquals("recipe.yaml line 4 (phases[0].freeze[1], phase 'a'): 'freeze[1]' is not a valid regular "
                + "expression: Unclosed group near index 8 of (encoder", failure(HEAD + "  - {name: a, freeze: "
                + "[head, \"(encoder\"]}\n"));
        assertTrue(failure(HEAD + "  - {name: a, freeze: head}\n").contains("'freeze' must be a list of regular "
                + "expressions"));
        assertEquals("recipe.yaml line 4 (phases[0].end, phase 'a'): 'end' has 2 rules, 'epochs' and 'steps'; "
                + "expected one", failure(HEAD + "  - {name: a, end: {epochs: 2, steps: 10}}\n"));
        assertTrue(failure(HEAD + "  - {name: a, end: {}}\n").contains("'end' needs one rule"));
        assertTrue(failure(HEAD + "  - {name: a, end: {patience: {metric: pesq}}}\n")
                .contains("'end.patience' needs 'mode: max' (larger is better) or 'mode: min' for metric 'pesq'"));
        assertTrue(failure(HEAD + "  - {name: a, end: {patience: {metric: eer, min_evaluations: 0}}}\n")
                .contains("'end.patience.min_evaluations' is not >= 1: 0"));
        assertTrue(failure(HEAD + "  - {name: a, before: {name: x}}\n")
                .startsWith("recipe.yaml line 4: 'phases[0].before' must be a list of hooks"));
        assertEquals("recipe.yaml line 4 (phases[0].before[0], phase 'a'): 'before[0]' must be a hook: a map with a "
                + "'name' naming it, got {\"k\":3}", failure(HEAD + "  - {name: a, before: [{k: 3}]}\n"));
    }
}
