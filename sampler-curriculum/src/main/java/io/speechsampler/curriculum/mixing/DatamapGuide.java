package io.speechsampler.curriculum.mixing;

import io.speechsampler.curriculum.datamap.DatamapRegions;
import io.speechsampler.curriculum.datamap.DatamapRegions.Region;
import io.speechsampler.curriculum.datamap.TseDatamap;
import io.speechsampler.curriculum.pacing.PacingFunction;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.TreeSet;

/**
 * The datamap guide of {@link MultiFactorCurriculumSampler} ({@code datamap:} of
 * {@code multi-factor-curriculum}): each training-corpus utterance's region (easy, ambiguous, hard,
 * unseen) and each region's sampling weight, a {@link FactorSchedule} of one number per stop over
 * the guide's competence, so that the weights change with training progress (easy first, hard
 * last; or ambiguous emphasised).
 *
 * <p>Regions come from a {@code datamap.csv} of an earlier run (fixed for the run), or from a
 * {@code datamap} observer of this run, recomputed at every epoch start from its finished epochs
 * ({@link DatamapRegions#assign}: O(N log N), never inside an epoch; the observer's table changes
 * only at epoch ends, so a resumed epoch sees the regions it started with). Before the observer has
 * finished an epoch every utterance is unseen.
 */
public final class DatamapGuide {

    private final Region[] fixed;
    private final TseDatamap online;
    /** With {@link #online}: the training corpus's size, the first utterances of the observer's map. */
    private final int trainingSize;
    private final double ambiguousShare;
    private final double confidenceCut;
    /** By {@link Region} ordinal. */
    private final FactorSchedule[] weights;

    private DatamapGuide(Region[] fixed, TseDatamap online, int trainingSize, double ambiguousShare,
                         double confidenceCut, FactorSchedule[] weights) {
        this.fixed = fixed;
        this.online = online;
        this.trainingSize = trainingSize;
        this.ambiguousShare = ambiguousShare;
        this.confidenceCut = confidenceCut;
        this.weights = weights;
    }

    /**
     * A guide with the regions of an earlier run.
     *
     * @param regions each training-corpus utterance's region, by corpus index
     * @param weights each region's weight stops, by {@link Region} ordinal (one number per stop, at
     *                least 0)
     * @throws IllegalArgumentException see {@link #checkWeights}
     */
    public static DatamapGuide fromRegions(Region[] regions, double[][][] weights, PacingFunction pacing) {
        FactorSchedule[] w = schedules(weights, pacing);
        checkWeights(w, present(regions));
        return new DatamapGuide(regions.clone(), null, regions.length, Double.NaN, Double.NaN, w);
    }

    /**
     * A guide with the regions of this run's {@code datamap} observer, recomputed at epoch starts.
     * The observer may map more than the training corpus (its key corpus: the training corpus's
     * utterances first, then a second corpus's {@code real} targets); the regions are assigned over
     * the whole map, as {@code sampler datamap} writes them, and the guide weights the training
     * corpus's utterances only, the pivots it draws.
     *
     * @param training      the training corpus, whose utterances the observer's map starts with
     * @param confidenceCut the easy/hard cut, or NaN for the median (see {@link DatamapRegions#assign})
     * @throws IllegalArgumentException see {@link #checkWeights}, a share outside [0, 1], or an
     *                                  observer whose map does not start with the training corpus
     */
    public static DatamapGuide online(TseDatamap datamap, io.speechsampler.api.corpus.Corpus training,
                                      double ambiguousShare, double confidenceCut, double[][][] weights,
                                      PacingFunction pacing) {
        Objects.requireNonNull(datamap, "datamap");
        if (!io.speechsampler.api.spi.BuildContext.startsWith(datamap.corpus(), training)) {
            throw new IllegalArgumentException("the datamap observer maps " + datamap.corpus().size() + " utterances of "
                    + datamap.corpus().source() + ", which do not start with the training corpus's " + training.size()
                    + "; expected a datamap observer of this run");
        }
        if (!(ambiguousShare >= 0 && ambiguousShare <= 1)) {
            throw new IllegalArgumentException("ambiguous_share is not in [0, 1]: " + ambiguousShare);
        }
        FactorSchedule[] w = schedules(weights, pacing);
        boolean[] all = new boolean[Region.values().length];
        Arrays.fill(all, true);
        checkWeights(w, all);
        return new DatamapGuide(null, datamap, training.size(), ambiguousShare, confidenceCut, w);
    }

