package io.speechsampler.dropclass;

import io.speechsampler.api.config.ParamSpec;
import io.speechsampler.api.config.Params;
import io.speechsampler.api.spi.BuildContext;
import io.speechsampler.api.spi.ClassMask;
import io.speechsampler.api.spi.ClassMaskProvider;
import java.util.List;

/**
 * {@code drop-class}: DropClass's dropped-class set ({@link DroppedClasses} over a
 * {@link RandomDropSource}). Parameters: {@code num_drop} (classes dropped per period, fewer than
 * the corpus's speakers, leaving at least the fixed batch size live), {@code steps_per_drop}
 * (global batches per period, default 500 as the authors'; mode {@code periodic} only) and
 * {@code mode} ({@code periodic}, or {@code per_batch}: a new set at every global batch).
 *
 * <p>Meant as a shared component that the class-balanced sampler draws from and the mask applies:
 * <pre>
 * components:
 *   dc: {name: drop-class, num_drop: 2000, steps_per_drop: 500}
 * sampler: {name: class-balanced, classes: dc}
 * mask: {ref: dc}
 * </pre>
 */
public final class DropClassProvider implements ClassMaskProvider {

    /** The authors' {@code its_per_drop}. */
    static final int DEFAULT_STEPS_PER_DROP = 500;

    @Override
    public String name() {
        return "drop-class";
    }

    @Override
    public String description() {
        return "DropClass (Luu et al. 2021): drops a uniformly random set of num_drop classes from the data and the "
                + "output layer, anew every steps_per_drop global batches; the allowed set of a class-balanced "
                + "sampler's 'classes' and the mask in one";
    }

    @Override
    public List<ParamSpec> parameters() {
        return List.of(
                ParamSpec.integer("num_drop", "classes dropped per period (the authors' N_D, 2000 of 5994); fewer than "
                        + "the speakers, leaving at least a batch's distinct classes").min(1),
                ParamSpec.integer("steps_per_drop", "global batches per period (the authors' its_per_drop; default "
                        + DEFAULT_STEPS_PER_DROP + "); mode periodic only").min(1).defaultsTo(null),
                ParamSpec.choice("mode", "periodic: a new set every steps_per_drop global batches from batch 0; "
                        + "per_batch: a new set every batch", "periodic", "per_batch").defaultsTo("periodic"));
    }

    @Override
    public ClassMask create(Params params, BuildContext context) {
        int classes = context.corpus().numSpeakers();
        int numDrop = params.getInt("num_drop");
        String dropKey = params.pathOf("num_drop");
        if (numDrop >= classes) {
            throw params.error("num_drop", "'" + dropKey + "' is not < the number of classes (" + classes
                    + " speakers): " + numDrop);
        }
        int batch = context.batchSize();
        if (batch > 0 && classes - numDrop < batch) {
            throw params.error("num_drop", "'" + dropKey + "' " + numDrop + " leaves " + (classes - numDrop)
                    + " of " + classes + " classes live, fewer than the " + batch + " distinct classes a batch holds "
                    + "(the fixed batch size); expected at most " + (classes - batch));
        }
        boolean perBatch = params.getString("mode").equals("per_batch");
        if (perBatch && params.has("steps_per_drop")) {
            throw params.error("steps_per_drop", "'" + params.pathOf("steps_per_drop") + "' is "
                    + params.getInt("steps_per_drop") + " but mode per_batch drops anew every batch; remove it or use "
                    + "mode periodic");
        }
        int steps = params.has("steps_per_drop") ? params.getInt("steps_per_drop") : DEFAULT_STEPS_PER_DROP;
        DropSource source = perBatch ? RandomDropSource.perBatch(classes, numDrop)
                : RandomDropSource.periodic(classes, numDrop, steps);
        return DroppedClasses.of(context.corpus().speakers(), source);
    }
}
