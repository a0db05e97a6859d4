package io.speechsampler.core.samplers;

import io.speechsampler.api.config.ConfigException;
import io.speechsampler.api.config.ParamSpec;
import io.speechsampler.api.config.Params;
import io.speechsampler.api.corpus.Corpus;
import io.speechsampler.api.corpus.Labels;
import io.speechsampler.api.draw.Draw;
import io.speechsampler.api.draw.ItemDraw;
import io.speechsampler.api.spi.BuildContext;
import io.speechsampler.api.spi.EpochContext;
import io.speechsampler.api.spi.SourceSampler;
import io.speechsampler.api.spi.SourceSamplerProvider;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import org.apache.commons.rng.UniformRandomProvider;

/**
 * Class-balanced batches as DropClass's reference sampler builds them (Luu et al. 2021,
 * "DropClass and DropAdapt: Dropping classes for deep speaker representation learning";
 * cvqluu/dropclass_speaker): each batch holds {@code B} distinct classes (speakers) taken without
 * replacement from a pool of all classes that is refilled, in a new random order, when it runs
 * out, and one utterance of each class chosen uniformly at random. When the pool runs out in the
 * middle of a batch, the batch continues from the refilled pool with the classes it does not yet
 * hold; the ones it holds stay in the pool for later batches (the reference code can repeat a
 * class in such a batch). Over many batches every class is drawn equally often and utterance
 * {@code u} of class {@code c} with probability {@code 1 / (K * n_c)}.
 *
 * <p>Draws come out batch after batch, {@code B} at a time, so a fixed batcher of size {@code B}
 * keeps each batch's classes distinct. The pool starts afresh every epoch, so the epoch is a
 * function of (seed, epoch) alone and the sampler keeps no state. Random draws: the pool order is
 * a Fisher-Yates shuffle ({@code K - 1} bounded ints per fill) on the stream
 * {@code random("classes")}; the utterance of each draw is one bounded int on
 * {@code random("utterances")}; with {@link UniformCrops}, its crop one bounded long on
 * {@code random("crops")}, so classes and utterances are the same with and without crops.
 *
 * <p>The classes are the corpus's speakers, or the labels of a {@link Labels} file (pseudo-labels):
 * then utterances the file leaves out are never drawn.
 */
public final class ClassBalancedBatchSampler implements SourceSampler {

    private final String[] ids;
    private final int[][] utterancesByClass;
    private final int classesPerBatch;
    private final int numBatches;
    private final UniformCrops crops;

    private ClassBalancedBatchSampler(String[] ids, int[][] utterancesByClass, int classesPerBatch, int numBatches,
                                      UniformCrops crops) {
        this.ids = ids;
        this.utterancesByClass = utterancesByClass;
        this.classesPerBatch = classesPerBatch;
        this.numBatches = numBatches;
        this.crops = crops;
    }

    /**
     * @throws IllegalArgumentException when {@code classesPerBatch} is not in [1, number of
     *                                  speakers] or {@code numBatches < 1}
     */
    public static SourceSampler of(Corpus corpus, int classesPerBatch, int numBatches) {
        return of(corpus, null, classesPerBatch, numBatches, null);
    }

    /**
     * Over the classes of {@code labels} (or the speakers when null), each draw cropped by
     * {@code crops} (or uncropped when null).
     *
     * @throws IllegalArgumentException when {@code classesPerBatch} is not in [1, number of
     *                                  classes] or {@code numBatches < 1}
     */
    public static SourceSampler of(Corpus corpus, Labels labels, int classesPerBatch, int numBatches,
                                   UniformCrops crops) {
        int classes = labels == null ? corpus.numSpeakers() : labels.size();
        if (classesPerBatch < 1 || classesPerBatch > classes) {
            throw new IllegalArgumentException("classes_per_batch is not in [1, " + classes + "] (the number of "
                    + (labels == null ? "speakers" : "labels") + "): " + classesPerBatch);
        }
        if (numBatches < 1) {
            throw new IllegalArgumentException("num_batches is not at least 1: " + numBatches);
        }
        int[][] byClass;
        if (labels != null) {
            byClass = labels.utterancesByClass();
        } else {
            byClass = new int[corpus.numSpeakers()][];
            for (int c = 0; c < byClass.length; c++) {
                byClass[c] = corpus.utterancesOf(c);
            }
        }
        return new ClassBalancedBatchSampler(SequentialSampler.ids(corpus), byClass, classesPerBatch, numBatches,
                crops);
    }

