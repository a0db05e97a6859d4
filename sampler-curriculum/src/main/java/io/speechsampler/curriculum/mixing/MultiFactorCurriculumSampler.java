package io.speechsampler.curriculum.mixing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.speechsampler.api.corpus.Corpus;
import io.speechsampler.api.corpus.Utterance;
import io.speechsampler.api.draw.Draw;
import io.speechsampler.api.draw.MixtureDraw;
import io.speechsampler.api.draw.MixtureFactors;
import io.speechsampler.api.draw.Noise;
import io.speechsampler.api.draw.Source;
import io.speechsampler.api.spi.EpochContext;
import io.speechsampler.api.spi.SegmentContext;
import io.speechsampler.api.spi.Segmented;
import io.speechsampler.api.spi.SourceSampler;
import io.speechsampler.curriculum.datamap.DatamapRegions.Region;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.Objects;
import org.apache.commons.rng.UniformRandomProvider;
import org.apache.commons.rng.sampling.PermutationSampler;
import org.apache.commons.rng.sampling.distribution.AliasMethodDiscreteSampler;
import org.apache.commons.rng.sampling.distribution.DiscreteSampler;

/**
 * The multi-factor curriculum of target speaker extraction (paper 000): TSE mixtures whose
 * target-to-interferer SNR, speaker count, overlap ratio and domain (the training corpus, tagged
 * {@code synthetic}, or a second corpus, tagged {@code real}) move from easy to hard with training
 * progress. Every draw states its factors ({@link MixtureFactors}), and the renderer realises its
 * SNRs by energy.
 *
 * <p><b>Progress.</b> The sampler is {@link Segmented}: every {@code steps_per_segment} global
 * batches (run-global, so elastic resume keeps the cadence) it decides the progress
 * x = {@link io.speechsampler.api.spi.RunPlan#progress} at the segment's first batch (the decision,
 * {@code {"progress": x}}, is logged and replayed on resume), and each factor's setting is its
 * {@link FactorSchedule} at its pacing function's competence c(x). Outside a pipeline an epoch
 * draws at the progress of its start.
 *
 * <p><b>Distribution.</b> Each epoch has one mixture per utterance of the training corpus, in an
 * order shuffled by Fisher-Yates (Durstenfeld) with {@code context.random()}; the second corpus's
 * utterances are shuffled likewise with {@code context.random("real-order")} and taken in turn.
 * Each mixture draws, from {@code context.random("mixtures")}, in this order:
 * <ol>
 * <li>with a second corpus: its domain, {@code real} with probability {@code real_share}
 *     ({@code nextDouble}); a {@code real} mixture takes the second corpus's next target in place
 *     of the training corpus's (whose pivot is then skipped for this epoch);</li>
 * <li>with more than one speaker count: the count K, with probabilities {@code speaker_shares}
 *     (inverse CDF of one {@code nextDouble}; a count of share 0 is never drawn);</li>
 * <li>K-1 interferers, each uniform over the domain's utterances whose speaker is not yet in the
 *     mixture ({@code nextInt}, mapped past the excluded speakers, no rejection);</li>
 * <li>K-1 SNRs of the target over each interferer, uniform in {@code snr_db} ({@code nextDouble});</li>
 * <li>the overlap o aimed at, uniform in {@code overlap} ({@code nextDouble});</li>
 * <li>crops: the mixture is S = {@code segment_seconds} long; the target starts at 0, cropped at a
 *     uniform offset ({@code nextLong}) when longer than S, and spans L = min(S, its length); the
 *     interferers start at d = min(L - 1, round((1 - o) L)), each cropped at a uniform offset
 *     ({@code nextLong}) when longer than its window S - d. The factors record the overlap the
 *     offsets realise, the share of the target's L samples that an interferer covers: o up to
 *     1 / (2L) when the interferers fill their windows, less when they are shorter;</li>
 * <li>the enrolment: uniform over the target speaker's other utterances ({@code nextInt});</li>
 * <li>with a noise corpus: a noise utterance uniform over it ({@code nextInt}), an SNR uniform in
 *     {@code noise_snr_db} ({@code nextDouble}) and an offset uniform in [0, n - S] when the noise is
 *     longer than S ({@code nextLong}).</li>
 * </ol>
 * <p><b>Datamap-guided pivots</b> (with a {@link DatamapGuide}, {@code datamap:}): the training
 * corpus's targets are not a shuffled pass but drawn independently with replacement, utterance i
 * with probability w(region(i)) / sum over utterances j of w(region(j)), where w is each region's
 * weight at the guide's competence of the decided progress: first the region, with probability
 * proportional to weight times the region's size, by the alias method (Walker 1977, Vose 1991;
 * Commons RNG's {@code AliasMethodDiscreteSampler}), then a uniform member ({@code nextInt}), both
 * from {@code context.random("datamap-pivots")}; a region of weight 0 is never drawn. The epoch
 * still has one mixture per training utterance; {@code real} mixtures take the second corpus's
 * targets in turn as above (the guide maps only the training corpus, as the datamap does). Regions
 * are the guide's at the epoch start.
 *
 * <p>The target is source 0 (the pivot, the datamap's key). The draws of an epoch are a function of
 * (seed, epoch, component key, the applied decisions); the state is the decision applied last.
 * Consume one epoch's iterator on one thread.
 */
