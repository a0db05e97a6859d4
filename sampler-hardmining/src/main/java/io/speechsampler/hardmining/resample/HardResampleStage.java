package io.speechsampler.hardmining.resample;

import io.speechsampler.api.corpus.Corpus;
import io.speechsampler.api.corpus.Utterance;
import io.speechsampler.api.draw.Draw;
import io.speechsampler.api.draw.MixtureDraw;
import io.speechsampler.api.draw.Source;
import io.speechsampler.api.spi.EpochContext;
import io.speechsampler.api.spi.Stage;
import io.speechsampler.hardmining.mining.HardPairTable;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.commons.rng.UniformRandomProvider;

/**
 * Hard re-sampling (Wang et al., "Mining hard samples locally and globally for improved speech
 * separation", ICASSP 2022, section 2.4): each mixture draw with at least two sources is, with
 * probability P_S, rebuilt around its first two sources (the pair). A pivot is chosen uniformly
 * between the two; it keeps its place, gain, offset and delay; its partner's id is replaced by a
 * uniform draw from the pivot's hard partners in the {@link HardPairTable}, keeping the
 * partner's gain and delay; the draw is tagged {@value #TAG}. Other draws, and draws whose pivot
 * has no hard partner (counted in {@link #tally()}), pass through unchanged.
 *
 * <p>The new partner's crop offset follows dynamic mixing's rule: for a fixed-length mixture
 * ({@code length > 0}) whose window {@code length - delay} is shorter than the new partner's
 * {@code n} samples, it is uniform in {@code [0, n - window]}; otherwise 0.
 *
 * <p>Random draws from {@link EpochContext#random()}, per mixture draw with two or more sources,
 * in this order: {@code nextDouble()} (replace when below P_S); when replacing,
 * {@code nextInt(2)} (the pivot: 0 = first source), then, when the pivot has hard partners,
 * {@code nextInt(k)} (the partner) and, only when the offset is drawn, {@code nextLong(n - window + 1)}.
 * So the output is a function of the input order, the context and nothing else.
 *
 * <p>Target speaker extraction draws: when the pair holds the target and the pivot would be the
 * non-target source, the target would be replaced and its enrolment utterance would no longer
 * match; the target is made the pivot instead (the {@code nextInt(2)} is still consumed).
 * Mixtures of three or more sources: a hard partner whose speaker already speaks in another
 * source of the mixture is not eligible, so that no mixture gets one speaker twice; the draw is
 * uniform among the eligible partners.
 */
public final class HardResampleStage implements Stage {

    /** The tag of re-sampled draws. */
    public static final String TAG = "hard";

    /**
     * Counts since construction, for reports.
     *
     * @param mixtures        mixture draws with two or more sources seen
     * @param replaced        draws whose partner was replaced
     * @param withoutPartners draws chosen for replacement whose pivot had no eligible hard partner
     */
    public record Tally(long mixtures, long replaced, long withoutPartners) {
    }

    private final HardPairTable table;
    private final Corpus corpus;
    private final double probability;
    private final AtomicLong mixtures = new AtomicLong();
    private final AtomicLong replaced = new AtomicLong();
    private final AtomicLong withoutPartners = new AtomicLong();

    private HardResampleStage(HardPairTable table, Corpus corpus, double probability) {
        this.table = table;
        this.corpus = corpus;
        this.probability = probability;
    }

    /**
     * @param table       hard partners, checked against {@code corpus} (see {@link HardPairTable#read})
     * @param corpus      the corpus the draws come from (for durations and speakers)
     * @param probability P_S in [0, 1]
     */
    public static HardResampleStage of(HardPairTable table, Corpus corpus, double probability) {
        Objects.requireNonNull(table, "table");
        Objects.requireNonNull(corpus, "corpus");
        if (!(probability >= 0 && probability <= 1)) {
            throw new IllegalArgumentException("p_s is not in [0, 1]: " + probability);
        }
        return new HardResampleStage(table, corpus, probability);
    }

    public double probability() {
        return probability;
    }

    public Tally tally() {
        return new Tally(mixtures.get(), replaced.get(), withoutPartners.get());
    }

    @Override
    public boolean oneForOne() {
        return true;
    }

    @Override
    public Iterator<Draw> apply(Iterator<Draw> upstream, EpochContext context) {
        UniformRandomProvider rng = context.random();
        return Stage.map(upstream, d -> d instanceof MixtureDraw m && m.sources().size() >= 2 ? resample(m, rng) : d);
    }

    private MixtureDraw resample(MixtureDraw m, UniformRandomProvider rng) {
        mixtures.incrementAndGet();
        if (!(rng.nextDouble() < probability)) {
            return m;
        }
        int pivot = rng.nextInt(2);
        if (m.target() == 1 - pivot) {
            pivot = m.target();
        }
        int other = 1 - pivot;
        List<Source> sources = m.sources();
        String pivotId = sources.get(pivot).id();
        List<String> eligible = eligiblePartners(pivotId, sources, other);
        if (eligible.isEmpty()) {
            withoutPartners.incrementAndGet();
            return m;
        }
        String partnerId = eligible.get(rng.nextInt(eligible.size()));
        Source old = sources.get(other);
        Utterance u = corpus.require(partnerId);
        long offset = 0;
        if (m.length() > 0) {
            long window = m.length() - old.delay();
            if (window > 0 && u.numSamples() > window) {
                offset = rng.nextLong(u.numSamples() - window + 1);
            }
        }
        List<Source> out = new ArrayList<>(sources);
        out.set(other, new Source(partnerId, old.gainDb(), offset, old.delay()));
        replaced.incrementAndGet();
        return m.withSources(out).withTag(TAG);
    }

    /** The pivot's hard partners, minus speakers of sources other than the pair (3+ sources only). */
    private List<String> eligiblePartners(String pivotId, List<Source> sources, int other) {
        List<String> all = table.partnersOf(pivotId);
        if (sources.size() == 2 || all.isEmpty()) {
            return all;
        }
        List<String> busy = new ArrayList<>();
        for (int i = 0; i < sources.size(); i++) {
            if (i != other) {
                busy.add(corpus.require(sources.get(i).id()).speaker());
            }
        }
        List<String> out = new ArrayList<>(all.size());
        for (String p : all) {
            if (!busy.contains(corpus.require(p).speaker())) {
                out.add(p);
            }
        }
        return out;
    }
}
