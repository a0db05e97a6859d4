package io.speechsampler.run;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.speechsampler.api.config.ComponentConfig;
import io.speechsampler.api.config.ConfigException;
import io.speechsampler.api.config.EndRule;
import io.speechsampler.api.config.InitFrom;
import io.speechsampler.api.config.Params;
import io.speechsampler.api.config.Phase;
import io.speechsampler.api.config.Recipe;
import io.speechsampler.api.config.RunConfig;
import io.speechsampler.api.io.AtomicFiles;
import io.speechsampler.api.registry.Catalog;
import io.speechsampler.api.registry.ProviderRegistry;
import io.speechsampler.api.spi.BuildContext;
import io.speechsampler.run.validation.Protocol;
import io.speechsampler.djl.spi.HookCheck;
import io.speechsampler.djl.spi.HookContext;
import io.speechsampler.djl.spi.RecipeHook;
import io.speechsampler.djl.run.TrainedModel;
import io.speechsampler.djl.spi.Trainables;
import io.speechsampler.djl.train.Checkpoints;
import io.speechsampler.djl.train.TrainSettings;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Predicate;

/**
 * A {@link Recipe} trained into one run folder, phase after phase. A config without
 * {@code phases} is one plain {@link TrainingRun} in the folder itself, as before recipes. A
 * recipe writes {@code recipe.yaml} (the resolved recipe, {@code --set} values included) and one
 * run folder per phase under {@code phases/} ({@link Phase#folder()}), each with its own
 * checkpoints (best and latest), logs and report, and a {@code phase.json} once the phase has
 * ended. {@code resume} skips ended phases and continues the first unfinished one from its latest
 * checkpoint, exactly, however the previous process ended: a phase killed after its last
 * checkpoint but before {@code phase.json} ends at once on resume. After each phase of a round
 * ends, {@link RoundsReport} rewrites the rounds' report under {@code report/}.
 */
public final class RecipeRun {

    private static final Logger LOG = LoggerFactory.getLogger(RecipeRun.class);

    /** The resolved recipe in the run folder. */
    public static final String RECIPE = "recipe.yaml";
    /** The folder of the phases' run folders. */
    public static final String PHASES = "phases";
    /** Written into a phase's folder when it has ended. */
    public static final String PHASE_DONE = "phase.json";

    /** Validation metrics the loop measures, and the tasks that measure them. */
    private static final Set<String> SI_SNRI_TASKS = Set.of("separation", "extraction");

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final com.fasterxml.jackson.dataformat.yaml.YAMLMapper YAML =
            new com.fasterxml.jackson.dataformat.yaml.YAMLMapper();
    /** The hooks found with ServiceLoader. */
    private static final Catalog<RecipeHook> HOOKS = Catalog.load(RecipeHook.class, "hook");
    /** In a phase folder: the hooks run before it, with their files' SHA-256. */
    public static final String HOOKS_FILE = "hooks.json";

    private RecipeRun() {
    }

    /**
     * What a recipe run did.
     *
     * @param runDir the run folder
     * @param phases each phase's folder and its training result (null for a phase that had ended
     *               before this call)
     */
    public record Result(Path runDir, List<PhaseResult> phases) {

        /** The last phase's training result. */
        public TrainingRun.Result last() {
            return phases.get(phases.size() - 1).result();
        }
    }

    /** One phase's folder and what training it did now (null when it had already ended). */
    public record PhaseResult(Phase phase, Path folder, TrainingRun.Result result) {
    }

    /** The prefix of a corpus that the command line names ({@code corpus: "data:NAME"}, {@code --data NAME=DIR}). */
    public static final String NAMED_CORPUS = "data:";

    /** The recipe with every phase's corpus replaced (the command line's {@code --data}). */
    public static List<Phase> withCorpus(Recipe recipe, Path corpus) {
        return withCorpora(recipe, corpus, Map.of());
    }