public final class MultiFactorCurriculumSampler implements SourceSampler, Segmented {

    private static final String FORMAT = "multi-factor-curriculum";

    private final Domain synthetic;
    private final Domain real;
    private final Corpus noise;
    private final CurriculumSettings settings;
    private final int[] counts;
    private final long segmentSamples;
    /** Weights the training corpus's pivots by datamap region; null for a shuffled pass. */
    private final DatamapGuide guide;
    /** The progress decided last, NaN before the first decision. */
    private double progress = Double.NaN;
    /** The distributions draws are made from now. */
    private Distributions current;

    /**
     * The factor distributions at one progress value; {@code regionWeights} by {@link Region}
     * ordinal, null without a datamap guide.
     */
    record Distributions(double progress, double snrLow, double snrHigh, double overlapLow, double overlapHigh,
                         double[] countCdf, double realShare, double[] regionWeights) {
    }

    private MultiFactorCurriculumSampler(Corpus corpus, Corpus realCorpus, Corpus noise, CurriculumSettings settings,
                                         DatamapGuide guide) {
        this.synthetic = new Domain("synthetic", corpus);
        this.real = realCorpus == null ? null : new Domain("real", realCorpus);
        this.noise = noise;
        this.settings = settings;
        this.counts = settings.speakerCounts();
        this.segmentSamples = Math.max(1, Math.round(settings.segmentSeconds() * corpus.sampleRate()));
        this.guide = guide;
        this.current = distributions(0);
    }

    /**
     * A sampler over the training corpus, a second ({@code real}) corpus or null, and a noise
     * corpus or null.
     *
     * @throws IllegalArgumentException when a corpus has fewer speakers than a mixture may need, a
     *                                  speaker has no second utterance to enrol with, the settings
     *                                  draw from a second corpus that is not given, or the
     *                                  corpora differ in sample rate
     */
    public static MultiFactorCurriculumSampler of(Corpus corpus, Corpus realCorpus, Corpus noiseCorpus,
                                                  CurriculumSettings settings) {
        return of(corpus, realCorpus, noiseCorpus, settings, null);
    }

    /**
     * As {@link #of(Corpus, Corpus, Corpus, CurriculumSettings)}, with the training corpus's pivots
     * weighted by a datamap guide (null: a shuffled pass).
     */
    public static MultiFactorCurriculumSampler of(Corpus corpus, Corpus realCorpus, Corpus noiseCorpus,
                                                  CurriculumSettings settings, DatamapGuide guide) {
        Objects.requireNonNull(corpus, "corpus");
        Objects.requireNonNull(settings, "settings");
        check(corpus, settings.mostSpeakers());
        if (settings.usesReal() && realCorpus == null) {
            throw new IllegalArgumentException("the real share is above 0 but there is no real corpus");
        }
        if (realCorpus != null) {
            check(realCorpus, settings.mostSpeakers());
            sameRate(corpus, realCorpus, "real");
        }
        if (noiseCorpus != null) {
            if (noiseCorpus.size() == 0) {
                throw new IllegalArgumentException("noise corpus " + noiseCorpus.source() + " is empty");
            }
            sameRate(corpus, noiseCorpus, "noise");
        }
        return new MultiFactorCurriculumSampler(corpus, realCorpus, noiseCorpus, settings, guide);
    }

