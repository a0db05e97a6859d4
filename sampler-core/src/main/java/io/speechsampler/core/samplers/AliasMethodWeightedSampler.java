package io.speechsampler.core.samplers;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.speechsampler.api.config.ParamSpec;
import io.speechsampler.api.config.Params;
import io.speechsampler.api.corpus.Corpus;
import io.speechsampler.api.draw.Draw;
import io.speechsampler.api.draw.ItemDraw;
import io.speechsampler.api.io.TextLines;
import io.speechsampler.api.random.RandomStreams;
import io.speechsampler.api.spi.EpochContext;
import io.speechsampler.api.spi.BuildContext;
import io.speechsampler.api.spi.SourceSampler;
import io.speechsampler.api.spi.SourceSamplerProvider;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.OptionalInt;
import java.util.function.Supplier;
import org.apache.commons.rng.sampling.distribution.AliasMethodDiscreteSampler;
import org.apache.commons.rng.sampling.distribution.DiscreteSampler;
import org.apache.commons.rng.sampling.distribution.SharedStateDiscreteSampler;

/**
 * Utterances drawn independently with replacement, utterance {@code i} with probability
 * {@code w_i / sum(w)}, {@code num_draws} times per epoch: Walker's alias method in Vose's
 * numerically stable construction (Vose 1991, "A linear algorithm for generating random numbers
 * with a given distribution", IEEE TSE 17(9)), as Commons RNG's
 * {@link AliasMethodDiscreteSampler} implements it. Each epoch draws from the table of the
 * weights current when the epoch starts, over the utterances of positive weight only, so an
 * utterance of weight 0 is never drawn; the table is kept, and rebuilt only when the weights
 * have changed. Each draw is one {@code sample()} of that table on the epoch's stream
 * {@link EpochContext#random()} (one or two 32/64-bit values per draw in Commons RNG 1.6).
 *
 * <p>Weights can be changed with {@link #updateWeights}; a change takes effect from the next epoch
 * the pipeline computes. The weights are the sampler's state ({@link #saveState()}), so a resumed
 * run draws the same.
 */
public final class AliasMethodWeightedSampler implements SourceSampler {

    private static final String STATE_TYPE = "alias-method-weighted";
    private static final int BLOCK = 256;

    private final String[] ids;
    private final Map<String, Integer> indexById;
    private final int numDraws;
    private double[] weights;
    /** The weights {@link #table} was built from (by identity), or null before the first epoch. */
    private double[] tableWeights;
    private SharedStateDiscreteSampler table;
    private String[] tableIds;

    private AliasMethodWeightedSampler(String[] ids, Map<String, Integer> indexById, double[] weights, int numDraws) {
        this.ids = ids;
        this.indexById = indexById;
        this.weights = weights;
        this.numDraws = numDraws;
    }

    /**
     * A sampler over {@code corpus} with {@code weights} by utterance index. Returns the concrete
     * type because {@link #updateWeights} is part of its API.
     *
     * @throws IllegalArgumentException when the lengths differ, a weight is negative, NaN or
     *                                  infinite, every weight is 0, or {@code numDraws < 1}
     */
    public static AliasMethodWeightedSampler of(Corpus corpus, double[] weights, int numDraws) {
        if (numDraws < 1) {
            throw new IllegalArgumentException("num_draws is not at least 1: " + numDraws);
        }
        if (weights.length != corpus.size()) {
            throw new IllegalArgumentException("weights has " + weights.length + " entries but the corpus has "
                    + corpus.size() + " utterances");
        }
        String[] ids = SequentialSampler.ids(corpus);
        Map<String, Integer> index = new HashMap<>(ids.length * 2);
        for (int i = 0; i < ids.length; i++) {
            index.put(ids[i], i);
        }
        double[] w = weights.clone();
        checkWeights(w, ids);
        return new AliasMethodWeightedSampler(ids, index, w, numDraws);
    }

    private static void checkWeights(double[] w, String[] ids) {
        boolean anyPositive = false;
        for (int i = 0; i < w.length; i++) {
            if (!(w[i] >= 0) || Double.isInfinite(w[i])) {
                throw new IllegalArgumentException("weight of '" + ids[i] + "' is not finite and >= 0: " + w[i]);
            }
            anyPositive |= w[i] > 0;
        }
        if (!anyPositive) {
            throw new IllegalArgumentException("every weight is 0; at least one must be > 0");
        }
    }

