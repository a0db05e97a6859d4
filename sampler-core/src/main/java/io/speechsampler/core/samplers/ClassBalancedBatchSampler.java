package io.speechsampler.core.samplers;

import io.speechsampler.api.config.ConfigException;
import io.speechsampler.api.config.ParamSpec;
import io.speechsampler.api.config.Params;
import io.speechsampler.api.corpus.Corpus;
import io.speechsampler.api.corpus.Labels;
import io.speechsampler.api.draw.Draw;
import io.speechsampler.api.draw.ItemDraw;
import io.speechsampler.api.spi.AllowedClasses;
import io.speechsampler.api.spi.BuildContext;
import io.speechsampler.api.spi.EpochContext;
import io.speechsampler.api.spi.SourceSampler;
import io.speechsampler.api.spi.SourceSamplerProvider;
import java.util.BitSet;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
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
 * <p><b>Allowed classes.</b> Linked to an {@link AllowedClasses} component ({@code classes: dc},
 * e.g. {@code drop-class}), the pool holds only the allowed classes, and the set is read when a
 * batch starts: a new set (a new segment of the component) refills the pool from it at once, as
 * the authors' {@code set_remaining_classes} resets theirs. Within a segment of {@code L} allowed
 * classes every allowed class is drawn equally often, a dropped one never.
 *
 * <p>Draws come out batch after batch, {@code B} at a time and made only when taken, so a fixed
 * batcher of size {@code B} keeps each batch's classes distinct and a segment's decision reaches
 * the first batch pulled after it. The pool starts afresh every epoch, so the epoch is a function
 * of (seed, epoch) and the applied sets alone and the sampler keeps no state. Random draws: the
 * pool order is a Fisher-Yates shuffle ({@code L - 1} bounded ints per fill) on the stream
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
    /** The classes the pool may hold, or null for all. */
    private final AllowedClasses allowed;
    private final UniformCrops crops;

    private ClassBalancedBatchSampler(String[] ids, int[][] utterancesByClass, int classesPerBatch, int numBatches,
                                      AllowedClasses allowed, UniformCrops crops) {
        this.ids = ids;
        this.utterancesByClass = utterancesByClass;
        this.classesPerBatch = classesPerBatch;
        this.numBatches = numBatches;
        this.allowed = allowed;
        this.crops = crops;
    }

    /**
     * @throws IllegalArgumentException when {@code classesPerBatch} is not in [1, number of
     *                                  speakers] or {@code numBatches < 1}
     */
    public static SourceSampler of(Corpus corpus, int classesPerBatch, int numBatches) {
        return of(corpus, null, classesPerBatch, numBatches, null, null);
    }

    /** Batches drawn from the classes {@code allowed} allows (all when it is null). */
    public static SourceSampler of(Corpus corpus, int classesPerBatch, int numBatches, AllowedClasses allowed) {
        return of(corpus, null, classesPerBatch, numBatches, allowed, null);
    }

    /** Over the classes of {@code labels} (the speakers when null), each draw cropped by {@code crops} (or not). */
    public static SourceSampler of(Corpus corpus, Labels labels, int classesPerBatch, int numBatches,
                                   UniformCrops crops) {
        return of(corpus, labels, classesPerBatch, numBatches, null, crops);
    }

    /**
     * Batches over the classes of {@code labels} (the speakers when null) that {@code allowed}
     * allows (all when null), each draw cropped by {@code crops} (uncropped when null).
     *
     * @throws IllegalArgumentException when {@code classesPerBatch} is not in [1, number of
     *                                  classes], is more than {@code allowed} ever allows, or
     *                                  {@code numBatches < 1}
     */
    public static SourceSampler of(Corpus corpus, Labels labels, int classesPerBatch, int numBatches,
                                   AllowedClasses allowed, UniformCrops crops) {
        int classes = labels == null ? corpus.numSpeakers() : labels.size();
        if (classesPerBatch < 1 || classesPerBatch > classes) {
            throw new IllegalArgumentException("classes_per_batch is not in [1, " + classes + "] (the number of "
                    + (labels == null ? "speakers" : "labels") + "): " + classesPerBatch);
        }
        if (allowed != null && classesPerBatch > allowed.fewestAllowed()) {
            throw new IllegalArgumentException("classes_per_batch is not <= " + allowed.fewestAllowed()
                    + " (the fewest classes the linked component allows): " + classesPerBatch);
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
                allowed, crops);
    }

    @Override
    public Iterator<Draw> epoch(EpochContext context) {
        return new Draws(context.random("classes"), context.random("utterances"),
                crops == null ? null : context.random("crops"));
    }

    /** One epoch's draws, each made when it is taken. */
    private final class Draws implements Iterator<Draw> {
        private final UniformRandomProvider classRng;
        private final UniformRandomProvider uttRng;
        private final UniformRandomProvider cropRng;
        private final long total = (long) numBatches * classesPerBatch;
        private final boolean[] inBatch = new boolean[utterancesByClass.length];
        private final int[] batch = new int[classesPerBatch];
        /** The allowed set the pool was filled from (null: every class, or not yet filled). */
        private BitSet poolSet;
        /** The classes the pool refills with, or null for 0..K-1. */
        private int[] classes;
        private int[] pool;
        private int next;
        /** Position in the current batch. */
        private int j;
        private long made;

        Draws(UniformRandomProvider classRng, UniformRandomProvider uttRng, UniformRandomProvider cropRng) {
            this.classRng = classRng;
            this.uttRng = uttRng;
            this.cropRng = cropRng;
        }

        @Override
        public boolean hasNext() {
            return made < total;
        }

        @Override
        public Draw next() {
            if (!hasNext()) {
                throw new NoSuchElementException();
            }
            if (j == 0) {
                startBatch();
            }
            if (next == pool.length) {
                refill();
            }
            // The first class of the pool's rest that the batch lacks; one exists because the
            // pool holds each class once and only a refill within this batch can bring back
            // classes the batch holds, after which L - j >= B - j classes remain eligible.
            int m = next;
            while (inBatch[pool[m]]) {
                m++;
            }
            int c = pool[m];
            pool[m] = pool[next];
            pool[next] = c;
            next++;
            inBatch[c] = true;
            batch[j++] = c;
            if (j == classesPerBatch) {
                for (int b : batch) {
                    inBatch[b] = false;
                }
                j = 0;
            }
            made++;
            int[] utts = utterancesByClass[c];
            int u = utts[uttRng.nextInt(utts.length)];
            return crops == null ? ItemDraw.of(ids[u]) : ItemDraw.of(ids[u], crops.next(u, cropRng));
        }

        /** Reads the allowed set; a new one (or the epoch's first batch) fills the pool afresh. */
        private void startBatch() {
            if (allowed == null) {
                if (pool == null) {
                    refill();
                }
                return;
            }
            BitSet now = allowed.allowedClasses();
            if (now != poolSet) {
                if (now.cardinality() < classesPerBatch) {
                    throw new IllegalStateException("the linked component allows " + now.cardinality()
                            + " classes, fewer than the " + classesPerBatch + " distinct classes a batch holds");
                }
                poolSet = now;
                classes = now.stream().toArray();
                refill();
            }
        }

        private void refill() {
            if (classes == null) {
                pool = FisherYatesShuffleSampler.permutation(utterancesByClass.length, classRng);
            } else {
                int[] order = FisherYatesShuffleSampler.permutation(classes.length, classRng);
                pool = new int[classes.length];
                for (int i = 0; i < order.length; i++) {
                    pool[i] = classes[order[i]];
                }
            }
            next = 0;
        }
    }

    @Override
    public long epochSize() {
        return (long) numBatches * classesPerBatch;
    }

    /**
     * {@code class-balanced}: {@code classes_per_batch} (default the fixed batch size; must equal
     * it when both are set; at most the number of classes), {@code num_batches} (per epoch,
     * default floor(utterances drawn from / classes_per_batch)), {@code classes} (a key of the
     * config's {@code components} whose {@link AllowedClasses} the pool draws from, e.g. a
     * {@code drop-class} entry that is also the run's {@code mask}; default: every class),
     * {@code labels} (a label file whose labels are the classes, relative to the config; default
     * the speakers) and {@code crop_seconds} ({@link UniformCrops}).
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
                            + "classes_per_batch)").min(1).defaultsTo(null),
                    ParamSpec.string("classes", "a 'components' key whose allowed classes the batches draw from "
                            + "(e.g. a drop-class entry, also the mask); default: every class").defaultsTo(null),
                    ParamSpec.string("labels", "TSV of 'utterance<TAB>label' lines, relative to the config: balance "
                            + "over its labels (e.g. the classification task's pseudo-labels) instead of the speakers; "
                            + "utterances it leaves out are not drawn").defaultsTo(null),
                    UniformCrops.optionalInsideParam());
        }

        /** A crop lies inside its utterance: {@code crop_seconds} is at most the shortest utterance. */
        @Override
        public void check(Params params, BuildContext context) {
            UniformCrops.checkWithinShortest(params, context.corpus(), name());
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
            AllowedClasses allowed = null;
            if (params.has("classes")) {
                allowed = context.component(params.getString("classes"), AllowedClasses.class);
                if (b > allowed.fewestAllowed()) {
                    throw params.error("classes", "'" + params.pathOf("classes") + "' " + params.getString("classes")
                            + " allows as few as " + allowed.fewestAllowed() + " classes, fewer than the " + b
                            + " distinct classes a batch holds ('" + key + "')");
                }
            }
            return of(context.corpus(), labels, b, numBatches, allowed, UniformCrops.fromParams(params,
                    context.corpus()));
        }
    }
}