    private static void check(Corpus c, int speakers) {
        if (c.numSpeakers() < speakers) {
            throw new IllegalArgumentException("a mixture may have " + speakers + " speakers but corpus " + c.source()
                    + " has " + c.numSpeakers());
        }
        for (int s = 0; s < c.numSpeakers(); s++) {
            if (c.countOf(s) < 2) {
                throw new IllegalArgumentException("speaker '" + c.speakers().get(s) + "' of " + c.source()
                        + " has 1 utterance; a target needs another to enrol with");
            }
        }
    }

    private static void sameRate(Corpus corpus, Corpus other, String what) {
        if (other.size() > 0 && corpus.size() > 0 && other.sampleRate() != corpus.sampleRate()) {
            throw new IllegalArgumentException(what + " corpus " + other.source() + " is at " + other.sampleRate()
                    + " Hz; expected the corpus's " + corpus.sampleRate() + " Hz");
        }
    }

    public CurriculumSettings settings() {
        return settings;
    }

    /** The datamap guide, or null. */
    public DatamapGuide guide() {
        return guide;
    }

    /** The factor distributions at progress {@code x} (each factor at its own pacing's competence). */
    public Distributions distributions(double x) {
        double[] snr = settings.snrDb().atProgress(x);
        double[] ov = settings.overlap().atProgress(x);
        double[] shares = settings.speakerShares().atProgress(x);
        double[] cdf = new double[shares.length];
        double sum = 0;
        for (int i = 0; i < shares.length; i++) {
            sum += shares[i];
            cdf[i] = sum;
        }
        double share = real == null ? 0 : settings.realShare().atProgress(x)[0];
        return new Distributions(x, snr[0], snr[1], ov[0], ov[1], cdf, share, guide == null ? null : guide.weightsAt(x));
    }

    /** The distributions the next draws are made from. */
    public Distributions current() {
        return current;
    }

    @Override
    public long epochSize() {
        return synthetic.corpus.size();
    }

    // ---- Segmented

    @Override
    public long nextBoundary(long runBatch) {
        long k = settings.stepsPerSegment();
        return (runBatch / k + 1) * k;
    }

    @Override
    public JsonNode decide(SegmentContext context) {
        ObjectNode o = JsonNodeFactory.instance.objectNode();
        o.put("progress", context.epoch().plan().progress(context.epoch().epoch(), context.startBatch()));
        return o;
    }

    @Override
    public void apply(JsonNode decision, SegmentContext context) {
        setProgress(progressOf(decision, "decision"));
    }

    private void setProgress(double x) {
        progress = x;
        current = distributions(x);
    }

    private static double progressOf(JsonNode o, String what) {
        JsonNode p = o == null ? null : o.get("progress");
        if (p == null || !p.isNumber() || !(p.doubleValue() >= 0 && p.doubleValue() <= 1)) {
            throw new IllegalStateException("curriculum " + what + " " + o + " is not {\"progress\": a number in [0, 1]}");
        }
        return p.doubleValue();
    }

    // ---- Stateful: the decision applied last

    @Override
    public JsonNode saveState() {
        if (Double.isNaN(progress)) {
            return NullNode.getInstance();
        }
        ObjectNode o = JsonNodeFactory.instance.objectNode();
        o.put("format", FORMAT);
        o.put("progress", progress);
        return o;
    }

    @Override
    public void restoreState(JsonNode state) {
        if (state == null || state.isNull()) {
            progress = Double.NaN;
            current = distributions(0);
            return;
        }
        if (!FORMAT.equals(state.path("format").asText())) {
            throw new IllegalStateException("not a " + FORMAT + " state: " + state);
        }
        setProgress(progressOf(state, "state"));
    }

