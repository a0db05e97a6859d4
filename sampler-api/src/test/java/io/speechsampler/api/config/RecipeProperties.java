package io.speechsampler.api.config;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.EdgeCasesMode;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;

/**
 * A phase's config is the base with its overlay applied: compared with the overlay merged by hand
 * and parsed as a plain config. Not statistical: designed false-failure rate 0.
 */
class RecipeProperties {

    private static final JsonNodeFactory F = JsonNodeFactory.instance;

    private static final String BASE = "seed: 1\n"
            + "sampler: {name: shuffle, k: 1, nested: {x: 1, y: 2}}\n"
            + "batch: {name: fixed, size: 8}\n"
            + "mask: {name: drop-class, p: 0.1}\n"
            + "stages: [{name: s0, p: 0.5}]\n"
            + "model: {name: xvector, preset: tiny, mels: 24}\n"
            + "train: {epochs: 5, lr: 0.001, clip_norm: 5.0}\n";

    @Provide
    Arbitrary<String> texts() {
        return Arbitraries.oneOf(Arbitraries.strings().alpha().ofMaxLength(6),
                Arbitraries.of("007", "1e3", "true", "null", "~", "a: b", "#x", "'q'", "- a"));
    }

    private Arbitrary<Double> reals() {
        return Arbitraries.doubles().between(-1e6, 1e6);
    }

    /** A map with a random subset of the keys, each with a random value of its kind. */
    private Arbitrary<JsonNode> train() {
        return Combinators.combine(Arbitraries.integers().between(1, 100).injectNull(0.5), reals().injectNull(0.5),
                        reals().injectNull(0.7), texts().injectNull(0.7))
                .as((epochs, lr, clip, note) -> {
                    ObjectNode o = F.objectNode();
                    if (epochs != null) {
                        o.put("epochs", epochs);
                    }
                    if (lr != null) {
                        o.put("lr", lr);
                    }
                    if (clip != null) {
                        o.put("clip_norm", clip);
                    }
                    if (note != null) {
                        o.put("note", note);
                    }
                    return o;
                });
    }

    /** A sampler overlay: more parameters for the base's provider, or (with a name) maybe another provider. */
    private Arbitrary<JsonNode> sampler() {
        return Combinators.combine(Arbitraries.of("", "shuffle", "class-balanced"),
                        Arbitraries.integers().between(0, 9).injectNull(0.3),
                        Arbitraries.integers().between(0, 9).injectNull(0.5))
                .as((name, k, x) -> {
                    ObjectNode o = F.objectNode();
                    if (!name.isEmpty()) {
                        o.put("name", name);
                    }
                    if (k != null) {
                        o.put("k", k);
                    }
                    if (x != null) {
                        o.putObject("nested").put("x", x);
                    }
                    return o;
                });
    }

    private Arbitrary<JsonNode> stages() {
        return reals().list().ofMaxSize(2).map(ps -> {
            ArrayNode a = F.arrayNode();
            for (int i = 0; i < ps.size(); i++) {
                a.addObject().put("name", "t" + i).put("p", ps.get(i));
            }
            return a;
        });
    }

    private Arbitrary<JsonNode> mask() {
        return Arbitraries.oneOf(Arbitraries.just(NullNode.getInstance()),
                Combinators.combine(Arbitraries.of("drop-class", "other"), reals())
                        .as((name, p) -> F.objectNode().put("name", name).put("p", p)));
    }

    private Arbitrary<JsonNode> model() {
        return Combinators.combine(Arbitraries.of("", "xvector", "ecapa"), texts().injectNull(0.5),
                        Arbitraries.integers().between(1, 80).injectNull(0.5))
                .as((name, preset, mels) -> {
                    ObjectNode o = F.objectNode();
                    if (!name.isEmpty()) {
                        o.put("name", name);
                    }
                    if (preset != null) {
                        o.put("preset", preset);
                    }
                    if (mels != null) {
                        o.put("mels", mels);
                    }
                    return o;
                });
    }

    @Provide
    Arbitrary<ObjectNode> overlays() {
        return Combinators.combine(train().injectNull(0.3), sampler().injectNull(0.4), stages().injectNull(0.6),
                        mask().injectNull(0.6), model().injectNull(0.4),
                        Arbitraries.longs().injectNull(0.7))
                .as((train, sampler, stages, mask, model, seed) -> {
                    ObjectNode o = F.objectNode();
                    putIf(o, "train", train);
                    putIf(o, "sampler", sampler);
                    putIf(o, "stages", stages);
                    putIf(o, "mask", mask);
                    putIf(o, "model", model);
                    if (seed != null) {
                        o.put("seed", seed);
                    }
                    return o;
                });
    }

    private static void putIf(ObjectNode o, String key, JsonNode value) {
        if (value != null) {
            o.set(key, value);
        }
    }