    /**
     * The recipe with every phase's corpus resolved: a phase whose {@code corpus} is
     * {@code data:NAME} gets {@code named.get(NAME)} (the command line's {@code --data NAME=DIR}),
     * any other phase {@code unnamed} when given (the command line's {@code --data DIR}), else its
     * own corpus against the config's directory.
     *
     * @throws ConfigException naming the phase and the name for a name not given, a given name no
     *                         phase uses, a named folder that does not exist, or a phase left without
     *                         a corpus
     */
    public static List<Phase> withCorpora(Recipe recipe, Path unnamed, Map<String, Path> named) {
        List<Phase> out = new ArrayList<>();
        Set<String> used = new java.util.TreeSet<>();
        for (Phase p : recipe.phases()) {
            RunConfig c = p.config();
            String corpus = c.corpus();
            if (corpus != null && corpus.startsWith(NAMED_CORPUS)) {
                String name = corpus.substring(NAMED_CORPUS.length());
                Path dir = named.get(name);
                if (dir == null) {
                    throw new ConfigException(c.origin().where("corpus") + "phase '" + p.path() + "' trains on corpus '"
                            + corpus + "', which the command line does not name; pass --data " + name + "=DIR"
                            + (named.isEmpty() ? "" : " (named: " + String.join(", ", new java.util.TreeSet<>(
                            named.keySet())) + ")"));
                }
                used.add(name);
                c = c.withCorpus(dir.toAbsolutePath().normalize().toString());
            } else if (unnamed != null) {
                c = c.withCorpus(unnamed.toAbsolutePath().normalize().toString());
            }
            if (c.corpus() == null) {
                throw new ConfigException(c.origin().file() + ": no corpus for phase '" + p.path() + "': set 'corpus' "
                        + "in the config or pass --data DIR");
            }
            c = c.withCorpus(c.corpusPath().toAbsolutePath().toString());
            out.add(new Phase(p.index(), p.name(), p.path(), p.round(), c, p.initFrom(), p.freeze(), p.end(),
                    p.before(), p.folder()));
        }
        for (Map.Entry<String, Path> e : new java.util.TreeMap<>(named).entrySet()) {
            if (!used.contains(e.getKey())) {
                throw new ConfigException("--data " + e.getKey() + "=" + e.getValue() + ": no phase of the recipe trains "
                        + "on corpus '" + NAMED_CORPUS + e.getKey() + "'" + (used.isEmpty() ? "" : " (the recipe names: "
                        + String.join(", ", used) + ")"));
            }
            if (!Files.exists(e.getValue())) {
                throw new ConfigException("--data " + e.getKey() + "=" + e.getValue() + ": " + e.getValue()
                        + " does not exist; expected a corpus folder (Kaldi files or manifest.jsonl) or a manifest");
            }
        }
        return out;
    }

    /**
     * The command line's {@code --data} values: {@code NAME=DIR} (NAME a letter, then letters,
     * digits, {@code _} or {@code -}; a path that exists as written is never read as a name) or
     * one unnamed {@code DIR} (map key null).
     *
     * @throws ConfigException for a name given twice, or two unnamed corpora
     */
    public static Map<String, Path> corpusArguments(List<String> values) {
        Map<String, Path> out = new java.util.LinkedHashMap<>();
        for (String v : values) {
            java.util.regex.Matcher m = java.util.regex.Pattern.compile("([A-Za-z][A-Za-z0-9_-]*)=(.+)").matcher(v);
            String name = m.matches() && !Files.exists(Path.of(v)) ? m.group(1) : null;
            Path dir = Path.of(name == null ? v : m.group(2));
            if (out.containsKey(name)) {
                throw new ConfigException("--data " + v + ": " + (name == null ? "a second corpus without a name; name "
                        + "the phases' corpora (corpus: \"data:NAME\" in the config, --data NAME=DIR)"
                        : "corpus '" + name + "' is given twice"));
            }
            out.put(name, dir);
        }
        return out;
    }

    /**
     * What every phase's corpus must be, checked before anything trains: one sample rate across
     * the phases and the validation corpus (the teacher's outputs and the weights a phase hands on
     * are tied to it), and references where a phase learns them (task {@code separation} without
     * a teacher refuses a corpus of mixture recordings, tagged {@code mixture} as
     * {@code corpus mix} writes them).
     */
    static int checkCorpora(List<Phase> phases, Path valid) {
        return checkCorpora(phases, valid, new java.util.HashMap<>());
    }