    @Override
    public Iterator<Draw> epoch(EpochContext context) {
        UniformRandomProvider classRng = context.random("classes");
        UniformRandomProvider uttRng = context.random("utterances");
        UniformRandomProvider cropRng = crops == null ? null : context.random("crops");
        int numClasses = utterancesByClass.length;
        int[] pool = FisherYatesShuffleSampler.permutation(numClasses, classRng);
        int next = 0;
        boolean[] inBatch = new boolean[numClasses];
        int[] batch = new int[classesPerBatch];
        Draw[] out = new Draw[numBatches * classesPerBatch];
        int o = 0;
        for (int b = 0; b < numBatches; b++) {
            for (int j = 0; j < classesPerBatch; j++) {
                if (next == numClasses) {
                    pool = FisherYatesShuffleSampler.permutation(numClasses, classRng);
                    next = 0;
                }
                // The first class of the pool's rest that the batch lacks; one exists because the
                // pool holds each class once and only a refill within this batch can bring back
                // classes the batch holds, after which K - j >= B - j classes remain eligible.
                int m = next;
                while (inBatch[pool[m]]) {
                    m++;
                }
                int c = pool[m];
                pool[m] = pool[next];
                pool[next] = c;
                next++;
                inBatch[c] = true;
                batch[j] = c;
                int[] utts = utterancesByClass[c];
                int u = utts[uttRng.nextInt(utts.length)];
                out[o++] = crops == null ? ItemDraw.of(ids[u]) : ItemDraw.of(ids[u], crops.next(u, cropRng));
            }
            for (int c : batch) {
                inBatch[c] = false;
            }
        }
        return Arrays.asList(out).iterator();
    }

    @Override
    public long epochSize() {
        return (long) numBatches * classesPerBatch;
    }

    /**
     * {@code class-balanced}: {@code classes_per_batch} (default the fixed batch size; must equal
     * it when both are set; at most the number of classes), {@code num_batches} (per epoch,
     * default floor(utterances drawn from / classes_per_batch)), {@code labels} (a label file
     * whose labels are the classes, relative to the config; default the speakers) and
     * {@code crop_seconds} ({@link UniformCrops}).
     */
    public static final class Provider implements SourceSamplerProvider {
        @Override
        public String name() {
            return "class-balanced";
        }

        @Override
        public String description() {
            return "batches of distinct speakers (or labels of a label file) from a refilled pool, one uniformly "
                    + "random utterance each (DropClass sampler), optionally each a uniform crop of crop_seconds";
        }

        @Override
        public List<ParamSpec> parameters() {
            return List.of(
                    ParamSpec.integer("classes_per_batch", "distinct speakers (or labels) per batch (default: the "
                            + "fixed batch size)").min(1).defaultsTo(null),
                    ParamSpec.integer("num_batches", "batches per epoch (default: the utterances it draws from / "
                            + "classes_per_batch)")
                            .min(1).defaultsTo(null),
                    ParamSpec.string("labels", "TSV of 'utterance<TAB>label' lines, relative to the config: balance "
                            + "over its labels (e.g. the classification task's pseudo-labels) instead of the speakers; "
                            + "utterances it leaves out are not drawn").defaultsTo(null),
                    UniformCrops.optionalParam());
        }

        @Override
        public SourceSampler create(Params params, BuildContext context) {
            String key = params.pathOf("classes_per_batch");
            int fixed = context.batchSize();
            int b;
            if (params.has("classes_per_batch")) {
                b = params.getInt("classes_per_batch");
                if (fixed > 0 && fixed != b) {
                    throw params.error("classes_per_batch", "'" + key + "' must equal the fixed batch size "
                            + fixed + " so that each batch holds distinct speakers, got " + b);
                }
            } else if (fixed > 0) {
                b = fixed;
            } else {
                throw params.error("classes_per_batch", "'" + key + "' is required when the batcher has no fixed "
                        + "size; set it or use a fixed batcher");
            }
            Labels labels = null;
            if (params.has("labels")) {
                try {
                    labels = Labels.read(context.resolve(params.getString("labels")), context.corpus());
                } catch (ConfigException e) {
                    throw params.error("labels", e.getMessage());
                }
            }
            int classes = labels == null ? context.corpus().numSpeakers() : labels.size();
            if (b > classes) {
                throw params.error("classes_per_batch", "'" + key + "' is not <= the number of "
                        + (labels == null ? "speakers" : "labels in " + labels.file()) + " (" + classes + "): " + b
                        + (params.has("classes_per_batch") ? "" : " (the batch size)"));
            }
            int pool = labels == null ? context.corpus().size() : labels.labelled();
            int numBatches = params.has("num_batches") ? params.getInt("num_batches") : pool / b;
            return of(context.corpus(), labels, b, numBatches, UniformCrops.fromParams(params, context.corpus()));
        }
    }
}
