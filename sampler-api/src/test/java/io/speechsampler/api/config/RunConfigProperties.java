package io.speechsampler.api.config;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.From;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;

/** YAML to RunConfig to YAML round trips. Not statistical: designed false-failure rate 0. */
class RunConfigProperties {

    @Provide
    Arbitrary<String> names() {
        return Arbitraries.strings().withCharRange('a', 'z').withChars('-').ofMinLength(1).ofMaxLength(8)
                .filter(s -> Character.isLetter(s.charAt(0)));
    }

    @Provide
    Arbitrary<String> values() {
        return Arbitraries.oneOf(Arbitraries.strings().ofMaxLength(10),
                Arbitraries.of("007", "1e3", "true", "null", "~", "yes", "0x1F", "- a", "a: b", "#x", "'q'"));
    }

    @Provide
    Arbitrary<ComponentConfig> components() {
        Arbitrary<ObjectNode> params = Combinators.combine(
                names().list().ofMaxSize(3), values().list().ofSize(3),
                Arbitraries.integers().list().ofSize(3), Arbitraries.doubles().between(-1e6, 1e6).list().ofSize(3))
                .as((keys, strings, ints, doubles) -> {
                    ObjectNode o = JsonNodeFactory.instance.objectNode();
                    for (int i = 0; i < keys.size(); i++) {
                        String k = keys.get(i);
                        if (k.equals("name")) {
                            continue;
                        }
                        switch (i) {
                            case 0 -> o.put(k, strings.get(i));
                            case 1 -> o.put(k, ints.get(i));
                            default -> o.putArray(k).add(doubles.get(i)).add(strings.get(i));
                        }
                    }
                    return o;
                });
        return Combinators.combine(names(), params).as((n, p) -> new ComponentConfig(n, p, "x", null));
    }

    /**
     * Shared components too: {@code shared} are named under {@code components} (keys c0, c1, ...);
     * each role refers to one of them when its {@code refs} entry picks one (a non-negative pick
     * modulo the count), else has a component of its own.
     */
    @Property(tries = 200)
    void yamlRoundTripKeepsTheConfig(@ForAll("components") ComponentConfig sampler,
                                     @ForAll("components") ComponentConfig batch,
                                     @ForAll @Size(max = 3) List<@From("components") ComponentConfig> stages,
                                     @ForAll @Size(max = 3) List<@From("components") ComponentConfig> shared,
                                     @ForAll @Size(6) List<@IntRange(min = -2, max = 5) Integer> refs,
                                     @ForAll long seed, @ForAll boolean dropLast,
                                     @ForAll("values") String corpus) {
        Map<String, ComponentConfig> components = new LinkedHashMap<>();
        for (int i = 0; i < shared.size(); i++) {
            components.put("c" + i, new ComponentConfig(shared.get(i).name(), shared.get(i).params(),
                    "components.c" + i, null));
        }
        List<ComponentConfig> st = new ArrayList<>();
        for (int i = 0; i < stages.size(); i++) {
            st.add(role(stages.get(i), "stages[" + i + "]", refs.get(2 + i), components));
        }
        RunConfig c = new RunConfig(corpus, seed, role(sampler, "sampler", refs.get(0), components),
                st, role(batch, "batch", refs.get(1), components), dropLast,
                role(ComponentConfig.named("uniform", "weighting"), "weighting", refs.get(5), components), null,
                List.of(), null, null, Path.of("."), null, components);
        String yaml = c.toYaml();
        RunConfig back = RunConfig.parse(yaml, "round-trip.yaml", Path.of("."));
        if (!c.equals(back)) {
            throw new AssertionError("round trip changed the config:\n" + yaml);
        }
        if (!yaml.equals(back.toYaml())) {
            throw new AssertionError("toYaml is not stable:\n" + yaml + "\n---\n" + back.toYaml());
        }
        for (ComponentConfig r : back.roles()) {
            if (r.isRef() && !back.components().get(r.ref()).name().equals(r.name())) {
                throw new AssertionError("'" + r.path() + "' refers to " + r.ref() + " but reads as provider " + r.name());
            }
        }
    }

    private static ComponentConfig role(ComponentConfig own, String path, int pick,
                                        Map<String, ComponentConfig> components) {
        if (pick < 0 || components.isEmpty()) {
            return new ComponentConfig(own.name(), own.params(), path, null);
        }
        String key = "c" + (pick % components.size());
        return ComponentConfig.referring(path, components.get(key), key, null);
    }
}
