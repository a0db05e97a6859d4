package io.speechsampler.djl.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.Shape;
import io.speechsampler.api.config.ConfigException;
import io.speechsampler.api.draw.Batch;
import io.speechsampler.api.draw.Draw;
import io.speechsampler.api.draw.DrawJson;
import io.speechsampler.api.draw.ItemDraw;
import io.speechsampler.api.draw.MixtureDraw;
import io.speechsampler.api.draw.TwoViewDraw;
import io.speechsampler.api.spi.ModelAccess;
import io.speechsampler.djl.loss.AngularPrototypicalLoss;
import io.speechsampler.djl.loss.MarginCrossEntropy;
import io.speechsampler.djl.loss.MixItLoss;
import io.speechsampler.djl.loss.PitSiSnrLoss;
import io.speechsampler.djl.loss.SiSnr;
import io.speechsampler.djl.model.ClassifierHead;
import io.speechsampler.djl.ndarray.Scalars;
import io.speechsampler.djl.ndarray.Staging;
import java.util.Arrays;
import java.util.BitSet;
import java.util.function.ToIntFunction;

/** The {@link Task} implementations. */
final class Tasks {

    private Tasks() {
    }

    static Task separation(int sources) {
        return new Pit(PitSiSnrLoss.of(sources), false);
    }

    static Task extraction() {
        return new Pit(PitSiSnrLoss.of(1), true);
    }

    static Task extraction(double speakerLossWeight, ToIntFunction<String> speakerOf) {
        if (!(speakerLossWeight > 0) || Double.isInfinite(speakerLossWeight)) {
            throw new IllegalArgumentException("speaker loss weight is not positive and finite: " + speakerLossWeight);
        }
        return new SpeakerExtraction(new Pit(PitSiSnrLoss.of(1), true), speakerLossWeight, speakerOf);
    }

    static Task mixit(int outputs, boolean consistency) {
        return new MixIt(MixItLoss.of(outputs), consistency);
    }

    static Task classification(ClassifierHead head, ToIntFunction<String> labelOf, int classes) {
        return new Classification(head, labelOf, classes);
    }

    static Task contrastive() {
        return new Contrastive();
    }

    static NDArray matrix(NDManager m, float[][] rows) {
        return Staging.matrix(m, rows);
    }

    static NDArray cube(NDManager m, float[][][] rows) {
        return Staging.cube(m, rows);
    }

    /** Rows of (batch, ...) as flattened float rows. */
    static float[][] rows(NDArray a) {
        int n = (int) a.getShape().get(0);
        int width = (int) (a.getShape().size() / Math.max(1, n));
        float[] flat = a.toFloatArray();
        float[][] out = new float[n][width];
        for (int i = 0; i < n; i++) {
            System.arraycopy(flat, i * width, out[i], 0, width);
        }
        return out;
    }

    static float[][] sources(NDList outputs, ModelAccess.Output output) {
        if (output != ModelAccess.Output.SOURCES) {
            throw new ConfigException("a separation model gives sources to the model in the loop, not "
                    + output.name().toLowerCase(java.util.Locale.ROOT));
        }
        return rows(outputs.get(0));
    }

    /** Mean over the references of SI-SNR(mixture, reference): the baseline of SI-SNRi. */
    static double baseline(float[] mixture, float[][] refs) {
        double sum = 0;
        for (float[] r : refs) {
            sum += SiSnr.of(mixture, r);
        }
        return sum / refs.length;
    }

    private static final class Pit implements Task {
        private final PitSiSnrLoss loss;
        private final boolean extraction;

        Pit(PitSiSnrLoss loss, boolean extraction) {
            this.loss = loss;
            this.extraction = extraction;
        }

        @Override
        public NDList inputs(NDManager manager, RenderedBatch r) {
            NDArray mix = matrix(manager, r.mixture());
            if (!extraction) {
                return new NDList(mix);
            }
            if (r.enrolment() == null) {
                throw new IllegalArgumentException("extraction needs enrolment audio in the rendered batch");
            }
            return new NDList(mix, matrix(manager, r.enrolment()));
        }

        @Override
        public float[][] infer(NDList outputs, ModelAccess.Output output) {
            return sources(outputs, output);
        }

        @Override
        public PerSample evaluate(NDList outputs, Batch batch, RenderedBatch r, BitSet live, boolean training) {
            NDArray est = outputs.get(0);
            NDArray ref = cube(est.getManager(), r.sources());
            PitSiSnrLoss.Result res = loss.compute(est, ref);
            float[] l = res.loss().toFloatArray();
            double[] metric = new double[l.length];
            for (int i = 0; i < l.length; i++) {
                metric[i] = -l[i] - baseline(r.mixture()[i], r.sources()[i]);
            }
            return new PerSample(res.loss(), metric);
        }
    }

