package io.speechsampler.api.config;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.IntNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * Reads a recipe's {@code phases} into the phases it runs: a first pass checks the shape of every
 * phase as written (keys, names, repeats) with the file's paths; then each phase in run order is
 * merged, resolved for its round, and checked as a config with {@link RunConfig#fromTree}.
 */
final class RecipeReader {

    private static final Pattern NAME = Pattern.compile("[A-Za-z][A-Za-z0-9_-]*");

    private static final List<ParamSpec> INIT_SPECS = List.of(
            ParamSpec.string("phase", "the name of an earlier phase to start from").defaultsTo(null),
            ParamSpec.choice("checkpoint", "which checkpoint of that phase", "best", "last").defaultsTo(null),
            ParamSpec.string("path", "a checkpoint folder to start from").defaultsTo(null));
    private static final List<ParamSpec> END_SPECS = List.of(
            ParamSpec.integer("epochs", "epochs the phase trains").min(1).defaultsTo(null),
            ParamSpec.longInt("steps", "optimizer steps the phase trains").min(1).defaultsTo(null),
            ParamSpec.object("patience", "early stopping on a validation metric").defaultsTo(null));
    private static final List<ParamSpec> PATIENCE_SPECS = List.of(
            ParamSpec.string("metric", "the validation metric the rule watches, e.g. eer"),
            ParamSpec.integer("min_evaluations", "evaluations before the rule may end the phase").min(1)
                    .defaultsTo(4),
            ParamSpec.integer("worse_than_best", "how many last evaluations must all be worse than the best")
                    .min(1).defaultsTo(3),
            ParamSpec.choice("mode", "max: larger is better; min: smaller is", "max", "min").defaultsTo(null));

    /** A phase as written: its node, its path in the file, its name and (top level) rounds and sub-phases. */
    private record Written(ObjectNode node, String file, String name, int repeat, List<Written> subs) {

        /** Phases it runs in all. */
        int count() {
            return repeat == 0 ? 1 : repeat * Math.max(1, subs.size());
        }
    }

    /** Where a name is: its top-level phase and sub-phase (-1 for a top-level phase). */
    private record Location(int top, int sub, String file) {
    }

    private final RunConfig.Source source;
    private final String fileName;
    private final Path baseDir;
    private final ConfigOrigin fileOrigin;
    private final List<Written> tops = new ArrayList<>();
    private final Map<String, Location> names = new LinkedHashMap<>();
    private final List<Integer> starts = new ArrayList<>();
    private ObjectNode base;

    RecipeReader(RunConfig.Source source, String fileName, Path baseDir) {
        this.source = source;
        this.fileName = fileName;
        this.baseDir = baseDir;
        this.fileOrigin = source.origin();
    }

    /** The phases in run order; one {@code main} phase for a config without {@code phases}. */
    List<Phase> read() {
        ObjectNode root = source.root();
        if (!root.has(Recipe.PHASES)) {
            RunConfig config = RunConfig.fromTree(root, fileOrigin, baseDir);
            return List.of(new Phase(0, Recipe.MAIN, Recipe.MAIN, 0, config, new InitFrom.Fresh(), List.of(),
                    new EndRule.TrainEpochs(), List.of(), "00-" + Recipe.MAIN));
        }
        checkBaseKeys(root);
        JsonNode list = root.get(Recipe.PHASES);
        if (!list.isArray() || list.isEmpty()) {
            throw fileOrigin.error(Recipe.PHASES, "'phases' must be a list of at least one phase, each a map with a "
                    + "'name', got " + Params.shown(list));
        }
        base = root.deepCopy();
        base.remove(Recipe.PHASES);
        for (int i = 0; i < list.size(); i++) {
            tops.add(written(list.get(i), Recipe.PHASES + "[" + i + "]", i, null));
        }
        int start = 0;
        for (Written w : tops) {
            starts.add(start);
            start += w.count();
        }
        List<Phase> out = new ArrayList<>();
        for (int t = 0; t < tops.size(); t++) {
            Written top = tops.get(t);
            if (top.repeat == 0) {
                out.add(phase(t, -1, 0, out.size()));
                continue;
            }
            for (int r = 1; r <= top.repeat; r++) {
                if (top.subs.isEmpty()) {
                    out.add(phase(t, -1, r, out.size()));
                }
                for (int s = 0; s < top.subs.size(); s++) {
                    out.add(phase(t, s, r, out.size()));
                }
            }
        }
        return out;
    }

    private void checkBaseKeys(ObjectNode root) {
        for (Iterator<String> it = root.fieldNames(); it.hasNext(); ) {
            String key = it.next();
            if (!RunConfig.KEYS.contains(key) && !key.equals(Recipe.PHASES)) {
                Set<String> expected = new TreeSet<>(RunConfig.KEYS);
                expected.add(Recipe.PHASES);
                throw fileOrigin.error(key, "unknown key '" + key + "'; expected one of: " + String.join(", ", expected));
            }
        }
    }

    /** Shape of one phase as written; {@code parent} is the repeating phase holding it, or null. */
    private Written written(JsonNode n, String file, int top, Written parent) {
        if (!n.isObject()) {
            throw fileOrigin.error(file, "'" + file + "' must be a phase: a map with a 'name', got " + Params.shown(n));
        }
        ObjectNode node = (ObjectNode) n;
        JsonNode nameNode = node.get("name");
        if (nameNode == null || !nameNode.isTextual()) {
            throw fileOrigin.error(file, "'" + file + "' needs a 'name' (a letter, then letters, digits, '_' or '-')"
                    + (nameNode == null ? "" : ", got " + Params.shown(nameNode)));
        }
        String name = nameNode.asText();
        String namePath = file + ".name";
        if (!NAME.matcher(name).matches()) {
            throw fileOrigin.error(namePath, "'" + namePath + "' must start with a letter and hold only letters, "
                    + "digits, '_' and '-', got '" + name + "'");
        }
        Location first = names.get(name);
        if (first != null) {
            Integer line = fileOrigin.lines().get(first.file + ".name");
            throw fileOrigin.error(namePath, "duplicate phase name '" + name + "' at '" + namePath + "' (first at '"
                    + first.file + ".name'" + (line == null ? "" : ", line " + line) + "); expected each phase name "
                    + "once in the recipe");
        }
        for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
            String key = it.next();
            if (!RunConfig.KEYS.contains(key) && !Recipe.PHASE_KEYS.contains(key)) {
                String p = file + "." + key;
                throw fileOrigin.error(p, "unknown key '" + p + "' in phase '" + name + "'; expected a config key ("
                        + String.join(", ", new TreeSet<>(RunConfig.KEYS)) + ") or a phase key ("
                        + String.join(", ", new TreeSet<>(Recipe.PHASE_KEYS)) + ")");
            }
        }
        if (node.has("before") && !node.get("before").isArray()) {
            throw fileOrigin.error(file + ".before", "'" + file + ".before' must be a list of hooks, each a map with "
                    + "a 'name', got " + Params.shown(node.get("before")));
        }
        int sub = parent == null ? -1 : parent.subs.size();
        names.put(name, new Location(top, sub, file));
        if (parent != null) {
            if (node.has("repeat")) {
                throw fileOrigin.error(file + ".repeat", "phase '" + name + "' ('" + file + "') repeats inside the "
                        + "repeat '" + parent.name + "'; only one level of repeat is supported");
            }
            if (node.has(Recipe.PHASES)) {
                throw fileOrigin.error(file + ".phases", "phase '" + name + "' ('" + file + "') has phases of its "
                        + "own inside the repeat '" + parent.name + "'; only one level of sub-phases is supported");
            }
            return new Written(node, file, name, 0, List.of());
        }
        int repeat = 0;
        if (node.has("repeat")) {
            JsonNode r = node.get("repeat");
            if (!r.isIntegralNumber() || !r.canConvertToInt() || r.intValue() < 1) {
                throw fileOrigin.error(file + ".repeat", "'" + file + ".repeat' must be an integer at least 1 (the "
                        + "number of rounds), got " + Params.shown(r));
            }
            repeat = r.intValue();
        }
        List<Written> subs = new ArrayList<>();
        Written self = new Written(node, file, name, repeat, subs);
        if (node.has(Recipe.PHASES)) {
            String p = file + ".phases";
            if (repeat == 0) {
                throw fileOrigin.error(p, "'" + p + "' lists sub-phases, which run once a round; phase '" + name
                        + "' needs 'repeat: R' (the number of rounds) with them");
            }
            JsonNode list = node.get(Recipe.PHASES);
            if (!list.isArray() || list.isEmpty()) {
                throw fileOrigin.error(p, "'" + p + "' must be a list of at least one phase, got " + Params.shown(list));
            }
            for (int i = 0; i < list.size(); i++) {
                subs.add(written(list.get(i), p + "[" + i + "]", top, self));
            }
        }
        return self;
    }

    /** The phase at top-level position {@code t}, sub-phase {@code s} (-1: none), round {@code r} (0: none). */
    private Phase phase(int t, int s, int r, int index) {
        Written top = tops.get(t);
        Written sub = s < 0 ? null : top.subs.get(s);
        Written own = sub == null ? top : sub;
        ConfigTree tree = ConfigTree.copyOf(base, "");
        tree.overlay(configPart(top.node), top.file);
        if (sub != null) {
            tree.overlay(configPart(sub.node), sub.file);
        }
        tree.sourceRootAt(own.file);
        for (String key : List.of("end", "freeze")) {
            Written from = own.node.has(key) ? own : sub != null && top.node.has(key) ? top : null;
            if (from != null) {
                tree.put(key, from.node.get(key), from.file + "." + key);
            }
        }
        // A repeating phase's init_from and before hooks belong to each round's start: its first sub-phase.
        boolean roundStart = sub != null && s == 0;
        Location initContext = new Location(t, s, own.file);
        if (own.node.has("init_from")) {
            tree.put("init_from", own.node.get("init_from"), own.file + ".init_from");
        } else if (roundStart && top.node.has("init_from")) {
            tree.put("init_from", top.node.get("init_from"), top.file + ".init_from");
            initContext = new Location(t, -1, top.file);
        }
        putHooks(tree, roundStart ? top : null, own);

        String name = own.name;
        String path = top.name + (r > 0 ? "/round-" + r : "") + (sub != null ? "/" + sub.name : "");
        String folder = String.format(java.util.Locale.ROOT, "%02d-%s", t, top.name) + (r > 0 ? "/round-" + r : "")
                + (sub != null ? String.format(java.util.Locale.ROOT, "/%02d-%s", s, sub.name) : "");
        String scope = "phase '" + path + "'";
        tree.resolve(new ConfigTree.Round(r, top.repeat, top.name, name), origin(tree, scope));

        ConfigOrigin origin = origin(tree, scope);
        InitFrom initFrom = initFrom(tree.take("init_from"), initContext, r, index, origin);
        List<String> freeze = freeze(tree.take("freeze"), origin);
        String endFile = tree.fileOf("end.epochs");
        EndRule end = end(tree.take("end"), origin);
        List<ComponentConfig> before = hooks(tree.take("before"), origin);
        if (end instanceof EndRule.Epochs e) {
            tree.putIn("train", "epochs", IntNode.valueOf(e.epochs()), endFile);
        }
        RunConfig config = RunConfig.fromTree(tree.root(), origin(tree, scope), baseDir);
        return new Phase(index, name, path, r, config, initFrom, freeze, end, before, folder);
    }

    private ConfigOrigin origin(ConfigTree tree, String scope) {
        return tree.origin(fileName, source.fileLines(), source.overridden(), scope);
    }

    /** The phase's config keys: everything but the phase keys. */
    private static ObjectNode configPart(ObjectNode phase) {
        ObjectNode o = phase.deepCopy();
        o.remove(Recipe.PHASE_KEYS);
        return o;
    }

    /** The phase's hooks: a round's first (when {@code round} is its repeating phase), then its own. */
    private static void putHooks(ConfigTree tree, Written round, Written own) {
        List<JsonNode> hooks = new ArrayList<>();
        List<String> files = new ArrayList<>();
        for (Written w : round == null ? List.of(own) : List.of(round, own)) {
            JsonNode list = w.node.get("before");
            for (int i = 0; list != null && i < list.size(); i++) {
                hooks.add(list.get(i));
                files.add(w.file + ".before[" + i + "]");
            }
        }
        if (!hooks.isEmpty()) {
            tree.putList("before", hooks, files, own.file + ".before");
        }
    }

    private InitFrom initFrom(JsonNode n, Location context, int round, int index, ConfigOrigin origin) {
        if (n == null || n.isNull()) {
            return index == 0 ? new InitFrom.Fresh() : new InitFrom.FromPhase(index - 1, InitFrom.Checkpoint.BEST);
        }
        if (n.isTextual() && n.asText().equals("none")) {
            return new InitFrom.Fresh();
        }
        if (!n.isObject()) {
            throw origin.error("init_from", "'init_from' must be {phase: NAME, checkpoint: best|last}, {path: P} or "
                    + "none, got " + Params.shown(n));
        }
        Params p = Params.bind((ObjectNode) n, INIT_SPECS, origin, "init_from", "init_from");
        String phase = p.optString("phase");
        String path = p.optString("path");
        String checkpoint = p.optString("checkpoint");
        if (phase != null && path != null) {
            throw origin.error("init_from", "'init_from' has both 'phase' and 'path'; expected one");
        }
        if (path != null) {
            if (checkpoint != null) {
                throw origin.error("init_from.checkpoint", "'init_from.checkpoint' chooses a checkpoint of a phase; "
                        + "with 'path', name the checkpoint folder itself");
            }
            return new InitFrom.FromPath(baseDir.resolve(path).normalize());
        }
        if (phase == null) {
            throw origin.error("init_from", "'init_from' needs 'phase' (an earlier phase's name) or 'path' (a "
                    + "checkpoint folder)");
        }
        InitFrom.Checkpoint which = "last".equals(checkpoint) ? InitFrom.Checkpoint.LAST : InitFrom.Checkpoint.BEST;
        return new InitFrom.FromPhase(earlier(phase, context, round, origin), which);
    }

    /** The run-order index of phase {@code name} as seen from {@code context}, which it must run before. */
    private int earlier(String name, Location context, int round, ConfigOrigin origin) {
        Location loc = names.get(name);
        String at = "init_from.phase";
        if (loc == null) {
            throw origin.error(at, "'" + at + "' names '" + name + "', which is not a phase of the recipe; its "
                    + "phases: " + String.join(", ", names.keySet()));
        }
        if (loc.top > context.top) {
            throw origin.error(at, "'" + at + "' names '" + name + "', which runs later ('" + loc.file + "'); "
                    + "init_from must name an earlier phase");
        }
        if (loc.top == context.top) {
            if (loc.sub >= 0 && context.sub >= 0 && loc.sub < context.sub) {
                return starts.get(loc.top) + (round - 1) * tops.get(loc.top).subs.size() + loc.sub;
            }
            String what = loc.sub == context.sub ? "this phase itself"
                    : loc.sub < 0 ? "the repeat this phase runs in" : "a phase that does not run before this one";
            throw origin.error(at, "'" + at + "' names '" + name + "', " + what + " ('" + loc.file + "'); "
                    + "init_from must name an earlier phase");
        }
        Written w = tops.get(loc.top);
        int last = starts.get(loc.top) + w.count() - 1;
        // A phase inside an earlier repeat: its instance in the last round.
        return loc.sub < 0 ? last : last - (w.subs.size() - 1 - loc.sub);
    }

    private static List<String> freeze(JsonNode n, ConfigOrigin origin) {
        if (n == null || n.isNull()) {
            return List.of();
        }
        if (!n.isArray()) {
            throw origin.error("freeze", "'freeze' must be a list of regular expressions over parameter names, "
                    + "such as [\"^encoder\"], got " + Params.shown(n));
        }
        List<String> out = new ArrayList<>();
        for (int i = 0; i < n.size(); i++) {
            String p = "freeze[" + i + "]";
            JsonNode e = n.get(i);
            if (!e.isTextual() || e.asText().isEmpty()) {
                throw origin.error(p, "'" + p + "' must be a regular expression, got " + Params.shown(e));
            }
            try {
                Pattern.compile(e.asText());
            } catch (PatternSyntaxException x) {
                throw origin.error(p, "'" + p + "' is not a valid regular expression: " + x.getDescription()
                        + " near index " + x.getIndex() + " of " + e.asText());
            }
            out.add(e.asText());
        }
        return out;
    }

    private static EndRule end(JsonNode n, ConfigOrigin origin) {
        if (n == null || n.isNull()) {
            return new EndRule.TrainEpochs();
        }
        if (!n.isObject()) {
            throw origin.error("end", "'end' must be one rule: {epochs: N}, {steps: N} or {patience: {metric: M}}, "
                    + "got " + Params.shown(n));
        }
        Params p = Params.bind((ObjectNode) n, END_SPECS, origin, "end", "end");
        List<String> set = new ArrayList<>();
        for (ParamSpec s : END_SPECS) {
            if (p.has(s.name())) {
                set.add(s.name());
            }
        }
        if (set.isEmpty()) {
            throw origin.error("end", "'end' needs one rule: {epochs: N}, {steps: N} or {patience: {metric: M}}");
        }
        if (set.size() > 1) {
            throw origin.error("end", "'end' has " + set.size() + " rules, '" + String.join("' and '", set)
                    + "'; expected one");
        }
        return switch (set.get(0)) {
            case "epochs" -> new EndRule.Epochs(p.getInt("epochs"));
            case "steps" -> new EndRule.Steps(p.getLong("steps"));
            default -> patience(p.getObject("patience"), origin);
        };
    }

    private static EndRule.Patience patience(JsonNode n, ConfigOrigin origin) {
        String path = "end.patience";
        if (!n.isObject()) {
            throw origin.error(path, "'" + path + "' must be a map such as {metric: eer}, got " + Params.shown(n));
        }
        Params p = Params.bind((ObjectNode) n, PATIENCE_SPECS, origin, path, "end rule 'patience'");
        String metric = p.getString("metric");
        String mode = p.optString("mode");
        EndRule.Mode m = mode != null ? EndRule.Mode.valueOf(mode.toUpperCase(java.util.Locale.ROOT))
                : EndRule.Patience.defaultMode(metric);
        if (m == null) {
            throw origin.error(path + ".metric", "'" + path + "' needs 'mode: max' (larger is better) or 'mode: min' "
                    + "for metric '" + metric + "'; the mode is implied only for "
                    + String.join(", ", new TreeSet<>(EndRule.Patience.MIN_METRICS)) + " (min) and "
                    + String.join(", ", new TreeSet<>(EndRule.Patience.MAX_METRICS)) + " (max)");
        }
        return new EndRule.Patience(metric, p.getInt("min_evaluations"), p.getInt("worse_than_best"), m);
    }

    private static List<ComponentConfig> hooks(JsonNode n, ConfigOrigin origin) {
        if (n == null) {
            return List.of();
        }
        List<ComponentConfig> out = new ArrayList<>();
        for (int i = 0; i < n.size(); i++) {
            String p = "before[" + i + "]";
            JsonNode h = n.get(i);
            JsonNode name = h.get("name");
            if (!h.isObject() || name == null || !name.isTextual() || name.asText().isBlank()) {
                throw origin.error(p, "'" + p + "' must be a hook: a map with a 'name' naming it, got "
                        + Params.shown(h));
            }
            out.add(new ComponentConfig(name.asText(), (ObjectNode) h, p, origin));
        }
        return out;
    }
}