    /** {@link #checkCorpora(List, Path)}, leaving every phase's corpus in {@code read}, by path. */
    private static int checkCorpora(List<Phase> phases, Path valid,
                                    Map<Path, io.speechsampler.api.corpus.Corpus> read) {
        Phase first = null;
        int rate = 0;
        for (Phase p : phases) {
            // the config's own errors first, as the trainer reports them, then its corpus's
            String task = Trainables.load().choose(p.config()).task().name();
            io.speechsampler.api.corpus.Corpus c = read.computeIfAbsent(p.config().corpusPath(),
                    io.speechsampler.api.corpus.CorpusReader::read);
            String where = p.config().origin().where("corpus"); // it names the phase
            if (c.size() > 0 && first == null) {
                first = p;
                rate = c.sampleRate();
            } else if (c.size() > 0 && c.sampleRate() != rate) {
                throw new ConfigException(where + "corpus " + p.config().corpusPath() + " is at " + c.sampleRate()
                        + " Hz, phase '" + first.path() + "''s corpus " + first.config().corpusPath() + " at " + rate
                        + " Hz; every phase of a recipe trains at one sample rate");
            }
            boolean learnsSources = p.config().task().path("teacher").asText("").isEmpty() && task.equals("separation");
            if (learnsSources && p.config().sampler().name().equals("recordings")) {
                throw new ConfigException(p.config().origin().where("sampler") + "sampler 'recordings' draws "
                        + "recordings without references, and task 'separation' without a teacher learns the draws' "
                        + "sources; give task.teacher (a trained run, or phase:NAME in a recipe)");
            }
            if (learnsSources && c.utterances().stream().anyMatch(u -> u.tags().contains("mixture"))) {
                throw new ConfigException(where + "task 'separation' without a teacher learns the draws' sources, "
                        + "but corpus " + p.config().corpusPath() + " holds mixture recordings without references "
                        + "(tagged 'mixture', as 'corpus mix' writes them); train it on a corpus of single-speaker "
                        + "utterances (a supervised set) or give task.teacher");
            }
        }
        if (valid != null && first != null) {
            io.speechsampler.api.corpus.Corpus v = read.computeIfAbsent(valid.toAbsolutePath().normalize(),
                    io.speechsampler.api.corpus.CorpusReader::read);
            if (v.size() > 0 && v.sampleRate() != rate) {
                throw new ConfigException("--valid " + valid + ": the validation corpus is at " + v.sampleRate()
                        + " Hz, phase '" + first.path() + "''s corpus at " + rate + " Hz");
            }
        }
        return rate;
    }

    /**
     * Trains every phase that has not ended.
     *
     * @param phases the recipe's phases ({@link #withCorpus})
     * @param recipeYaml the resolved recipe, recorded in the run folder
     * @param valid  validation corpus, or null
     * @throws ConfigException for a recipe the loop cannot run (checked before the first step), a
     *                         folder holding another run, or a resume without a run
     */
    public static Result train(List<Phase> phases, String recipeYaml, Path valid, Path runDir, boolean resume)
            throws IOException {
        for (Phase p : phases) {
            adaptsATrainedModel(p);
        }
        Map<Path, io.speechsampler.api.corpus.Corpus> corpora = new java.util.HashMap<>();
        int rate = checkCorpora(phases, valid, corpora);
        if (phases.size() == 1 && phases.get(0).name().equals(Recipe.MAIN) && plain(phases.get(0))) {
            TrainingRun.Result r = TrainingRun.train(phases.get(0).config(), valid, runDir, resume);
            return new Result(runDir, List.of(new PhaseResult(phases.get(0), runDir, r)));
        }
        List<TrainingRun.Options> options = new ArrayList<>();
        ProviderRegistry registry = ProviderRegistry.load();
        for (Phase p : phases) {
            io.speechsampler.api.corpus.Corpus corpus = corpora.get(p.config().corpusPath());
            options.add(check(p, valid));
            checkTeacher(p, phases, rate);
            checkProviders(p, corpus, registry);
            if (valid != null && Protocol.of(p.config()).isEmpty() && !p.config().sampler().isRef()) {
                // without a protocol the phase validates on its own sampler's draws over --valid
                registry.check(ProviderRegistry.Kind.SAMPLER, p.config().sampler(), new BuildContext(
                        corpora.computeIfAbsent(valid.toAbsolutePath().normalize(),
                                io.speechsampler.api.corpus.CorpusReader::read),
                        p.config().baseDir(), p.config().seed(), -1, ""));
            }
            checkHooks(p, phases, corpus);
            checkLabelFiles(p, corpus);
        }
        Path recipeFile = runDir.resolve(RECIPE);
        if (resume) {
            if (!Files.isRegularFile(recipeFile)) {
                throw new ConfigException(runDir + ": no recipe run to resume (expected " + RECIPE + " from an earlier "
                        + "'sampler train' of a config with phases into this folder)");
            }
            if (!Files.readString(recipeFile).equals(recipeYaml)) {
                throw new ConfigException(recipeFile + ": the run was trained with another recipe; resume it with "
                        + "the same config and --set values (compare this file with the config)");
            }
        } else if (TrainingRun.hasTrained(runDir) || anyPhaseTrained(runDir, phases)) {
            throw new ConfigException(runDir + ": already holds a run; pass --resume to continue it or choose another "
                    + "--out");
        }
        Files.createDirectories(runDir);
        AtomicFiles.removeTemporaries(recipeFile);
        // a start refused before any phase trained (bad input found late) may start afresh here
        if (!Files.isRegularFile(recipeFile) || (!resume && !Files.readString(recipeFile).equals(recipeYaml))) {
            AtomicFiles.writeString(recipeFile, recipeYaml);
        }
        List<PhaseResult> out = new ArrayList<>();
        for (int i = 0; i < phases.size(); i++) {
            Phase p = phases.get(i);
            Path dir = folder(runDir, p);
            if (Files.isRegularFile(dir.resolve(PHASE_DONE))) {
                out.add(new PhaseResult(p, dir, null));
                continue;
            }
            TrainingRun.Options o = options.get(i);
            Path init = initialWeights(p, phases, runDir);
            o = new TrainingRun.Options(init, o.frozen(), o.maxSteps(), o.stopRule(), o.listener());
            LOG.info("phase " + (i + 1) + "/" + phases.size() + ": " + p.path()
                    + (init == null ? "" : ", from " + runDir.toAbsolutePath().relativize(init.toAbsolutePath())));
            runHooks(p, dir, runDir, init, i == 0 ? null : TrainedModel.locate(folder(runDir, phases.get(i - 1))));
            TrainingRun.Result r = TrainingRun.train(runPaths(teacherResolved(p, phases, runDir), runDir), valid, dir,
                    TrainingRun.hasTrained(dir), o);
            writeDone(dir, p, r);
            out.add(new PhaseResult(p, dir, r));
            if (p.round() > 0) {
                RoundsReport.write(runDir, phases);
            }
        }
        if (out.stream().allMatch(r -> r.result() == null)) {
            // every phase had ended: a report from before this release's reports is written now
            RoundsReport.write(runDir, phases);
        }
        return new Result(runDir, out);
    }

