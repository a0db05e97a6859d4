package io.speechsampler.core.batchers;

import io.speechsampler.api.config.ParamSpec;
import io.speechsampler.api.config.Params;
import io.speechsampler.api.corpus.Corpus;
import io.speechsampler.api.corpus.Utterance;
import io.speechsampler.api.draw.Draw;
import io.speechsampler.api.draw.ItemDraw;
import io.speechsampler.api.draw.MixtureDraw;
import io.speechsampler.api.draw.TwoViewDraw;
import io.speechsampler.api.draw.Source;
import io.speechsampler.api.spi.Batcher;
import io.speechsampler.api.spi.BatcherProvider;
import io.speechsampler.api.spi.BuildContext;
import io.speechsampler.api.spi.EpochContext;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Deque;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;

/**
 * Batches bounded by padded duration, from draws sorted into duration buckets, as Lhotse's
 * {@code DynamicBucketingSampler} does (Żelasko et al. 2021, "Lhotse: a speech data
 * representation library for the modern deep learning ecosystem").
 *
 * <p><b>Buckets.</b> Boundaries come from the corpus durations as Lhotse's
 * {@code estimate_duration_buckets} computes them: sort the durations, let
 * {@code s = total / num_buckets}, walk the sorted durations adding each to a running total and,
 * before adding a duration {@code d}, when the running total exceeds {@code s}, make {@code d} a
 * boundary and reset the total. A draw of duration {@code d} goes to bucket
 * {@code #(boundaries <= d)} (Python's {@code bisect_right}), so buckets hold roughly equal total
 * duration. There may be fewer than {@code num_buckets} buckets.
 *
 * <p><b>Batches.</b> Draws are taken in stream order (shuffle them upstream) into their bucket. A
 * bucket holding {@code c} draws of longest duration {@code m} emits them as a batch when the next
 * draw {@code d} would make {@code (c + 1) * max(m, d)} exceed {@code max_seconds}, so every batch
 * has {@code size * longest <= max_seconds}, except that a single draw longer than
 * {@code max_seconds} forms a batch of its own. At the end of the epoch the buckets still holding
 * draws emit them in bucket order, unless {@code drop_incomplete} is set (then they are dropped).
 *
 * <p><b>Duration of a draw.</b> An item: its crop's length when it has one, else its utterance's
 * seconds. A two-view draw: both crops' lengths added (it renders as two rows). A mixture: its {@code length}
 * in samples over the corpus sample rate when positive, else its longest source (samples after
 * its offset plus its delay). Draws no random numbers and keeps no state.
 */
public final class DurationBucketingBatcher implements Batcher {

    private final Corpus corpus;
    private final double[] boundaries;
    private final double maxSeconds;
    private final boolean dropIncomplete;

    private DurationBucketingBatcher(Corpus corpus, double[] boundaries, double maxSeconds, boolean dropIncomplete) {
        this.corpus = corpus;
        this.boundaries = boundaries;
        this.maxSeconds = maxSeconds;
        this.dropIncomplete = dropIncomplete;
    }

    /**
     * @throws IllegalArgumentException when {@code maxSeconds} is not finite and positive or
     *                                  {@code numBuckets} is not in [1, corpus size]
     */
    public static Batcher of(Corpus corpus, double maxSeconds, int numBuckets, boolean dropIncomplete) {
        if (!(maxSeconds > 0) || Double.isInfinite(maxSeconds)) {
            throw new IllegalArgumentException("max_seconds is not finite and > 0: " + maxSeconds);
        }
        if (numBuckets < 1 || numBuckets > corpus.size()) {
            throw new IllegalArgumentException("num_buckets is not in [1, " + corpus.size()
                    + "] (the corpus size): " + numBuckets);
        }
        return new DurationBucketingBatcher(corpus, estimateBoundaries(corpus.seconds(), numBuckets), maxSeconds,
                dropIncomplete);
    }

    /** Bucket boundaries as Lhotse's {@code estimate_duration_buckets} computes them; see the class comment. */
    public static double[] estimateBoundaries(double[] durations, int numBuckets) {
        double[] sorted = durations.clone();
        Arrays.sort(sorted);
        double total = 0;
        for (double d : sorted) {
            total += d;
        }
        double perBucket = total / numBuckets;
        List<Double> bins = new ArrayList<>();
        double running = 0;
        for (double d : sorted) {
            if (running > perBucket) {
                bins.add(d);
                running = 0;
            }
            running += d;
        }
        return bins.stream().mapToDouble(Double::doubleValue).toArray();
    }