    private static FactorSchedule[] schedules(double[][][] weights, PacingFunction pacing) {
        if (weights.length != Region.values().length) {
            throw new IllegalArgumentException("expected " + Region.values().length + " weight schedules, got "
                    + weights.length);
        }
        FactorSchedule[] out = new FactorSchedule[weights.length];
        for (int r = 0; r < weights.length; r++) {
            for (double[] stop : weights[r]) {
                if (stop.length != 1 || !(stop[0] >= 0) || !Double.isFinite(stop[0])) {
                    throw new IllegalArgumentException("the weight of region " + Region.values()[r].label()
                            + " is not a finite number >= 0: " + Arrays.toString(stop));
                }
            }
            out[r] = FactorSchedule.of(weights[r], pacing);
        }
        return out;
    }

    private static boolean[] present(Region[] regions) {
        boolean[] p = new boolean[Region.values().length];
        for (Region r : regions) {
            p[r.ordinal()] = true;
        }
        return p;
    }

    /**
     * Every competence in [0, 1] gives some region in {@code present} a weight above 0: checked at
     * the stops of every schedule (the weights are linear between them, so a sum of them that is 0
     * somewhere is 0 at a stop).
     *
     * @throws IllegalArgumentException naming the first competence where every weight is 0
     */
    static void checkWeights(FactorSchedule[] weights, boolean[] present) {
        TreeSet<Double> at = new TreeSet<>();
        for (FactorSchedule s : weights) {
            int n = s.stops().length;
            for (int k = 0; k < n; k++) {
                at.add(n == 1 ? 0 : k / (double) (n - 1));
            }
        }
        for (double c : at) {
            double sum = 0;
            for (int r = 0; r < weights.length; r++) {
                sum += present[r] ? weights[r].atCompetence(c)[0] : 0;
            }
            if (!(sum > 0)) {
                List<String> regions = new ArrayList<>();
                for (Region r : Region.values()) {
                    if (present[r.ordinal()]) {
                        regions.add(r.label());
                    }
                }
                throw new IllegalArgumentException("every region weight is 0 at competence " + c + " (regions with "
                        + "utterances: " + String.join(", ", regions) + "); expected some weight above 0 at every "
                        + "competence");
            }
        }
    }

    /** Each region's weight at training progress {@code x}, by {@link Region} ordinal. */
    public double[] weightsAt(double x) {
        double[] w = new double[weights.length];
        for (int r = 0; r < w.length; r++) {
            w[r] = weights[r].atProgress(x)[0];
        }
        return w;
    }

    /** The region schedules, by {@link Region} ordinal. */
    public FactorSchedule[] schedules() {
        return weights.clone();
    }

    /** True when the regions come from this run's datamap observer. */
    public boolean isOnline() {
        return online != null;
    }

    /** Each training-corpus utterance's region for the epoch starting now, by corpus index. */
    public Region[] regions() {
        if (fixed != null) {
            return fixed.clone();
        }
        Region[] all = DatamapRegions.assign(online.table(), ambiguousShare, confidenceCut).regions();
        return all.length == trainingSize ? all : Arrays.copyOf(all, trainingSize);
    }

    @Override
    public String toString() {
        return "datamap(" + (online != null ? "online" : "from file") + ", weights " + Arrays.toString(weights) + ")";
    }
}