    /**
     * Extraction with SpEx+'s auxiliary loss (Ge et al. 2020): in training steps, the negative SI-SNR
     * plus {@code weight} times the cross-entropy of the speaker classifier's logits (output 2)
     * against the enrolment's speaker; validation and evaluation score the negative SI-SNR alone, as
     * SpEx+ does.
     */
    private static final class SpeakerExtraction implements Task {
        private final Pit extraction;
        private final double weight;
        private final ToIntFunction<String> speakerOf;

        SpeakerExtraction(Pit extraction, double weight, ToIntFunction<String> speakerOf) {
            this.extraction = extraction;
            this.weight = weight;
            this.speakerOf = speakerOf;
        }

        @Override
        public NDList inputs(NDManager manager, RenderedBatch r) {
            return extraction.inputs(manager, r);
        }

        @Override
        public float[][] infer(NDList outputs, ModelAccess.Output output) {
            return extraction.infer(outputs, output);
        }

        @Override
        public PerSample evaluate(NDList outputs, Batch batch, RenderedBatch r, BitSet live, boolean training) {
            PerSample sisnr = extraction.evaluate(outputs, batch, r, live, training);
            if (!training) {
                return sisnr;
            }
            if (outputs.size() < 3) {
                throw new IllegalStateException("the speaker loss needs the speaker classifier's logits (output 2), "
                        + "got " + outputs.size() + " outputs");
            }
            NDArray logits = outputs.get(2);
            int classes = (int) logits.getShape().get(1);
            int n = batch.size();
            float[] hot = new float[n * classes];
            for (int i = 0; i < n; i++) {
                Draw d = batch.draws().get(i);
                if (!(d instanceof MixtureDraw m) || m.optEnrolment().isEmpty()) {
                    throw new IllegalArgumentException("the speaker loss needs mixture draws with an enrolment "
                            + "(tse-target), got " + DrawJson.toJson(d));
                }
                int label = speakerOf.applyAsInt(m.enrolment());
                if (label < 0 || label >= classes) {
                    throw new IllegalArgumentException("speaker class " + label + " of enrolment '" + m.enrolment()
                            + "' is not among the speaker classifier's " + classes + " classes");
                }
                hot[i * classes + label] = 1f;
            }
            NDArray oneHot = Staging.of(logits.getManager(), hot, new Shape(n, classes));
            NDArray ce = MarginCrossEntropy.perSample(logits, oneHot);
            return new PerSample(sisnr.loss().add(Scalars.mul(ce, (float) weight)),
                    sisnr.metric());
        }
    }

    private static final class MixIt implements Task {
        private final MixItLoss loss;
        private final boolean consistency;

        MixIt(MixItLoss loss, boolean consistency) {
            this.loss = loss;
            this.consistency = consistency;
        }

        @Override
        public NDList inputs(NDManager manager, RenderedBatch r) {
            return new NDList(matrix(manager, r.mixture()));
        }

        @Override
        public float[][] infer(NDList outputs, ModelAccess.Output output) {
            return sources(outputs, output);
        }

        @Override
        public PerSample evaluate(NDList outputs, Batch batch, RenderedBatch r, BitSet live, boolean training) {
            NDArray est = outputs.get(0);
            if (consistency) {
                est = MixItLoss.mixtureConsistency(est, matrix(est.getManager(), r.mixture()));
            }
            NDArray l = loss.compute(est, cube(est.getManager(), r.sources()));
            double[] metric = new double[r.size()];
            Arrays.fill(metric, Double.NaN);
            return new PerSample(l, metric);
        }
    }

    private static final class Classification implements Task {
        private final ClassifierHead head;
        private final ToIntFunction<String> labelOf;
        private final int classes;

        Classification(ClassifierHead head, ToIntFunction<String> labelOf, int classes) {
            this.head = head;
            this.labelOf = labelOf;
            this.classes = classes;
        }

        @Override
        public boolean usesMask() {
            return true;
        }

        @Override
        public int classes() {
            return classes;
        }

        @Override
        public float[][] infer(NDList outputs, ModelAccess.Output output) {
            return switch (output) {
                case POSTERIORS -> rows(head.inferenceLogits(outputs.get(0), null).softmax(1));
                case EMBEDDINGS -> rows(outputs.get(1));
                case SOURCES -> throw new ConfigException("a classifier gives posteriors and embeddings to the model "
                        + "in the loop, not sources");
            };
        }

        @Override
        public NDList inputs(NDManager manager, RenderedBatch r) {
            return new NDList(matrix(manager, r.mixture()));
        }

        /** The waveforms and, under a mask that drops some of the classes, the live classes' rows. */
        @Override
        public NDList inputs(NDManager manager, RenderedBatch r, BitSet live) {
            NDList in = inputs(manager, r);
            NDArray rows = this.classes > 0 ? ClassifierHead.liveRows(manager, live, this.classes) : null;
            if (rows != null) {
                in.add(rows);
            }
            return in;
        }

