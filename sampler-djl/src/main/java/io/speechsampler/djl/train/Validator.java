package io.speechsampler.djl.train;

import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.training.Trainer;
import io.speechsampler.api.draw.Batch;
import io.speechsampler.api.draw.Draw;
import io.speechsampler.api.spi.LossWeighting;
import java.util.ArrayList;
import java.util.List;

/**
 * The validation score of the model a trainer holds over fixed validation batches, higher is
 * better. Without a validation weighting: the mean metric (SI-SNRi in dB for separation and
 * extraction, probability of the true class for classification), or minus the mean loss where the
 * task has no metric (MixIT). With one (e.g. {@code rank-weighted}, the hard-mining paper's
 * wSI-SNR over the whole validation set): minus that weighting's {@code reduce} over every
 * validation sample's loss.
 */
final class Validator {

    private final List<List<Draw>> batches;
    private final LossWeighting weighting;
    private final BatchRenderer renderer;
    private final Task task;
    private final int rank;
    private final Trials trials;

    Validator(List<List<Draw>> batches, LossWeighting weighting, BatchRenderer renderer, Task task, int rank,
              Trials trials) {
        this.trials = trials;
        this.batches = List.copyOf(batches);
        this.weighting = weighting;
        this.renderer = renderer;
        this.task = task;
        this.rank = rank;
    }

    boolean isEmpty() {
        return batches.isEmpty();
    }

    double score(Trainer trainer, int epoch) {
        if (trials != null) {
            return -eerPercent(trainer);
        }
        double metricSum = 0;
        double lossSum = 0;
        int n = 0;
        boolean hasMetric = true;
        List<Draw> allDraws = new ArrayList<>();
        List<Double> allLosses = new ArrayList<>();
        List<Double> allMetrics = new ArrayList<>();
        for (List<Draw> draws : batches) {
            RenderedBatch r = renderer.render(draws);
            Batch b = new Batch(epoch, -1, -1, rank, draws);
            try (NDManager scratch = trainer.getManager().newSubManager()) {
                NDList out = trainer.evaluate(task.inputs(scratch, r));
                PerSample per = task.evaluate(out, b, r, null, false);
                float[] l = per.loss().toFloatArray();
                for (int i = 0; i < l.length; i++) {
                    lossSum += l[i];
                    metricSum += per.metric()[i];
                    hasMetric &= !Double.isNaN(per.metric()[i]);
                    n++;
                    allDraws.add(draws.get(i));
                    allLosses.add((double) l[i]);
                    allMetrics.add(per.metric()[i]);
                }
            }
        }
        if (weighting != null) {
            return -weighting.reduce(allDraws, allLosses.stream().mapToDouble(Double::doubleValue).toArray(),
                    allMetrics.stream().mapToDouble(Double::doubleValue).toArray());
        }
        return hasMetric ? metricSum / n : -lossSum / n;
    }

    /** The EER (percent) of the trial list, cosine-scored on the embeddings of the validation draws. */
    private double eerPercent(Trainer trainer) {
        List<float[]> embeddings = new ArrayList<>();
        for (List<Draw> draws : batches) {
            RenderedBatch r = renderer.render(draws);
            try (NDManager scratch = trainer.getManager().newSubManager()) {
                embeddings.addAll(List.of(task.infer(trainer.evaluate(task.inputs(scratch, r)),
                        io.speechsampler.api.spi.ModelAccess.Output.EMBEDDINGS)));
            }
        }
        double[] scores = new double[trials.size()];
        for (int t = 0; t < scores.length; t++) {
            scores[t] = io.speechsampler.audio.metrics.Eer.cosine(embeddings.get(trials.a()[t]),
                    embeddings.get(trials.b()[t]));
        }
        return 100 * io.speechsampler.audio.metrics.Eer.of(scores, trials.target());
    }
}
