package io.speechsampler.djl.plugins;

import io.speechsampler.api.config.ConfigException;
import io.speechsampler.api.config.ParamSpec;
import io.speechsampler.api.config.Params;
import io.speechsampler.api.corpus.Corpus;
import io.speechsampler.api.corpus.Labels;
import io.speechsampler.djl.model.ClassifierHead;
import io.speechsampler.djl.spi.Network;
import io.speechsampler.djl.spi.RenderSpec;
import io.speechsampler.djl.spi.TaskContext;
import io.speechsampler.djl.spi.TaskProvider;
import io.speechsampler.djl.train.Task;
import java.nio.file.Path;
import java.util.List;

/**
 * {@code classification}: speaker classification of utterance crops with a softmax, AM-softmax
 * (CosFace) or AAM-softmax (ArcFace) head whose scale and margin are settings; labels are the
 * corpus's speakers, or those of a {@code labels} file (pseudo-labels, {@link Labels}), whose
 * sorted labels are then the classes; metric the probability of the true class.
 */
public final class ClassificationTask implements TaskProvider {

    @Override
    public String name() {
        return "classification";
    }

    @Override
    public String description() {
        return "speaker classification: cross-entropy over the head's logits (softmax, am: s(cos - m), aam: "
                + "s cos(theta + m) on the true class), live classes only when a mask is set; classes: the corpus's speakers or a label file's labels; "
                + "metric p(true class)";
    }

    @Override
    public List<ParamSpec> parameters() {
        return List.of(
                ParamSpec.choice("head", "softmax, am (CosFace) or aam (ArcFace); default: the model's head",
                        "softmax", "am", "aam").defaultsTo(null),
                ParamSpec.real("scale", "logit scale s of the margin heads").min(1e-3).max(1e3).defaultsTo(30.0),
                ParamSpec.real("margin", "margin m: am 0.4 and aam 0.5 by default (DropClass: am 0.4; LGL: aam 0.2)")
                        .min(0).max(1.5).defaultsTo(null),
                ParamSpec.string("labels", "TSV of 'utterance<TAB>label' lines, relative to the config (e.g. k-means "
                        + "pseudo-labels): the classes are its labels in sorted order instead of the corpus's speakers; "
                        + "a drawn utterance it leaves out is refused").defaultsTo(null));
    }

    /** The {@code labels} file read against the corpus, or null without one. */
    @Override
    public Labels labels(Params params, Corpus corpus, Path baseDir) {
        if (!params.has("labels")) {
            return null;
        }
        Path file = baseDir.resolve(params.getString("labels")).normalize();
        try {
            Labels labels = Labels.read(file, corpus);
            if (labels.labelled() < corpus.size()) {
                System.err.println("warning: " + file + " labels " + labels.labelled() + " of the corpus's "
                        + corpus.size() + " utterances; a draw of another one stops the run");
            }
            return labels;
        } catch (ConfigException e) {
            throw params.error("labels", e.getMessage());
        }
    }

    @Override
    public boolean cosineScores(Params params, Params model) {
        return !head(params, model).equals("softmax");
    }

    private static String head(Params params, Params model) {
        String h = params.optString("head");
        return h != null ? h : model.has("head") ? model.getString("head") : "softmax";
    }

    @Override
    public Setup create(Params params, TaskContext context) {
        Network n = Tasks.require(context, Network.Signature.CLASSIFIER, name());
        String head = params.optString("head") != null ? params.optString("head") : n.setting("head", "softmax");
        double scale = params.getDouble("scale");
        boolean hasMargin = params.has("margin");
        ClassifierHead h = switch (head) {
            case "softmax" -> {
                if (hasMargin && params.getDouble("margin") != 0) {
                    throw params.error("margin", "'task.margin' applies to the am and aam heads; head 'softmax' has "
                            + "none, got " + params.getDouble("margin"));
                }
                yield ClassifierHead.softmax();
            }
            case "am" -> ClassifierHead.additiveMargin(scale, hasMargin ? params.getDouble("margin") : 0.4);
            // the range of 'margin' keeps an angular margin below pi / 2
            default -> ClassifierHead.additiveAngular(scale, hasMargin ? params.getDouble("margin") : 0.5);
        };
        if (context.corpus() == null) {
            return new Setup(Task.classification(h, id -> {
                throw new IllegalStateException("no corpus: classification labels are unknown when loading a model");
            }), RenderSpec.items((int) n.initShapes()[0].get(1)));
        }
        RenderSpec render = RenderSpec.items((int) n.initShapes()[0].get(1));
        if (context.labels() != null) {
            return new Setup(Task.classification(h, context.labels(), context.corpus()), render);
        }
        return new Setup(Task.classification(h, context.corpus()), render);
    }
}