        @Override
        public PerSample evaluate(NDList outputs, Batch batch, RenderedBatch r, BitSet live, boolean training) {
            NDArray scores = outputs.get(0);
            int width = (int) scores.getShape().get(1);
            // Scores of the live classes only, in class order, when the network took their rows
            // (inputs(manager, r, live)); else one column per class of the model.
            int liveRows = live == null || this.classes == 0 ? -1 : live.get(0, this.classes).cardinality();
            boolean sliced = liveRows >= 0 && liveRows < this.classes && width == liveRows;
            int classes = sliced ? this.classes : width;
            int n = batch.size();
            int[] labels = new int[n];
            for (int i = 0; i < n; i++) {
                Draw d = batch.draws().get(i);
                if (!(d instanceof ItemDraw item)) {
                    throw new IllegalArgumentException("classification needs item draws, got " + d);
                }
                labels[i] = labelOf.applyAsInt(item.id());
                if (labels[i] >= classes) {
                    throw new IllegalArgumentException("class " + labels[i] + " of '" + item.id()
                            + "' is past the model's " + classes + " classes");
                }
                if (live != null && !live.get(labels[i])) {
                    // A masked true class would get logit -1e9 and a loss near 1e9, which is finite
                    // and would train: the sampler and the mask disagree, so say so instead.
                    throw new ConfigException("draw '" + item.id() + "' (step " + batch.step() + ") has class "
                            + labels[i] + ", which the class mask has dropped; the sampler must draw only live "
                            + "classes: give the sampler and the mask one shared component ({ref: ...})");
                }
            }
            // A mask keeps the live classes' columns only (as the authors slice the output layer):
            // a softmax over them is the masked softmax (a dropped class's probability is 0 there
            // too), and the step works on (n, live) instead of adding a penalty to all (n, classes).
            // A network that took the live rows computed just those columns; from full scores
            // they are gathered here.
            NDArray s = scores;
            int[] column = null;
            if (sliced || live != null && live.cardinality() < classes) {
                long[] cols = live.stream().filter(c -> c < classes).asLongStream().toArray();
                column = new int[classes];
                for (int k = 0; k < cols.length; k++) {
                    column[(int) cols[k]] = k;
                }
                if (!sliced) {
                    s = scores.get(new NDIndex(":, {}", scores.getManager().create(cols)));
                }
                width = cols.length;
            }
            float[] hot = new float[n * width];
            for (int i = 0; i < n; i++) {
                hot[i * width + (column == null ? labels[i] : column[labels[i]])] = 1f;
            }
            NDArray oneHot = Staging.of(scores.getManager(), hot, new Shape(n, width));
            NDArray logits = training ? head.trainingLogits(s, oneHot, null) : head.inferenceLogits(s, null);
            NDArray loss = MarginCrossEntropy.perSample(logits, oneHot);
            // the true class's probability, picked in the engine (not the whole (n, width) read back)
            NDArray plain = training ? head.inferenceLogits(s, null) : logits;
            float[] p = plain.softmax(1).mul(oneHot).sum(new int[] {1}).toFloatArray();
            double[] metric = new double[n];
            for (int i = 0; i < n; i++) {
                metric[i] = p[i];
            }
            return new PerSample(loss, metric);
        }
    }

    private static final class Contrastive implements Task {

        @Override
        public NDList inputs(NDManager manager, RenderedBatch r) {
            return new NDList(matrix(manager, r.mixture()));
        }

        @Override
        public float[][] infer(NDList outputs, ModelAccess.Output output) {
            if (output != ModelAccess.Output.EMBEDDINGS) {
                throw new ConfigException("a contrastively trained model gives embeddings to the model in the loop, "
                        + "not " + output.name().toLowerCase(java.util.Locale.ROOT) + " (it has no trained classes)");
            }
            return rows(outputs.get(1));
        }

        @Override
        public PerSample evaluate(NDList outputs, Batch batch, RenderedBatch r, BitSet live, boolean training) {
            int n = batch.size();
            for (Draw d : batch.draws()) {
                if (!(d instanceof TwoViewDraw)) {
                    throw new ConfigException("task 'contrastive' trains on two views of each utterance, got "
                            + DrawJson.toJson(d) + "; use the sampler two-view");
                }
            }
            if (r.views() != 2 || outputs.size() < 4) {
                throw new IllegalStateException("task 'contrastive' needs 2 rendered views per draw and the model's "
                        + "scale and bias outputs, got " + r.views() + " views and " + outputs.size() + " outputs");
            }
            NDArray embeddings = outputs.get(1);
            NDArray first = embeddings.get(new NDIndex().addSliceDim(0, n));
            NDArray second = embeddings.get(new NDIndex().addSliceDim(n, 2L * n));
            NDArray logits = AngularPrototypicalLoss.logits(first, second, outputs.get(2), outputs.get(3));
            NDArray loss = AngularPrototypicalLoss.perSample(logits);
            double[] metric = new double[n];
            if (n == 1) {
                metric[0] = Double.NaN;
            } else {
                boolean[] right = AngularPrototypicalLoss.diagonalIsArgmax(logits.toFloatArray(), n);
                for (int i = 0; i < n; i++) {
                    metric[i] = right[i] ? 1 : 0;
                }
            }
            return new PerSample(loss, metric);
        }
    }
}
