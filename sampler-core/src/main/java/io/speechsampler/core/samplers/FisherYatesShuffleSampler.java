package io.speechsampler.core.samplers;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.IntNode;
import io.speechsampler.api.corpus.Corpus;
import io.speechsampler.api.draw.Draw;
import io.speechsampler.api.draw.ItemDraw;
import io.speechsampler.api.spi.EpochContext;
import io.speechsampler.api.spi.Positioned;
import io.speechsampler.api.spi.Skipping;
import io.speechsampler.api.spi.SourceSampler;
import java.util.Iterator;
import java.util.NoSuchElementException;
import java.util.Objects;
import org.apache.commons.rng.UniformRandomProvider;
import org.apache.commons.rng.sampling.PermutationSampler;

/**
 * Every utterance once per epoch in a uniformly random order: a Fisher-Yates shuffle (Durstenfeld
 * 1964, "Algorithm 235: Random permutation") driven by the epoch's own stream, so the order is a
 * function of (seed, epoch) alone and each of the n! orders has probability 1/n!. Draws n - 1
 * bounded integers per epoch ({@code nextInt(i + 1)} for i = n-1..1). Unlike DJL's
 * RandomSampler (Sattolo's algorithm: no element may stay in place) every permutation is possible.
 *
 * <p>With {@link UniformCrops} each draw also gets a crop, drawn in draw order from the second
 * stream {@code random("crops")} (one bounded long per draw), so the order is the same with and
 * without crops.
 */
public final class FisherYatesShuffleSampler implements SourceSampler {

    private final String[] ids;
    private final UniformCrops crops;

    private FisherYatesShuffleSampler(String[] ids, UniformCrops crops) {
        this.ids = ids;
        this.crops = crops;
    }

    public static SourceSampler of(Corpus corpus) {
        return new FisherYatesShuffleSampler(SequentialSampler.ids(corpus), null);
    }

    /** Every utterance once per epoch, each with a uniform crop of {@code crops}. */
    public static SourceSampler of(Corpus corpus, UniformCrops crops) {
        return new FisherYatesShuffleSampler(SequentialSampler.ids(corpus), Objects.requireNonNull(crops,
                "crops"));
    }

    /** Shuffles {@code 0..n-1} in place of a new array with {@code rng}. */
    public static int[] permutation(int n, UniformRandomProvider rng) {
        int[] p = new int[n];
        for (int i = 0; i < n; i++) {
            p[i] = i;
        }
        shuffle(p, rng);
        return p;
    }

    /** Fisher-Yates in place: Commons RNG's {@link PermutationSampler#shuffle} (i = n-1..1, {@code nextInt(i + 1)}). */
    public static void shuffle(int[] a, UniformRandomProvider rng) {
        PermutationSampler.shuffle(rng, a);
    }

    @Override
    public Iterator<Draw> epoch(EpochContext context) {
        UniformRandomProvider cropRng = crops == null ? null : context.random("crops");
        if (crops == null) {
            return shuffled(ids.length, context, u -> ItemDraw.of(ids[u]), true);
        }
        return shuffled(ids.length, context, u -> ItemDraw.of(ids[u], crops.next(u, cropRng)), false);
    }

    /**
     * Every index in [0, n) once, in the order of one {@link #permutation} on the stream
     * {@code context.random()}, each made into a draw by {@code draw} when it is taken.
     * {@code pure}: {@code draw} reads no random stream, so draws can be skipped without being made.
     */
    static Iterator<Draw> shuffled(int n, EpochContext context, java.util.function.IntFunction<Draw> draw,
                                   boolean pure) {
        int[] order = permutation(n, context.random());
        return new PositionedDraws() {
            private int i;

            /** The draw index; null when the draws read a random stream (crops), whose place it is not. */
            @Override
            public JsonNode position() {
                return pure ? IntNode.valueOf(i) : null;
            }

            @Override
            public void seek(JsonNode position) {
                if (!pure || position == null || !position.canConvertToInt() || position.asInt() < 0
                        || position.asInt() > order.length) {
                    throw new IllegalStateException("the shuffle's stream position must be a draw index in [0, "
                            + order.length + "] of a shuffle without crops, got " + position);
                }
                i = position.asInt();
            }

            @Override
            public boolean hasNext() {
                return i < order.length;
            }

            @Override
            public Draw next() {
                if (i >= order.length) {
                    throw new NoSuchElementException();
                }
                return draw.apply(order[i++]);
            }

            /** O(1) without crops; with crops each skipped draw is made, so its crop consumes the stream. */
            @Override
            public long skip(long k) {
                int passed = (int) Math.min(Math.max(k, 0), order.length - i);
                if (pure) {
                    i += passed;
                } else {
                    for (int m = 0; m < passed; m++) {
                        next();
                    }
                }
                return passed;
            }
        };
    }

    @Override
    public long epochSize() {
        return ids.length;
    }

    /** A draw iterator that skips and seeks. */
    private interface PositionedDraws extends Skipping<Draw>, Positioned {
    }
}