    private static boolean anyPhaseTrained(Path runDir, List<Phase> phases) throws IOException {
        for (Phase p : phases) {
            if (TrainingRun.hasTrained(folder(runDir, p))) {
                return true;
            }
        }
        return false;
    }

    /** A phase's run folder. */
    public static Path folder(Path runDir, Phase p) {
        return runDir.resolve(PHASES).resolve(p.folder());
    }

    private static boolean plain(Phase p) {
        return p.initFrom() instanceof InitFrom.Fresh && p.freeze().isEmpty() && p.before().isEmpty()
                && !p.config().toYaml().contains("\"run:")
                && (p.end() instanceof EndRule.TrainEpochs || p.end() instanceof EndRule.Epochs);
    }

    /**
     * DropAdapt fine-tunes a trained model: a phase with a {@code drop-adapt} component (other
     * than its random control) must start from a checkpoint ({@code init_from}).
     */
    private static void adaptsATrainedModel(Phase p) {
        // shared components first: a role that names one by ref is the same entry, checked once
        List<io.speechsampler.api.config.ComponentConfig> all = new ArrayList<>(p.config().components().values());
        all.addAll(p.config().roles());
        boolean enrolmentChecked = false;
        for (var c : all) {
            if (c.name().equals("drop-adapt") && !c.params().path("mode").asText("adapt").equals("random")
                    && p.initFrom() instanceof InitFrom.Fresh) {
                throw new ConfigException(p.config().origin().file() + ": phase '" + p.path() + "': '" + c.path()
                        + "' (drop-adapt) adapts a trained model, but the phase starts from fresh weights; give it "
                        + "init_from (a phase of this recipe or {path: RUN}), e.g. examples/dropclass/dropadapt.yaml");
            }
            if (c.name().equals("drop-adapt") && c.params().hasNonNull("enrolment") && !enrolmentChecked) {
                enrolmentFits(p, c);
                enrolmentChecked = true;
            }
        }
    }

    /**
     * DropAdapt's enrolment corpus, read before any phase trains (its provider reads it again when
     * the phase starts): it exists, holds utterances and has the phase's training corpus's rate.
     */
    private static void enrolmentFits(Phase p, io.speechsampler.api.config.ComponentConfig c) {
        String key = c.path() + ".enrolment";
        Path where = p.config().baseDir().resolve(c.params().get("enrolment").asText()).normalize();
        io.speechsampler.api.corpus.Corpus enrolment = io.speechsampler.api.corpus.CorpusReader.read(where);
        if (enrolment.size() == 0) {
            throw p.config().origin().error(key, "'" + key + "': " + where + " holds no utterances; expected the "
                    + "enrolment speakers' recordings");
        }
        String corpus = p.config().corpus();
        if (corpus != null && !corpus.startsWith(NAMED_CORPUS)) {
            io.speechsampler.api.corpus.Corpus train = io.speechsampler.api.corpus.CorpusReader.read(
                    p.config().baseDir().resolve(corpus).normalize());
            if (train.sampleRate() != enrolment.sampleRate()) {
                throw p.config().origin().error(key, "'" + key + "': " + where + " is at " + enrolment.sampleRate()
                        + " Hz, the training corpus at " + train.sampleRate() + " Hz; expected the same rate");
            }
        }
    }