    // ---- drawing

    @Override
    public Iterator<Draw> epoch(EpochContext context) {
        GuidedPivots guided = guide == null ? null : new GuidedPivots(guide.regions(), context.random("datamap-pivots"));
        int[] order = guided != null ? null : shuffled(synthetic.corpus.size(), context.random());
        int size = synthetic.corpus.size();
        int[] realOrder = real == null ? null : shuffled(real.corpus.size(), context.random("real-order"));
        UniformRandomProvider rng = context.random("mixtures");
        if (Double.isNaN(progress)) {
            current = distributions(context.plan().progress(context.epoch(), context.plan().epochStartBatch()));
        }
        return new Iterator<>() {
            private int next;
            private int nextReal;

            @Override
            public boolean hasNext() {
                return next < size;
            }

            @Override
            public Draw next() {
                if (next >= size) {
                    throw new NoSuchElementException("the epoch has " + size + " mixtures");
                }
                Distributions d = current;
                boolean isReal = real != null && rng.nextDouble() < d.realShare();
                int pivot = guided != null ? -1 : order[next];
                next++;
                if (!isReal && guided != null) {
                    pivot = guided.draw(d);
                }
                if (isReal) {
                    pivot = realOrder[nextReal];
                    nextReal = nextReal + 1 == realOrder.length ? 0 : nextReal + 1;
                }
                return mixture(isReal ? real : synthetic, pivot, d, rng);
            }
        };
    }

    /** One epoch's datamap-weighted pivots: the regions' members and the region sampler of the current weights. */
    private static final class GuidedPivots {
        private final int[][] members;
        private final UniformRandomProvider rng;
        private Distributions madeFor;
        private DiscreteSampler region;

        GuidedPivots(Region[] regions, UniformRandomProvider rng) {
            int[] counts = new int[Region.values().length];
            for (Region r : regions) {
                counts[r.ordinal()]++;
            }
            members = new int[counts.length][];
            for (int r = 0; r < counts.length; r++) {
                members[r] = new int[counts[r]];
            }
            int[] at = new int[counts.length];
            for (int i = 0; i < regions.length; i++) {
                int r = regions[i].ordinal();
                members[r][at[r]++] = i;
            }
            this.rng = rng;
        }

        int draw(Distributions d) {
            if (d != madeFor) {
                double[] p = new double[members.length];
                double sum = 0;
                for (int r = 0; r < p.length; r++) {
                    p[r] = d.regionWeights()[r] * members[r].length;
                    sum += p[r];
                }
                if (!(sum > 0)) {
                    StringBuilder sizes = new StringBuilder();
                    for (Region r : Region.values()) {
                        sizes.append(sizes.length() == 0 ? "" : ", ").append(r.label()).append(' ')
                                .append(members[r.ordinal()].length);
                    }
                    throw new IllegalStateException("datamap-guided curriculum: at progress " + d.progress() + " every "
                            + "region with utterances has weight 0 (weights " + Arrays.toString(d.regionWeights())
                            + " for easy, ambiguous, hard, unseen; utterances " + sizes + ")");
                }
                region = AliasMethodDiscreteSampler.of(rng, p);
                madeFor = d;
            }
            int[] m = members[region.sample()];
            return m[rng.nextInt(m.length)];
        }
    }

    private static int[] shuffled(int n, UniformRandomProvider rng) {
        int[] a = PermutationSampler.natural(n);
        PermutationSampler.shuffle(rng, a); // Fisher-Yates (Durstenfeld), i = n-1..1
        return a;
    }

    private int speakerCount(Distributions d, UniformRandomProvider rng) {
        if (counts.length == 1) {
            return counts[0];
        }
        double u = rng.nextDouble();
        double[] cdf = d.countCdf();
        int last = 0;
        for (int i = 0; i < cdf.length; i++) {
            double share = cdf[i] - (i == 0 ? 0 : cdf[i - 1]);
            if (share > 0) {
                if (u < cdf[i]) {
                    return counts[i];
                }
                last = i;
            }
        }
        return counts[last]; // u above a cdf that sums to 1 - rounding
    }