    /** The bucket of a duration: the number of boundaries at most {@code seconds}. */
    public static int bucketOf(double[] boundaries, double seconds) {
        int lo = 0;
        int hi = boundaries.length;
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (boundaries[mid] <= seconds) {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        return lo;
    }

    /** The bucket boundaries in seconds, ascending. */
    public double[] boundaries() {
        return boundaries.clone();
    }

    /** A draw's duration in seconds; see the class comment. */
    public double secondsOf(Draw draw) {
        int rate = corpus.sampleRate();
        if (draw instanceof ItemDraw item) {
            return item.crop() != null ? item.crop().length() / (double) rate : corpus.require(item.id()).seconds();
        }
        if (draw instanceof TwoViewDraw two) {
            // two rows of audio: both views count
            return (two.first().length() + two.second().length()) / (double) rate;
        }
        MixtureDraw m = (MixtureDraw) draw;
        if (m.length() > 0) {
            return m.length() / (double) rate;
        }
        long longest = 0;
        for (Source s : m.sources()) {
            Utterance u = corpus.require(s.id());
            longest = Math.max(longest, Math.max(0, u.numSamples() - s.offset()) + s.delay());
        }
        return longest / (double) rate;
    }

    @Override
    public Iterator<List<Draw>> batches(Iterator<Draw> draws, EpochContext context) {
        int numBuckets = boundaries.length + 1;
        List<List<Draw>> buckets = new ArrayList<>(numBuckets);
        double[] longest = new double[numBuckets];
        for (int i = 0; i < numBuckets; i++) {
            buckets.add(new ArrayList<>());
        }
        Deque<List<Draw>> ready = new ArrayDeque<>();
        return new Iterator<>() {
            private boolean flushed;

            private void advance() {
                while (ready.isEmpty() && draws.hasNext()) {
                    Draw d = draws.next();
                    double s = secondsOf(d);
                    int b = bucketOf(boundaries, s);
                    List<Draw> bucket = buckets.get(b);
                    if (!bucket.isEmpty() && (bucket.size() + 1) * Math.max(longest[b], s) > maxSeconds) {
                        ready.add(List.copyOf(bucket));
                        bucket.clear();
                        longest[b] = 0;
                    }
                    bucket.add(d);
                    longest[b] = Math.max(longest[b], s);
                }
                if (ready.isEmpty() && !flushed) {
                    flushed = true;
                    if (!dropIncomplete) {
                        for (List<Draw> bucket : buckets) {
                            if (!bucket.isEmpty()) {
                                ready.add(List.copyOf(bucket));
                            }
                        }
                    }
                }
            }

            @Override
            public boolean hasNext() {
                advance();
                return !ready.isEmpty();
            }

            @Override
            public List<Draw> next() {
                if (!hasNext()) {
                    throw new NoSuchElementException();
                }
                return ready.poll();
            }
        };
    }

    /**
     * {@code duration-bucketed}: {@code max_seconds} (required, > 0), {@code num_buckets} (default
     * 10, at most the corpus size), {@code drop_incomplete} (default false).
     */
    public static final class Provider implements BatcherProvider {
        @Override
        public String name() {
            return "duration-bucketed";
        }

        @Override
        public String description() {
            return "batches of similar-duration draws with batch size x longest duration <= max_seconds "
                    + "(Lhotse dynamic bucketing)";
        }

        @Override
        public List<ParamSpec> parameters() {
            return List.of(
                    ParamSpec.real("max_seconds", "most padded seconds per batch: size x longest duration; > 0"),
                    ParamSpec.integer("num_buckets", "duration buckets of equal total duration").min(1)
                            .defaultsTo(10),
                    ParamSpec.bool("drop_incomplete", "drop the draws left in buckets at the end of an epoch")
                            .defaultsTo(false));
        }

        @Override
        public Batcher create(Params params, BuildContext context) {
            double maxSeconds = params.getDouble("max_seconds");
            if (!(maxSeconds > 0)) {
                throw params.error("max_seconds", "'" + params.pathOf("max_seconds") + "' is not > 0: "
                        + maxSeconds);
            }
            int numBuckets = params.getInt("num_buckets");
            int size = context.corpus().size();
            if (numBuckets > size) {
                throw params.error("num_buckets", "'" + params.pathOf("num_buckets")
                        + "' is not <= the number of utterances (" + size + "): " + numBuckets);
            }
            return of(context.corpus(), maxSeconds, numBuckets, params.getBoolean("drop_incomplete"));
        }
    }
}