    /** Refuses what the loop cannot do before anything trains; the phase's options otherwise. */
    private static TrainingRun.Options check(Phase p, Path valid) {
        String where = p.config().origin().file() + ": phase '" + p.path() + "': ";
        for (ComponentConfig h : p.before()) {
            hook(h);
        }
        Trainables.Choice choice = Trainables.load().choose(p.config());
        if (choice.task().name().equals("mixit") && outputs(p.config()) >= 0 && outputs(p.config()) < 2) {
            // the task's own check runs when its phase starts, after the earlier phases trained
            throw p.config().origin().error("model.sources", "task 'mixit' needs at least 2 outputs (M, typically 4), "
                    + "'model.sources' is " + outputs(p.config()));
        }
        TrainSettings settings = TrainSettings.fromConfig(p.config());
        Predicate<String> frozen = p.freeze().isEmpty() ? null : p::frozen;
        if (p.end() instanceof EndRule.Steps s) {
            return new TrainingRun.Options(null, frozen, s.steps(), null);
        }
        if (p.end() instanceof EndRule.Patience pat) {
            String task = Trainables.load().choose(p.config()).task().name();
            boolean trials = io.speechsampler.run.validation.Protocol.of(p.config())
                    .map(v -> v.protocol().equals("trials")).orElse(false);
            boolean eer = pat.metric().equals("eer") || pat.metric().equals("eer_percent");
            boolean measured = pat.metric().equals("score") || (pat.metric().equals("si_snri")
                    && SI_SNRI_TASKS.contains(task)) || (eer && trials);
            if (!measured) {
                throw new ConfigException(where + "end.patience.metric '" + pat.metric() + "' is not measured by the "
                        + "loop's validation of task '" + task + "'; expected 'score' (the validation score, larger is "
                        + "better)" + (SI_SNRI_TASKS.contains(task) ? " or 'si_snri'" : "") + (eer
                        ? "; 'eer' needs validation: {protocol: trials}" : ""));
            }
            if (pat.mode() != (eer ? EndRule.Mode.MIN : EndRule.Mode.MAX)) {
                throw new ConfigException(where + "end.patience.mode of '" + pat.metric() + "' is "
                        + (eer ? "min (smaller is better)" : "max (larger is better)") + ", got "
                        + pat.mode().name().toLowerCase(java.util.Locale.ROOT));
            }
            if (valid == null || settings.validateEvery() < 1) {
                throw new ConfigException(where + "end.patience needs validation: pass --valid and set "
                        + "train.validate_every >= 1");
            }
            // the loop's score with trials is minus the EER: the rule sees the EER itself
            Predicate<List<Double>> rule = eer
                    ? scores -> pat.reached(scores.stream().map(x -> -x).toList()) : pat::reached;
            return new TrainingRun.Options(null, frozen, 0, rule);
        }
        return new TrainingRun.Options(null, frozen, 0, null);
    }

    /**
     * Every role's provider (and each shared component a role refers to, by the extension point
     * the pipeline will build it with) bound and {@link io.speechsampler.api.spi.Provider#check
     * checked} against the phase's corpus, before any phase trains; values that name files the
     * run writes later ({@code run:}) are not read. The pipeline binds and checks them again
     * when the phase starts, and then builds them.
     */
    private static void checkProviders(Phase p, io.speechsampler.api.corpus.Corpus corpus,
                                       ProviderRegistry registry) {
        RunConfig cfg = p.config();
        List<ProviderRegistry.Kind> kinds = new ArrayList<>();
        kinds.add(ProviderRegistry.Kind.SAMPLER);
        cfg.stages().forEach(x -> kinds.add(ProviderRegistry.Kind.STAGE));
        kinds.add(ProviderRegistry.Kind.BATCHER);
        kinds.add(ProviderRegistry.Kind.WEIGHTING);
        if (cfg.mask() != null) {
            kinds.add(ProviderRegistry.Kind.MASK);
        }
        cfg.observers().forEach(x -> kinds.add(ProviderRegistry.Kind.OBSERVER));
        BuildContext context = new BuildContext(corpus, cfg.baseDir(), cfg.seed(), -1, "");
        Set<String> shared = new java.util.HashSet<>();
        List<ComponentConfig> roles = cfg.roles();
        for (int i = 0; i < roles.size(); i++) {
            ComponentConfig c = roles.get(i);
            if (c.isRef()) {
                ComponentConfig entry = cfg.components().get(c.ref());
                // a missing ref, or one another extension point builds, is named when the pipeline is built
                if (entry != null && shared.add(c.ref()) && registry.names(kinds.get(i)).contains(entry.name())) {
                    registry.check(kinds.get(i), entry, context);
                }
            } else {
                registry.check(kinds.get(i), c, context);
            }
        }
    }

