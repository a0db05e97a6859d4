package io.speechsampler.djl.plugins;

import io.speechsampler.api.config.ParamSpec;
import io.speechsampler.api.config.Params;
import io.speechsampler.djl.run.TrainedModel;
import io.speechsampler.djl.spi.Network;
import io.speechsampler.djl.spi.RenderSpec;
import io.speechsampler.djl.spi.TaskContext;
import io.speechsampler.djl.spi.TaskProvider;
import io.speechsampler.djl.train.Task;
import java.util.List;

/** {@code separation}: negative SI-SNR under the best permutation (PIT) of 1-4 outputs; metric SI-SNRi. */
public final class SeparationTask implements TaskProvider {

    /** Most outputs PIT enumerates (4! = 24 permutations). */
    static final int MAX_OUTPUTS = 4;

    @Override
    public String name() {
        return "separation";
    }

    @Override
    public String description() {
        return "permutation invariant training: negative SI-SNR of the best assignment of the S outputs to the "
                + "S sources (S <= 4); metric SI-SNRi in dB";
    }

    @Override
    public List<ParamSpec> parameters() {
        return List.of(
                ParamSpec.string("teacher", "a frozen teacher's run or checkpoint (relative to the config; in a recipe "
                        + "also phase:NAME): the targets are its outputs of largest RMS instead of the draw's sources "
                        + "(teacher-student MixIT)").defaultsTo(null),
                ParamSpec.bool("teacher_consistency", "project the teacher's estimates to sum to the mixture before "
                        + "choosing; unset: as the teacher computes them (true for a MixIT teacher trained with "
                        + "mixture_consistency, the authors'; false for a PIT teacher, whose projected outputs are "
                        + "not what it learnt)").defaultsTo(null));
    }

    @Override
    public Setup create(Params params, TaskContext context) {
        Network n = Tasks.require(context, Network.Signature.SEPARATOR, name());
        if (n.outputs() > MAX_OUTPUTS) {
            throw context.origin().error("model.sources", "task 'separation' trains 1 to " + MAX_OUTPUTS
                    + " outputs, 'model.sources' is " + n.outputs() + " (more outputs than speakers: task 'mixit')");
        }
        String teacher = params.optString("teacher");
        if (teacher == null || context.corpus() == null) {
            // no teacher, or a trained student loaded for inference, which needs none
            return new Setup(Task.separation(n.outputs()), RenderSpec.mixtures(n.outputs()));
        }
        if (teacher.startsWith("phase:")) {
            throw params.error("teacher", "'" + params.pathOf("teacher") + "' " + teacher + " names a phase; only a "
                    + "recipe run resolves it (sampler train of a config with phases)");
        }
        TrainedModel tm = TrainedModel.load(context.baseDir().resolve(teacher).normalize());
        Network t = tm.trainable().network();
        if (t.signature() != Network.Signature.SEPARATOR || t.outputs() < n.outputs()) {
            tm.close();
            throw params.error("teacher", "'" + params.pathOf("teacher") + "': " + teacher + " is " + t.description()
                    + "; a teacher must be a separator with at least the student's " + n.outputs() + " outputs");
        }
        if (tm.sampleRate() != context.sampleRate()) {
            tm.close();
            throw params.error("teacher", "'" + params.pathOf("teacher") + "': the teacher was trained at "
                    + tm.sampleRate() + " Hz, the corpus is at " + context.sampleRate() + " Hz");
        }
        boolean consistency = params.has("teacher_consistency") ? params.getBoolean("teacher_consistency")
                : trainedWithConsistency(tm);
        return new Setup(Task.teacherStudent(tm.model().getBlock(), tm, n.outputs(), consistency),
                RenderSpec.mixturesWithOptionalReferences(n.outputs()));
    }

    /** True for a teacher trained by task {@code mixit} with {@code mixture_consistency: true}. */
    static boolean trainedWithConsistency(TrainedModel tm) {
        return tm.trainable().task().equals("mixit") && tm.config().task().path("mixture_consistency").asBoolean(false);
    }
}
