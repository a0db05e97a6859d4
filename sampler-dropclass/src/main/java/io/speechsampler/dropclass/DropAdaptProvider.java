package io.speechsampler.dropclass;

import io.speechsampler.api.config.ParamSpec;
import io.speechsampler.api.config.Params;
import io.speechsampler.api.corpus.Corpus;
import io.speechsampler.api.corpus.CorpusReader;
import io.speechsampler.api.spi.BuildContext;
import io.speechsampler.api.spi.ClassMask;
import io.speechsampler.api.spi.ClassMaskProvider;
import java.nio.file.Path;
import java.util.List;

/**
 * {@code drop-adapt}: DropAdapt (Luu et al. 2021) over the same dropped-class set as
 * {@code drop-class} ({@link DroppedClasses} over a {@link DropAdaptSource}): fine-tuning a trained
 * model (a recipe phase with {@code init_from}), every {@code steps_per_drop} global batches the
 * model in the loop scores the enrolment utterances and the {@code num_drop} remaining classes of
 * least posterior mass are dropped, cumulatively, up to {@code max_drop}. Options as the authors':
 * {@code drop_from: data} (the authors' onlydata: the output layer keeps every class),
 * {@code aggregation: uniform} (each enrolment speaker weighs the same), {@code mode: random} (the
 * random-drop control on the same schedule, no model and no enrolment set).
 *
 * <pre>
 * components:
 *   da: {name: drop-adapt, enrolment: data/enrol, num_drop: 4, steps_per_drop: 50, max_drop: 16}
 * sampler: {name: class-balanced, classes: da}
 * mask: {ref: da}
 * </pre>
 */
public final class DropAdaptProvider implements ClassMaskProvider {

    @Override
    public String name() {
        return "drop-adapt";
    }

    @Override
    public String description() {
        return "DropAdapt (Luu et al. 2021): every steps_per_drop global batches drops the num_drop remaining classes "
                + "with the least posterior mass over the enrolment utterances (the model in the loop), cumulatively "
                + "up to max_drop, from the data and the output layer; or at random (mode random, the control)";
    }

    @Override
    public List<ParamSpec> parameters() {
        return List.of(
                ParamSpec.string("enrolment", "corpus of the speakers the model will serve (no labels used): dir or "
                        + "manifest, relative to the config; not with mode random").defaultsTo(null),
                ParamSpec.integer("num_drop", "classes dropped per period").min(1),
                ParamSpec.integer("steps_per_drop", "global batches per period (the authors' its_per_drop)").min(1)
                        .defaultsTo(DropClassProvider.DEFAULT_STEPS_PER_DROP),
                ParamSpec.integer("max_drop", "most classes dropped in all; default: all but a batch's distinct "
                        + "classes").min(1).defaultsTo(null),
                ParamSpec.choice("aggregation", "sum: every enrolment utterance weighs 1; uniform: every enrolment "
                        + "speaker weighs 1", "sum", "uniform").defaultsTo("sum"),
                ParamSpec.choice("drop_from", "data_and_outputs: the sampler and the output layer; data: the sampler "
                        + "only (the authors' onlydata)", "data_and_outputs", "data").defaultsTo("data_and_outputs"),
                ParamSpec.choice("mode", "adapt: least posterior mass; random: the control", "adapt", "random")
                        .defaultsTo("adapt"));
    }

    @Override
    public ClassMask create(Params params, BuildContext context) {
        int classes = context.corpus().numSpeakers();
        int numDrop = params.getInt("num_drop");
        int batch = Math.max(2, context.batchSize());
        if (classes - batch < 1) {
            throw params.error("num_drop", "'" + params.pathOf("num_drop") + "': the corpus's " + classes
                    + " classes leave none to drop beside the " + batch + " distinct classes a batch holds");
        }
        int maxDrop = params.has("max_drop") ? params.getInt("max_drop") : classes - batch;
        if (numDrop >= classes) {
            throw params.error("num_drop", "'" + params.pathOf("num_drop") + "' is not < the number of classes ("
                    + classes + " speakers): " + numDrop);
        }
        if (classes - maxDrop < batch) {
            throw params.error("max_drop", "'" + params.pathOf("max_drop") + "' " + maxDrop + " leaves "
                    + (classes - maxDrop) + " of " + classes + " classes live, fewer than the " + batch
                    + " distinct classes a batch holds; expected at most " + (classes - batch));
        }
        boolean random = params.getString("mode").equals("random");
        long steps = params.getInt("steps_per_drop");
        DropSource source;
        if (random) {
            if (params.optString("enrolment") != null) {
                throw params.error("enrolment", "'" + params.pathOf("enrolment") + "': mode random (the control) "
                        + "uses no enrolment set; remove it or use mode adapt");
            }
            source = DropAdaptSource.random(classes, numDrop, maxDrop, steps);
        } else {
            if (params.optString("enrolment") == null) {
                throw params.error("num_drop", "missing key '" + params.pathOf("enrolment") + "': DropAdapt chooses "
                        + "classes by the model's posteriors over an enrolment corpus");
            }
            Path where = context.baseDir().resolve(params.getString("enrolment")).normalize();
            Corpus enrolment = CorpusReader.read(where);
            if (enrolment.size() == 0) {
                throw params.error("enrolment", "'" + params.pathOf("enrolment") + "': " + where + " holds no "
                        + "utterances; expected the enrolment speakers' recordings");
            }
            if (enrolment.sampleRate() != context.corpus().sampleRate()) {
                throw params.error("enrolment", "'" + params.pathOf("enrolment") + "': " + where + " is at "
                        + enrolment.sampleRate() + " Hz, the training corpus at " + context.corpus().sampleRate()
                        + " Hz; expected the same rate");
            }
            source = DropAdaptSource.adapt(classes, numDrop, maxDrop, steps, enrolment,
                    params.getString("aggregation").equals("uniform"));
        }
        return DroppedClasses.of(context.corpus().speakers(), source,
                params.getString("drop_from").equals("data_and_outputs"));
    }
}