    /** Each {@code before:} hook's {@link RecipeHook#check} against the phase's corpus and the models it will use. */
    private static void checkHooks(Phase p, List<Phase> phases, io.speechsampler.api.corpus.Corpus corpus) {
        if (p.before().isEmpty()) {
            return;
        }
        RunConfig weights = p.initFrom() instanceof InitFrom.FromPhase from
                ? phases.get(from.phaseIndex()).config() : null;
        RunConfig previous = p.index() == 0 ? null : phases.get(p.index() - 1).config();
        HookCheck context = new HookCheck(p.path(), p.round(), p.config(), corpus, weights, previous);
        for (ComponentConfig c : p.before()) {
            Hook h = hook(c);
            h.hook().check(h.params(), context);
        }
    }

    /**
     * A {@code labels} file (the key the classification task, the {@code class-balanced} sampler
     * and the {@code loss-gate} give a label file) that the user supplies, read against the phase's
     * corpus before any phase trains: one naming an utterance the corpus lacks is refused. A
     * {@code run:} file is written by the recipe itself and read when its phase starts.
     */
    private static void checkLabelFiles(Phase p, io.speechsampler.api.corpus.Corpus corpus) {
        RunConfig cfg = p.config();
        Map<String, ObjectNode> sections = new java.util.LinkedHashMap<>(); // by key
        for (ComponentConfig c : cfg.roles()) {
            ComponentConfig entry = c.isRef() ? cfg.components().get(c.ref()) : c;
            if (entry != null) {
                sections.putIfAbsent(entry.path(), entry.params());
            }
        }
        sections.put("task", cfg.task());
        for (Map.Entry<String, ObjectNode> section : sections.entrySet()) {
            JsonNode v = section.getValue().get("labels");
            if (v == null || !v.isTextual() || v.asText().startsWith("run:")) {
                continue;
            }
            String key = section.getKey() + ".labels";
            try {
                io.speechsampler.api.corpus.Labels.read(cfg.baseDir().resolve(v.asText()).normalize(), corpus);
            } catch (ConfigException e) {
                throw cfg.origin().error(key, "'" + key + "': " + e.getMessage() + "; expected a label file of "
                        + "the phase's corpus's utterances");
            }
        }
    }

    /** The hook a {@code before:} entry names, with its parameters bound (checked before anything trains). */
    private static Hook hook(ComponentConfig c) {
        RecipeHook h = HOOKS.find(c.name(), c.origin().where(c.path() + ".name"));
        Params params = Params.bind(c.params(), h.parameters(), c.origin(), c.path(), "hook '" + h.name() + "'");
        return new Hook(h, params);
    }

    private record Hook(RecipeHook hook, Params params) {
    }

