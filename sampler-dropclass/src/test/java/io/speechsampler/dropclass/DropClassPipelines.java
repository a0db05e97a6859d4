package io.speechsampler.dropclass;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.speechsampler.api.config.RunConfig;
import io.speechsampler.api.corpus.Corpus;
import io.speechsampler.api.draw.Batch;
import io.speechsampler.api.draw.Draw;
import io.speechsampler.api.registry.ProviderRegistry;
import io.speechsampler.core.pipeline.Pipeline;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import java.util.Optional;

/** Pipelines with {@code drop-class} built as a user configures them, and what tests read off them. */
final class DropClassPipelines {

    static final ProviderRegistry REGISTRY = ProviderRegistry.load();
    private static final ObjectMapper JSON = new ObjectMapper();

    private DropClassPipelines() {
    }

    /**
     * DropClass as the README configures it: a shared {@code drop-class} entry {@code dc} that the
     * class-balanced sampler draws from and the mask applies.
     *
     * @param schedule e.g. {@code steps_per_drop: 3} or {@code mode: per_batch}
     * @param sampler  more sampler keys, e.g. {@code , num_batches: 10}, or empty
     */
    static String yaml(int numDrop, String schedule, int batchSize, String sampler) {
        return "components:\n  dc: {name: drop-class, num_drop: " + numDrop + ", " + schedule + "}\n"
                + "sampler: {name: class-balanced, classes: dc" + sampler + "}\n"
                + "batch: {name: fixed, size: " + batchSize + "}\n"
                + "mask: {ref: dc}\n";
    }

    static Pipeline build(String yaml, Corpus corpus, long seed, int rank, int world) {
        RunConfig config = RunConfig.parse("seed: " + seed + "\n" + yaml, "test.yaml", Path.of("."));
        return Pipeline.build(config, corpus, REGISTRY, rank, world);
    }

    /** The pipeline's {@code drop-class} component. */
    static DroppedClasses dropped(Pipeline p) {
        return (DroppedClasses) p.sharedComponents().get("dc");
    }

    /** The class (speaker index) of an item draw. */
    static int classOf(Corpus corpus, Draw d) {
        return corpus.speakerOf(corpus.indexOf(d.utteranceIds().get(0)).getAsInt());
    }

    /** The classes a batch draws. */
    static BitSet classesOf(Corpus corpus, Batch b) {
        BitSet s = new BitSet();
        for (Draw d : b.draws()) {
            s.set(classOf(corpus, d));
        }
        return s;
    }

    /**
     * A batch with the mask's live classes for it and its {@code drops.jsonl} line (or null), asked
     * right after the batch was taken, as the loop asks.
     */
    record Masked(Batch batch, BitSet live, String line) {
    }

    /** The next batch of {@code p}'s epoch with its mask and drops line, or null at the epoch's end. */
    static Masked next(Pipeline p) {
        Optional<Batch> b = p.nextInEpoch();
        if (b.isEmpty()) {
            return null;
        }
        return new Masked(b.get(), p.mask().orElseThrow().liveClasses(b.get(), p.corpus().numSpeakers()),
                dropped(p).recordLine(b.get()));
    }

    /** Every batch of {@code epochs} epochs of one rank (from where it is), each with its mask and line. */
    static List<Masked> run(Pipeline p, int epochs) {
        List<Masked> out = new ArrayList<>();
        while (p.epoch() < epochs) {
            Masked m = next(p);
            if (m == null) {
                p.finishEpoch();
            } else {
                out.add(m);
            }
        }
        return out;
    }

    static String write(JsonNode state) {
        try {
            return JSON.writeValueAsString(state);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    static JsonNode read(String json) {
        try {
            return JSON.readTree(json);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