    /**
     * Sets the weights of the given utterances (the others keep theirs), from the next epoch on.
     *
     * @throws IllegalArgumentException naming the id or value when an id is not in the corpus, a
     *                                  weight is negative, NaN or infinite, or every weight would
     *                                  be 0; the weights are then unchanged
     */
    public void updateWeights(Map<String, Double> newWeights) {
        double[] w = weights.clone();
        for (Map.Entry<String, Double> e : newWeights.entrySet()) {
            Integer i = indexById.get(e.getKey());
            if (i == null) {
                throw new IllegalArgumentException("utterance '" + e.getKey() + "' is not in the corpus");
            }
            if (e.getValue() == null) {
                throw new IllegalArgumentException("weight of '" + e.getKey() + "' is null");
            }
            w[i] = e.getValue();
        }
        checkWeights(w, ids);
        weights = w;
    }

    /** The current weight of utterance {@code id}. */
    public double weightOf(String id) {
        Integer i = indexById.get(id);
        if (i == null) {
            throw new IllegalArgumentException("utterance '" + id + "' is not in the corpus");
        }
        return weights[i];
    }

    @Override
    public Iterator<Draw> epoch(EpochContext context) {
        if (tableWeights != weights) {
            buildTable();
        }
        // The table is a function of the weights alone, so sharing it with this epoch's stream
        // draws exactly what a table built afresh would.
        DiscreteSampler sampler = table.withUniformRandomProvider(context.random());
        String[] drawable = tableIds;
        return new Iterator<>() {
            // Draws are made BLOCK at a time: the table and draw lookups of a block are independent
            // memory reads the CPU overlaps, where one draw per next() would wait for each in turn
            // once the tables outgrow the cache. Same sample() calls in the same order: same draws.
            private final int[] block = new int[(int) Math.min(BLOCK, numDraws)];
            private int filled;
            private int i;
            private int drawn;

            @Override
            public boolean hasNext() {
                return drawn < numDraws;
            }

            @Override
            public Draw next() {
                if (drawn >= numDraws) {
                    throw new NoSuchElementException();
                }
                if (i == filled) {
                    filled = Math.min(block.length, numDraws - drawn);
                    for (int k = 0; k < filled; k++) {
                        block[k] = sampler.sample();
                    }
                    i = 0;
                }
                drawn++;
                return ItemDraw.of(drawable[block[i++]]);
            }
        };
    }

    /**
     * The alias table over the utterances of positive weight, and their ids by table index. Built
     * when an epoch starts with weights it has not seen: {@link #weights} is replaced, never
     * written in place, so its identity says whether they changed.
     */
    private void buildTable() {
        double[] w = weights;
        int positive = 0;
        for (double x : w) {
            positive += x > 0 ? 1 : 0;
        }
        double[] p = new double[positive];
        String[] drawable = new String[positive];
        int k = 0;
        for (int i = 0; i < w.length; i++) {
            if (w[i] > 0) {
                p[k] = w[i];
                drawable[k++] = ids[i];
            }
        }
        // The provider given here is never used: each epoch shares the table with its own stream.
        table = AliasMethodDiscreteSampler.of(RandomStreams.of(0, "unused", 0), p);
        tableIds = drawable;
        tableWeights = w;
    }

    @Override
    public long epochSize() {
        return numDraws;
    }

    /** {@code {"type": "alias-method-weighted", "weights": [w_0, ..., w_n-1]}} by utterance index. */
    @Override
    public JsonNode saveState() {
        return stateOf(weights);
    }

    /** O(1): {@link #weights} is replaced, never written in place, so holding the array is enough. */
    @Override
    public Supplier<JsonNode> snapshot() {
        double[] w = weights;
        return () -> stateOf(w);
    }

    private static JsonNode stateOf(double[] weights) {
        ObjectNode o = JsonNodeFactory.instance.objectNode();
        o.put("type", STATE_TYPE);
        ArrayNode a = o.putArray("weights");
        for (double w : weights) {
            a.add(w);
        }
        return o;
    }