    @Property(tries = 200, edgeCases = EdgeCasesMode.MIXIN)
    void eachPhaseIsTheBaseWithItsOverlayAppliedByHand(@ForAll("overlays") ObjectNode first,
                                                      @ForAll("overlays") ObjectNode second) {
        ObjectNode base = tree(BASE);
        ObjectNode recipe = base.deepCopy();
        ArrayNode phases = recipe.putArray("phases");
        phases.addObject().put("name", "first").setAll(first.deepCopy());
        phases.addObject().put("name", "second").setAll(second.deepCopy());
        List<Phase> read = Recipe.parse(yaml(recipe), "recipe.yaml", Path.of("."), List.of()).phases();
        List<ObjectNode> overlays = List.of(first, second);
        for (int i = 0; i < 2; i++) {
            RunConfig expected = RunConfig.parse(yaml(byHand(base, overlays.get(i))), "by-hand.yaml", Path.of("."));
            if (!expected.equals(read.get(i).config())) {
                throw new AssertionError("phase " + i + " differs from the overlay applied by hand:\n" + yaml(recipe)
                        + "\n--- expected\n" + expected.toYaml() + "\n--- got\n" + read.get(i).config().toYaml());
            }
        }
    }

    @Property(tries = 100, edgeCases = EdgeCasesMode.MIXIN)
    void aRoundTakesItsOwnPerRoundValue(@ForAll @Size(min = 1, max = 6) List<@IntRange(min = 1, max = 99) Integer> epochs) {
        ObjectNode recipe = tree(BASE);
        ObjectNode phase = recipe.putArray("phases").addObject().put("name", "r").put("repeat", epochs.size());
        ArrayNode values = phase.putObject("train").putObject("epochs").putArray("per_round");
        epochs.forEach(values::add);
        phase.putObject("task").put("out", "labels-${round}.tsv");
        List<Phase> read = Recipe.parse(yaml(recipe), "recipe.yaml", Path.of("."), List.of()).phases();
        if (read.size() != epochs.size()) {
            throw new AssertionError(read.size() + " phases for " + epochs.size() + " rounds");
        }
        for (int r = 1; r <= epochs.size(); r++) {
            RunConfig c = read.get(r - 1).config();
            if (c.train().get("epochs").intValue() != epochs.get(r - 1)
                    || !c.task().get("out").textValue().equals("labels-" + r + ".tsv")
                    || c.train().get("lr").doubleValue() != 0.001) {
                throw new AssertionError("round " + r + " of " + epochs + ": " + c.toYaml());
            }
        }
    }

    @Property(tries = 100, edgeCases = EdgeCasesMode.MIXIN)
    void anOverrideIsTheSameAsWritingTheValueInTheFile(@ForAll("overlays") ObjectNode overlay,
                                                       @ForAll @IntRange(min = 0, max = 1) int phase,
                                                       @ForAll @IntRange(min = 1, max = 1000) int epochs) {
        ObjectNode recipe = tree(BASE);
        ArrayNode phases = recipe.putArray("phases");
        phases.addObject().put("name", "a").setAll(overlay.deepCopy());
        phases.addObject().put("name", "b");
        String argument = "phases[" + phase + "].train.epochs=" + epochs;
        Recipe overridden = Recipe.parse(yaml(recipe), "recipe.yaml", Path.of("."), List.of(argument));
        ObjectNode target = (ObjectNode) phases.get(phase);
        if (!(target.get("train") instanceof ObjectNode)) {
            target.putObject("train");
        }
        ((ObjectNode) target.get("train")).put("epochs", epochs);
        Recipe written = Recipe.parse(yaml(recipe), "recipe.yaml", Path.of("."), List.of());
        if (!overridden.equals(written)) {
            throw new AssertionError(argument + " differs from writing it:\n" + yaml(recipe));
        }
        if (!Recipe.parse(overridden.toYaml(), "recorded.yaml", Path.of("."), List.of()).equals(overridden)) {
            throw new AssertionError("the recorded recipe differs:\n" + overridden.toYaml());
        }
    }

    /** The overlay merged into the base, written out plainly: maps merge unless they name another component. */
    private static ObjectNode byHand(ObjectNode base, ObjectNode overlay) {
        return (ObjectNode) merged(base, overlay);
    }

    private static JsonNode merged(JsonNode base, JsonNode top) {
        if (base instanceof ObjectNode b && top instanceof ObjectNode t && sameComponent(b, t)) {
            ObjectNode out = b.deepCopy();
            t.fields().forEachRemaining(e -> out.set(e.getKey(), merged(out.get(e.getKey()), e.getValue())));
            return out;
        }
        return top.deepCopy();
    }

    private static boolean sameComponent(ObjectNode base, ObjectNode top) {
        return !top.has("name") || Objects.equals(base.get("name"), top.get("name"));
    }

    private static ObjectNode tree(String yaml) {
        try {
            return (ObjectNode) RunConfig.YAML.readTree(yaml);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String yaml(JsonNode node) {
        try {
            return RunConfig.YAML.writeValueAsString(node);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
