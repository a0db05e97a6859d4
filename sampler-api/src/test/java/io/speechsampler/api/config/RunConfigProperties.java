package io.speechsampler.api.config;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.From;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
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

    @Property(tries = 200)
    void yamlRoundTripKeepsTheConfig(@ForAll("components") ComponentConfig sampler,
                                     @ForAll("components") ComponentConfig batch,
                                     @ForAll @Size(max = 3) List<@From("components") ComponentConfig> stages,
                                     @ForAll long seed, @ForAll boolean dropLast,
                                     @ForAll("values") String corpus) {
        List<ComponentConfig> st = new ArrayList<>();
        for (int i = 0; i < stages.size(); i++) {
            st.add(new ComponentConfig(stages.get(i).name(), stages.get(i).params(), "stages[" + i + "]", null));
        }
        RunConfig c = new RunConfig(corpus, seed, new ComponentConfig(sampler.name(), sampler.params(), "sampler", null),
                st, new ComponentConfig(batch.name(), batch.params(), "batch", null), dropLast,
                new ComponentConfig("uniform", null, "weighting", null), null, List.of(), null, null, Path.of("."), null);
        String yaml = c.toYaml();
        RunConfig back = RunConfig.parse(yaml, "round-trip.yaml", Path.of("."));
        if (!c.equals(back)) {
            throw new AssertionError("round trip changed the config:\n" + yaml);
        }
        if (!yaml.equals(back.toYaml())) {
            throw new AssertionError("toYaml is not stable:\n" + yaml + "\n---\n" + back.toYaml());
        }
    }
}