    @Override
    public void restoreState(JsonNode state) {
        if (state == null || !STATE_TYPE.equals(state.path("type").asText()) || !state.path("weights").isArray()) {
            throw new IllegalStateException("not a " + STATE_TYPE + " sampler state: " + state);
        }
        JsonNode a = state.get("weights");
        if (a.size() != ids.length) {
            throw new IllegalStateException("the state holds " + a.size() + " weights but the corpus has "
                    + ids.length + " utterances");
        }
        double[] w = new double[ids.length];
        for (int i = 0; i < w.length; i++) {
            if (!a.get(i).isNumber()) {
                throw new IllegalStateException("weight " + i + " of the state is not a number: " + a.get(i));
            }
            w[i] = a.get(i).doubleValue();
        }
        try {
            checkWeights(w, ids);
        } catch (IllegalArgumentException e) {
            throw new IllegalStateException("invalid state: " + e.getMessage(), e);
        }
        weights = w;
    }

    /**
     * {@code weighted}: {@code weights} (optional path of a TSV file {@code utterance_id<TAB>weight},
     * relative to the config), {@code default_weight} (for utterances the file leaves out, default
     * 1), {@code num_draws} (per epoch, default the corpus size).
     */
    public static final class Provider implements SourceSamplerProvider {
        @Override
        public String name() {
            return "weighted";
        }

        @Override
        public String description() {
            return "utterances with replacement, each with probability proportional to its weight (Vose's alias "
                    + "method)";
        }

        @Override
        public List<ParamSpec> parameters() {
            return List.of(
                    ParamSpec.string("weights", "TSV file of 'utterance_id<TAB>weight' lines, relative to the config; "
                            + "weights are finite and >= 0").defaultsTo(null),
                    ParamSpec.real("default_weight", "weight of utterances the weights file leaves out").min(0)
                            .defaultsTo(1.0),
                    ParamSpec.integer("num_draws", "draws per epoch (default: the corpus size)").min(1)
                            .defaultsTo(null));
        }

        @Override
        public SourceSampler create(Params params, BuildContext context) {
            Corpus corpus = context.corpus();
            if (corpus.size() == 0) {
                throw params.error("weights", "'" + params.pathOf("weights") + "': the corpus is empty");
            }
            double[] w = new double[corpus.size()];
            Arrays.fill(w, params.getDouble("default_weight"));
            String source = "default_weight " + params.getDouble("default_weight");
            if (params.has("weights")) {
                Path file = context.resolve(params.getString("weights"));
                readWeights(file, corpus, w, params);
                source = file + " and " + source;
            }
            boolean anyPositive = false;
            for (double x : w) {
                anyPositive |= x > 0;
            }
            if (!anyPositive) {
                throw params.error("weights", "'" + params.pathOf("weights") + "': every weight is 0 (from " + source
                        + "); at least one must be > 0");
            }
            int numDraws = params.has("num_draws") ? params.getInt("num_draws") : corpus.size();
            return of(corpus, w, numDraws);
        }

        private static void readWeights(Path file, Corpus corpus, double[] w, Params params) {
            Map<String, Integer> seen = new HashMap<>();
            String key = "'" + params.pathOf("weights") + "': ";
            TextLines.forEach(file, "", "weights file not found", m -> params.error("weights", key + m), (line, no) -> {
                String[] f = line.strip().split("\\s+");
                if (f.length != 2) {
                    throw params.error("weights", file + " line " + no
                            + ": expected 'utterance_id<TAB>weight', got '" + line + "'");
                }
                double value;
                try {
                    value = Double.parseDouble(f[1]);
                } catch (NumberFormatException e) {
                    throw params.error("weights", file + " line " + no + ": weight of '" + f[0]
                            + "' is not a number: '" + f[1] + "'");
                }
                if (!(value >= 0) || Double.isInfinite(value)) {
                    throw params.error("weights", file + " line " + no + ": weight of '" + f[0]
                            + "' is not finite and >= 0: " + f[1]);
                }
                OptionalInt i = corpus.indexOf(f[0]);
                if (i.isEmpty()) {
                    throw params.error("weights", file + " line " + no + ": utterance '" + f[0]
                            + "' is not in the corpus " + corpus.source());
                }
                Integer prev = seen.put(f[0], no);
                if (prev != null) {
                    throw params.error("weights", file + " line " + no + ": duplicate utterance '" + f[0]
                            + "' (first on line " + prev + ")");
                }
                w[i.getAsInt()] = value;
            });
        }
    }
}