    /**
     * Runs the phase's {@code before:} hooks that have not run, recording each one's files and their
     * SHA-256 in the phase folder's {@value #HOOKS_FILE}; a hook whose recorded files are all there
     * with those hashes is not run again (a resumed run reuses its pseudo-labels).
     */
    private static void runHooks(Phase p, Path dir, Path runDir, Path init, Path previous) throws IOException {
        if (p.before().isEmpty()) {
            return;
        }
        Files.createDirectories(dir);
        Path record = dir.resolve(HOOKS_FILE);
        ArrayNode done = Files.isRegularFile(record) ? (ArrayNode) JSON.readTree(record.toFile()) : JSON.createArrayNode();
        io.speechsampler.api.corpus.Corpus corpus = null;
        for (int i = 0; i < p.before().size(); i++) {
            ComponentConfig c = p.before().get(i);
            if (i < done.size() && done.get(i).path("hook").asText().equals(c.name()) && intact(done.get(i), runDir)) {
                LOG.info("phase {}: hook {} ran before; its files are unchanged", p.path(), c.name());
                continue;
            }
            if (corpus == null) {
                corpus = io.speechsampler.api.corpus.CorpusReader.read(p.config().corpusPath());
            }
            Hook h = hook(c);
            LOG.info("phase {}: hook {}", p.path(), c.name());
            HookContext ctx = new HookContext(p.path(), p.round(), p.config(), corpus, runDir, init, previous,
                    io.speechsampler.api.random.RandomStreams.derive(p.config().seed(), "hook/" + p.path(), i));
            List<Path> files = h.hook().run(h.params(), ctx);
            ObjectNode entry = JSON.createObjectNode();
            entry.put("hook", c.name());
            ObjectNode hashes = entry.putObject("files");
            for (Path f : files) {
                hashes.put(runDir.toAbsolutePath().relativize(f.toAbsolutePath()).toString(), sha256(f));
            }
            while (done.size() > i) {
                done.remove(done.size() - 1);
            }
            done.add(entry);
            AtomicFiles.writeString(record, JSON.writerWithDefaultPrettyPrinter().writeValueAsString(done) + "\n");
        }
    }

    private static boolean intact(JsonNode entry, Path runDir) throws IOException {
        var it = entry.path("files").fields();
        while (it.hasNext()) {
            var f = it.next();
            Path file = runDir.resolve(f.getKey());
            if (!Files.isRegularFile(file) || !sha256(file).equals(f.getValue().asText())) {
                return false;
            }
        }
        return true;
    }

