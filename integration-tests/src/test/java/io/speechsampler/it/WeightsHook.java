package io.speechsampler.it;

import io.speechsampler.api.config.ParamSpec;
import io.speechsampler.api.config.Params;
import io.speechsampler.api.corpus.Utterance;
import io.speechsampler.api.io.AtomicFiles;
import io.speechsampler.djl.spi.HookContext;
import io.speechsampler.djl.spi.RecipeHook;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * {@code test-weights}: a recipe hook that writes a weights file for the {@code weighted} sampler
 * (weight 1 for even speakers, 0 for odd ones: only even speakers are drawn) and records the
 * checkpoint the phase starts from beside it (tests).
 */
public final class WeightsHook implements RecipeHook {

    static final AtomicInteger RUNS = new AtomicInteger();

    @Override
    public String name() {
        return "test-weights";
    }

    @Override
    public String description() {
        return "writes a weights file: even speakers 1, odd 0 (tests)";
    }

    @Override
    public List<ParamSpec> parameters() {
        return List.of(ParamSpec.string("out", "the weights file, relative to the run folder"));
    }

    @Override
    public List<Path> run(Params params, HookContext context) {
        RUNS.incrementAndGet();
        StringBuilder sb = new StringBuilder();
        List<String> speakers = context.corpus().speakers();
        for (Utterance u : context.corpus().utterances()) {
            sb.append(u.id()).append('\t').append(speakers.indexOf(u.speaker()) % 2 == 0 ? "1.0" : "0.0").append('\n');
        }
        Path out = context.output(params.getString("out"));
        Path from = out.resolveSibling(out.getFileName() + ".from");
        AtomicFiles.writeString(out, sb.toString());
        AtomicFiles.writeString(from, String.valueOf(context.weights()));
        if (!Files.isRegularFile(out)) {
            throw new IllegalStateException("not written: " + out);
        }
        return List.of(out, from);
    }
}
