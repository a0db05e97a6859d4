package io.speechsampler.lossgate;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.speechsampler.api.config.ConfigException;
import io.speechsampler.api.config.ParamSpec;
import io.speechsampler.api.config.Params;
import io.speechsampler.api.corpus.Corpus;
import io.speechsampler.api.draw.Draw;
import io.speechsampler.api.draw.ItemDraw;
import io.speechsampler.api.io.AtomicFiles;
import io.speechsampler.api.random.RandomStreams;
import io.speechsampler.api.spi.ModelAccess;
import io.speechsampler.djl.run.FrozenModel;
import io.speechsampler.api.config.RunConfig;
import io.speechsampler.djl.spi.HookCheck;
import io.speechsampler.djl.spi.HookContext;
import io.speechsampler.djl.spi.Trainables;
import io.speechsampler.djl.spi.RecipeHook;
import io.speechsampler.lossgate.kmeans.EngineKMeans;
import io.speechsampler.lossgate.kmeans.KMeansResult;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * {@code embed-and-cluster}: loss-gated learning's pseudo-labels (Tao et al. 2022, stage 2):
 * before a phase, every training utterance is embedded with the current model (by default the
 * model the phase before ended with, as each round of the authors' recipe re-clusters with the
 * model of the round before; {@code embed_with: init_from} for the one the phase starts from), the embeddings are clustered by {@link EngineKMeans} into {@code clusters}
 * classes (k-means++ from the hook's seeded stream, {@code iterations} Lloyd iterations), and the
 * file {@code out} gets one {@code utterance<TAB>label} line per utterance (labels {@code c0000},
 * {@code c0001}, ..., so their sorted order is the cluster order), ready for the classification
 * task's {@code labels} ({@code "run:" + out}). Beside it, {@code out + ".json"} holds the cluster
 * quality against the corpus's speakers when they are known ({@link ClusterQuality#speakersKnown}):
 * purity and NMI (2 I / (H(U) + H(V))); {@code "speakers_known": false} otherwise.
 */
public final class EmbedAndClusterHook implements RecipeHook {

    private static final ObjectMapper JSON = new ObjectMapper();
    /** The speaker encoders' crop parameter (x-vector, ECAPA-TDNN). */
    private static final String CROP = "crop_seconds";

    @Override
    public String name() {
        return "embed-and-cluster";
    }

    @Override
    public String description() {
        return "embeds every training utterance with the model the phase starts from and writes k-means clusters "
                + "as pseudo-labels (loss-gated learning's stage 2)";
    }

    @Override
    public List<ParamSpec> parameters() {
        return List.of(
                ParamSpec.integer("clusters", "K: clusters, the pseudo-label classes (the authors: 6000 for Vox2)")
                        .min(1),
                ParamSpec.integer("iterations", "Lloyd iterations after k-means++").min(1)
                        .defaultsTo(EngineKMeans.DEFAULT_ITERATIONS),
                ParamSpec.string("out", "the label file, relative to the run folder, e.g. labels-${round}.tsv"),
                ParamSpec.choice("embed_with", "previous: the model the phase before ended with; init_from: the one "
                        + "this phase starts from", "previous", "init_from").defaultsTo("previous"));
    }

    /**
     * Before any phase trains: K is at most the corpus's utterances, and the crop of the model it
     * will embed with (that phase's {@code model.crop_seconds}, where its model has one) lies inside
     * every utterance, since each utterance is embedded as that crop from its start.
     */
    @Override
    public void check(Params params, HookCheck context) {
        clustersFit(params, context.corpus());
        RunConfig model = params.getString("embed_with").equals("previous") && context.previous() != null
                ? context.previous() : context.weights();
        if (model == null) {
            return;
        }
        Params mp = Trainables.load().choose(model).modelParams();
        if (!mp.has(CROP)) {
            return;
        }
        double seconds = mp.getDouble(CROP);
        String tooLong = context.corpus().cropTooLong(Math.round(seconds * context.corpus().sampleRate()));
        if (tooLong != null) {
            throw model.origin().error("model." + CROP, "'model." + CROP + "' " + seconds + " s is " + tooLong
                    + ": embed-and-cluster before phase '" + context.phase() + "' embeds every utterance as this "
                    + "model's crop from its start (no zero padding)");
        }
    }

    private static void clustersFit(Params params, Corpus corpus) {
        int k = params.getInt("clusters");
        if (k > corpus.size()) {
            throw params.error("clusters", "'" + params.pathOf("clusters") + "' " + k + " is more than the corpus's "
                    + corpus.size() + " utterances; expected K at most the utterances it clusters");
        }
    }

    @Override
    public List<Path> run(Params params, HookContext context) {
        Path model = params.getString("embed_with").equals("previous") && context.previous() != null
                ? context.previous() : context.weights();
        if (model == null) {
            throw params.error("out", "embed-and-cluster needs a trained model, but phase '" + context.phase()
                    + "' is the first and starts from fresh weights; run it after a phase (the contrastive stage)");
        }
        Corpus corpus = context.corpus();
        clustersFit(params, corpus);
        int k = params.getInt("clusters");
        List<Draw> draws = new ArrayList<>(corpus.size());
        corpus.utterances().forEach(u -> draws.add(ItemDraw.of(u.id())));
        float[][] embeddings;
        try (FrozenModel frozen = FrozenModel.load(model)) {
            embeddings = frozen.apply(corpus, draws, ModelAccess.Output.EMBEDDINGS);
        }
        KMeansResult result = EngineKMeans.builder().setClusters(k).optIterations(params.getInt("iterations")).build()
                .fit(embeddings, RandomStreams.of(context.seed(), "embed-and-cluster", 0));
        int[] labels = result.labels();
        String format = "c%0" + Math.max(4, String.valueOf(k - 1).length()) + "d";
        StringBuilder tsv = new StringBuilder();
        for (int i = 0; i < labels.length; i++) {
            tsv.append(corpus.utterances().get(i).id()).append('\t')
                    .append(String.format(Locale.ROOT, format, labels[i])).append('\n');
        }
        Path out = context.output(params.getString("out"));
        Path report = out.resolveSibling(out.getFileName() + ".json");
        int[] truth = new int[labels.length];
        for (int i = 0; i < truth.length; i++) {
            truth[i] = corpus.speakerOf(i);
        }
        ObjectNode o = JSON.createObjectNode();
        o.put("phase", context.phase());
        o.put("round", context.round());
        o.put("model", model.toString());
        o.put("utterances", labels.length);
        o.put("clusters", k);
        o.put("inertia", result.inertia());
        o.put("iterations", result.iterations());
        boolean known = ClusterQuality.speakersKnown(corpus.numSpeakers(), corpus.size());
        o.put("speakers_known", known);
        if (known) {
            o.put("speakers", corpus.numSpeakers());
            o.put("purity", ClusterQuality.purity(labels, truth));
            o.put("nmi", ClusterQuality.nmi(labels, truth));
        }
        try (AtomicFiles.FileSet set = AtomicFiles.fileSet()) {
            set.writeString(out, tsv.toString());
            set.writeString(report, JSON.writerWithDefaultPrettyPrinter().writeValueAsString(o) + "\n");
            set.commit();
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
        return List.of(out, report);
    }
}