    private static String sha256(Path f) throws IOException {
        try {
            java.security.MessageDigest md = java.security.MessageDigest.getInstance("SHA-256");
            try (var in = Files.newInputStream(f)) {
                byte[] buf = new byte[1 << 16];
                for (int n; (n = in.read(buf)) > 0; ) {
                    md.update(buf, 0, n);
                }
            }
            return java.util.HexFormat.of().formatHex(md.digest());
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * The config with every string value {@code run:PATH} replaced by that path in the run folder:
     * how a phase names what a hook wrote ({@code task: {labels: "run:labels-${round}.tsv"}}).
     */
    static RunConfig runPaths(RunConfig cfg, Path runDir) throws IOException {
        String yaml = cfg.toYaml();
        if (!yaml.contains("\"run:")) {
            return cfg;
        }
        JsonNode tree = YAML.readTree(yaml);
        replaceRunPaths(tree, runDir);
        return RunConfig.parse(YAML.writeValueAsString(tree), cfg.origin().file(), cfg.baseDir());
    }

    private static void replaceRunPaths(JsonNode n, Path runDir) {
        if (n instanceof ObjectNode o) {
            var it = o.fields();
            List<String> keys = new ArrayList<>();
            it.forEachRemaining(e -> keys.add(e.getKey()));
            for (String k : keys) {
                JsonNode v = o.get(k);
                if (v.isTextual() && v.asText().startsWith("run:")) {
                    o.put(k, runDir.resolve(v.asText().substring(4)).toAbsolutePath().normalize().toString());
                } else {
                    replaceRunPaths(v, runDir);
                }
            }
        } else if (n instanceof ArrayNode a) {
            for (int i = 0; i < a.size(); i++) {
                JsonNode v = a.get(i);
                if (v.isTextual() && v.asText().startsWith("run:")) {
                    a.set(i, a.textNode(runDir.resolve(v.asText().substring(4)).toAbsolutePath().normalize()
                            .toString()));
                } else {
                    replaceRunPaths(v, runDir);
                }
            }
        }
    }

    /**
     * A teacher named before anything trains: an earlier phase, or a trained run or checkpoint
     * that exists, trained at the recipe's sample rate; either with at least the student's outputs.
     */
    private static void checkTeacher(Phase p, List<Phase> phases, int rate) {
        String teacher = p.config().task().path("teacher").asText("");
        if (teacher.isEmpty()) {
            return;
        }
        String where = p.config().origin().where("task.teacher") + "'task.teacher' of phase '" + p.path() + "' ";
        int student = outputs(p.config());
        if (teacher.startsWith("phase:")) {
            String name = teacher.substring("phase:".length());
            Phase earlier = null;
            for (Phase q : phases.subList(0, p.index())) {
                if (q.name().equals(name) || q.path().equals(name)) {
                    earlier = q;
                }
            }
            if (earlier == null) {
                throw new ConfigException(where + "names phase '" + name + "', which is not an earlier phase of the "
                        + "recipe");
            }
            int outputs = outputs(earlier.config());
            if (outputs >= 0 && student >= 0 && outputs < student) {
                throw new ConfigException(where + "names phase '" + name + "', whose model has " + outputs
                        + " outputs, fewer than the student's " + student + " (model.sources); a teacher gives the "
                        + "student its outputs of largest RMS");
            }
            return;
        }
        Path checkpoint = TrainedModel.locate(p.config().baseDir().resolve(teacher).normalize());
        for (Path dir = checkpoint; dir != null; dir = dir.getParent()) {
            if (Files.isRegularFile(dir.resolve(TrainedModel.CONFIG))) {
                int outputs = outputs(RunConfig.load(dir.resolve(TrainedModel.CONFIG)));
                if (outputs >= 0 && student >= 0 && outputs < student) {
                    throw new ConfigException(where + teacher + " has " + outputs + " outputs, fewer than the student's "
                            + student + " (model.sources)");
                }
                Path info = dir.resolve(TrainedModel.MODEL_INFO);
                try {
                    int trained = Files.isRegularFile(info) ? JSON.readTree(info.toFile()).path("sample_rate").asInt(0)
                            : 0;
                    if (trained > 0 && rate > 0 && trained != rate) {
                        throw new ConfigException(where + teacher + " was trained at " + trained + " Hz, the recipe's "
                                + "corpora are at " + rate + " Hz");
                    }
                } catch (IOException e) {
                    throw new ConfigException(where + info + " cannot be read: " + e.getMessage());
                }
                return;
            }
        }
    }

    /** The outputs of a separator config ({@code model.sources}), or -1 for a model without them. */
    private static int outputs(RunConfig cfg) {
        Trainables.Choice c = Trainables.load().choose(cfg);
        return c.modelParams().has("sources") ? c.modelParams().getInt("sources") : -1;
    }

    /**
     * The phase's config with {@code task.teacher: phase:NAME} replaced by that earlier phase's best
     * checkpoint (its last when it never validated): the distillation of teacher-student MixIT.
     */
    static RunConfig teacherResolved(Phase p, List<Phase> phases, Path runDir) {
        ObjectNode task = p.config().task();
        String teacher = task.path("teacher").asText("");
        if (!teacher.startsWith("phase:")) {
            return p.config();
        }
        String name = teacher.substring("phase:".length());
        Phase earlier = null;
        for (Phase q : phases.subList(0, p.index())) {
            if (q.name().equals(name) || q.path().equals(name)) {
                earlier = q;
            }
        }
        if (earlier == null) {
            throw new ConfigException(p.config().origin().where("task.teacher") + "'task.teacher' of phase '"
                    + p.path() + "' names phase '" + name + "', which is not an earlier phase of the recipe");
        }
        task.put("teacher", TrainedModel.locate(folder(runDir, earlier)).toAbsolutePath().toString());
        return p.config().withTask(task);
    }

    /** The checkpoint folder a phase starts from, or null for fresh weights. */
    private static Path initialWeights(Phase p, List<Phase> phases, Path runDir) {
        if (p.initFrom() instanceof InitFrom.FromPath fp) {
            return TrainedModel.locate(p.config().baseDir().resolve(fp.path()).normalize());
        }
        if (p.initFrom() instanceof InitFrom.FromPhase from) {
            Phase earlier = phases.get(from.phaseIndex());
            Path root = folder(runDir, earlier).resolve("checkpoints");
            Optional<Path> c = from.checkpoint() == InitFrom.Checkpoint.BEST
                    ? Checkpoints.resolve(root, Checkpoints.BEST).or(() -> Checkpoints.resolve(root, Checkpoints.LATEST))
                    : Checkpoints.resolve(root, Checkpoints.LATEST);
            return c.orElseThrow(() -> new ConfigException(root + ": phase '" + earlier.path() + "' left no checkpoint "
                    + "for phase '" + p.path() + "' to start from"));
        }
        return null;
    }

    private static void writeDone(Path dir, Phase p, TrainingRun.Result r) {
        ObjectNode o = JSON.createObjectNode();
        o.put("phase", p.path());
        o.put("index", p.index());
        o.put("round", p.round());
        o.put("steps", r.summary().steps());
        o.put("epochs", r.summary().epochsDone());
        if (Double.isFinite(r.summary().bestScore())) {
            o.put("best_score", r.summary().bestScore());
        }
        if (r.summary().bestCheckpoint() != null) {
            o.put("best", r.summary().bestCheckpoint().getFileName().toString());
        }
        try {
            AtomicFiles.writeString(dir.resolve(PHASE_DONE), JSON.writerWithDefaultPrettyPrinter().writeValueAsString(o)
                    + "\n");
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
