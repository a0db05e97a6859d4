package io.speechsampler.cli;

import io.speechsampler.api.registry.Catalog;
import io.speechsampler.api.spi.Named;
import io.speechsampler.djl.spi.RecipeHook;
import io.speechsampler.djl.spi.Trainables;
import java.util.List;

import io.speechsampler.api.config.ParamSpec;
import io.speechsampler.api.registry.ProviderRegistry;
import io.speechsampler.api.registry.ProviderRegistry.Kind;
import io.speechsampler.api.spi.Provider;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;

/** {@code sampler providers}: every plugin found with ServiceLoader and its parameters, as Markdown. */
@Command(name = "providers", mixinStandardHelpOptions = true,
        description = "Lists every provider on the class path by extension point, with its parameters (Markdown).")
final class ProvidersCommand implements Callable<Integer> {

    @Override
    public Integer call() {
        ProviderRegistry registry = ProviderRegistry.load();
        StringBuilder out = new StringBuilder();
        for (Kind kind : Kind.values()) {
            Map<String, Provider<?>> providers = registry.providers(kind);
            if (providers.isEmpty()) {
                continue;
            }
            for (Provider<?> p : providers.values()) {
                describe(out, p, kind.noun());
            }
        }
        Trainables trainables = Trainables.load();
        Catalog<RecipeHook> hooks = Catalog.load(RecipeHook.class, "hook");
        for (Catalog<? extends Named> catalog : List.of(trainables.models(), trainables.tasks(), hooks)) {
            for (Named p : catalog.all().values()) {
                describe(out, p, catalog.noun());
            }
        }
        registry.problems().forEach(pr -> out.append("- problem: ").append(pr).append('\n'));
        trainables.problems().forEach(pr -> out.append("- problem: ").append(pr).append('\n'));
        hooks.problems().forEach(pr -> out.append("- problem: ").append(pr).append('\n'));
        System.out.print(out);
        return 0;
    }

    private static void describe(StringBuilder out, Named p, String noun) {
        out.append("#### `").append(p.name()).append("` (").append(noun).append(")\n\n")
                .append(p.description()).append(". `").append(p.getClass().getName()).append("`\n\n");
        if (p.parameters().isEmpty()) {
            out.append("No parameters.\n\n");
            return;
        }
        out.append("| key | type | default | range | meaning |\n|---|---|---|---|---|\n");
        for (ParamSpec s : p.parameters()) {
            out.append("| `").append(s.name()).append("` | ").append(type(s)).append(" | ")
                    .append(s.required() ? "required" : s.defaultValue() == null ? "unset"
                            : "`" + s.defaultValue() + "`")
                    .append(" | ").append(s.choices().isEmpty() ? s.rangeText() : String.join(", ",
                            s.choices()))
                    .append(" | ").append(s.description().replace("|", "\\|")).append(" |\n");
        }
        out.append('\n');
    }

    private static String type(ParamSpec s) {
        return switch (s.type()) {
            case INT, LONG -> "integer";
            case DOUBLE -> "number";
            case BOOLEAN -> "boolean";
            case STRING -> "string";
            case DOUBLE_LIST -> "list of numbers";
            case STRING_LIST -> "list of strings";
            case OBJECT -> "map";
        };
    }
}