    private MixtureDraw mixture(Domain dom, int pivot, Distributions d, UniformRandomProvider rng) {
        Corpus corpus = dom.corpus;
        int k = speakerCount(d, rng);
        int[] chosen = new int[k];
        int[] usedSpeakers = new int[k];
        chosen[0] = pivot;
        usedSpeakers[0] = corpus.speakerOf(pivot);
        for (int j = 1; j < k; j++) {
            chosen[j] = dom.partner(rng, usedSpeakers, j);
            usedSpeakers[j] = corpus.speakerOf(chosen[j]);
        }
        List<Double> snrs = new ArrayList<>(k - 1);
        for (int j = 1; j < k; j++) {
            snrs.add(d.snrLow() + (d.snrHigh() - d.snrLow()) * rng.nextDouble());
        }
        double aimed = d.overlapLow() + (d.overlapHigh() - d.overlapLow()) * rng.nextDouble();
        long s = segmentSamples;
        List<Source> sources = new ArrayList<>(k);
        Utterance target = corpus.get(pivot);
        long targetOffset = target.numSamples() > s ? rng.nextLong(target.numSamples() - s + 1) : 0;
        long span = Math.min(s, target.numSamples() - targetOffset);
        long delay = Math.min(span - 1, Math.round((1 - aimed) * span));
        sources.add(new Source(target.id(), 0, targetOffset, 0));
        long longest = 0;
        for (int j = 1; j < k; j++) {
            Utterance u = corpus.get(chosen[j]);
            long window = s - delay;
            long offset = u.numSamples() > window ? rng.nextLong(u.numSamples() - window + 1) : 0;
            longest = Math.max(longest, Math.min(window, u.numSamples() - offset));
            sources.add(new Source(u.id(), 0, offset, delay));
        }
        double overlap = (double) (Math.min(span, delay + longest) - delay) / span;
        int[] same = corpus.utterancesOf(usedSpeakers[0]);
        int e = rng.nextInt(same.length - 1);
        String enrolment = corpus.get(same[e] == pivot ? same[same.length - 1] : same[e]).id();
        Noise n = null;
        if (noise != null) {
            Utterance nu = noise.get(rng.nextInt(noise.size()));
            double snr = settings.noiseSnrLowDb()
                    + (settings.noiseSnrHighDb() - settings.noiseSnrLowDb()) * rng.nextDouble();
            long offset = nu.numSamples() > s ? rng.nextLong(nu.numSamples() - s + 1) : 0;
            n = new Noise(nu.id(), snr, offset);
        }
        return new MixtureDraw(sources, s, n, 0, enrolment, List.of(dom.name),
                new MixtureFactors(snrs, overlap, dom.name));
    }

    /** A corpus with its utterances grouped by speaker, for drawing partners of other speakers. */
    private static final class Domain {
        final String name;
        final Corpus corpus;
        final int[] grouped;
        final int[] groupStart;
        final int[] groupCount;

        Domain(String name, Corpus corpus) {
            this.name = name;
            this.corpus = corpus;
            int speakers = corpus.numSpeakers();
            grouped = new int[corpus.size()];
            groupStart = new int[speakers];
            groupCount = new int[speakers];
            int at = 0;
            for (int sp = 0; sp < speakers; sp++) {
                int[] members = corpus.utterancesOf(sp);
                groupStart[sp] = at;
                groupCount[sp] = members.length;
                System.arraycopy(members, 0, grouped, at, members.length);
                at += members.length;
            }
        }

        /** Uniform over the utterances whose speaker is not among {@code used[0..count)}. */
        int partner(UniformRandomProvider rng, int[] used, int count) {
            int[] excluded = Arrays.copyOf(used, count);
            Arrays.sort(excluded);
            int allowed = grouped.length;
            for (int sp : excluded) {
                allowed -= groupCount[sp];
            }
            int r = rng.nextInt(allowed);
            for (int sp : excluded) {
                if (r >= groupStart[sp]) {
                    r += groupCount[sp];
                } else {
                    break;
                }
            }
            return grouped[r];
        }
    }
}
