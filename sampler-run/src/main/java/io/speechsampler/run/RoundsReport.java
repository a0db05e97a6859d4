package io.speechsampler.run;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.speechsampler.api.config.Phase;
import io.speechsampler.api.io.AtomicFiles;
import io.speechsampler.api.io.TextLines;
import io.speechsampler.run.validation.Protocol;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The report of a recipe's rounds (loss-gated learning's stage 2), read back from the run folder
 * after every phase: for each repeating phase {@code NAME}, {@code report/NAME/} holds
 * <ul>
 *   <li>{@code rounds.csv}: one row per round: the numbers of the round's hook reports (every
 *       numeric field of a {@code .json} file a {@code before:} hook wrote, e.g. embed-and-cluster's
 *       {@code nmi} and {@code purity}), and per sub-phase {@code SUB_epochs}, {@code SUB_best_eer}
 *       (the validation metric: {@code eer} in percent with a trials protocol, else {@code score}) and,
 *       for a phase with a loss gate, its {@code "type": "gate"} numbers of the phase's last epoch
 *       ({@code SUB_gate_last}, {@code SUB_under_share_last}, {@code SUB_under_purity_last},
 *       {@code SUB_above_purity_last});</li>
 *   <li>figures against the round, each a PNG with a CSV of its numbers beside it:
 *       {@code eer.png} (each sub-phase's best), {@code nmi.png} (NMI and purity of the round's
 *       clusters), {@code gate-share.png} (share of samples under the gate in each gated phase's last
 *       epoch), {@code gate-purity.png} (right pseudo-labels under and above the gate, and the
 *       clustering's purity);</li>
 *   <li>{@code round-R/}: {@code round.json} (all of the round's numbers, epoch by epoch),
 *       {@code eer.png} (the metric by epoch of each sub-phase) and {@code gate.png} (share under
 *       the gate and the two purities by epoch), each with its CSV.</li>
 * </ul>
 * A figure without numbers (no hook reports NMI, no phase has a gate) is not written; a NaN (a
 * purity of no samples, a round not trained yet) is an empty CSV field and a gap in the figure.
 * Everything is written in one {@link AtomicFiles#fileSet()}: a report is whole or the old one.
 */
public final class RoundsReport {

    /** The folder of the report in the run folder. */
    public static final String FOLDER = "report";
    /** The summary of one repeating phase's rounds. */
    public static final String SUMMARY = "rounds.csv";

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final List<String> GATE_FIELDS = List.of("gate", "under_share", "under_purity", "above_purity");

    private RoundsReport() {
    }

    /** One sub-phase of a round as its folder holds it. */
    record PhaseNumbers(String name, String metric, TreeMap<Integer, Double> validation,
                        TreeMap<Integer, ObjectNode> gate, int epochs) {

        /** The best validation value (the smallest EER, the largest score), NaN without one. */
        double best() {
            double b = Double.NaN;
            for (double v : validation.values()) {
                if (Double.isNaN(b) || (metric.equals("eer") ? v < b : v > b)) {
                    b = v;
                }
            }
            return b;
        }

        /** A gate field of the last epoch with a gate line, NaN without one. */
        double lastGate(String field) {
            return gate.isEmpty() ? Double.NaN : number(gate.lastEntry().getValue().get(field));
        }
    }

    /** One round: its hooks' numbers and its sub-phases, in recipe order. */
    record Round(int round, Map<String, Double> hookNumbers, List<PhaseNumbers> phases) {
    }

    /**
     * Writes the report of every repeating phase of {@code phases} from what {@code runDir} holds;
     * nothing for a recipe without rounds.
     *
     * @return the files written
     */
    public static List<Path> write(Path runDir, List<Phase> phases) throws IOException {
        Map<String, TreeMap<Integer, List<Phase>>> groups = new LinkedHashMap<>();
        for (Phase p : phases) {
            int at = p.path().indexOf("/round-");
            if (p.round() > 0 && at > 0) {
                groups.computeIfAbsent(p.path().substring(0, at), g -> new TreeMap<>())
                        .computeIfAbsent(p.round(), r -> new ArrayList<>()).add(p);
            }
        }
        List<Path> written = new ArrayList<>();
        if (groups.isEmpty()) {
            return written;
        }
        try (AtomicFiles.FileSet set = AtomicFiles.fileSet()) {
            for (var g : groups.entrySet()) {
                List<Round> rounds = new ArrayList<>();
                for (var r : g.getValue().entrySet()) {
                    rounds.add(read(runDir, r.getKey(), r.getValue()));
                }
                written.addAll(write(runDir.resolve(FOLDER).resolve(g.getKey()), rounds, set));
            }
            set.commit();
        }
        return written;
    }

    private static Round read(Path runDir, int round, List<Phase> phases) throws IOException {
        Map<String, Double> hooks = new LinkedHashMap<>();
        Path hooksFile = RecipeRun.folder(runDir, phases.get(0)).resolve(RecipeRun.HOOKS_FILE);
        if (Files.isRegularFile(hooksFile)) {
            for (JsonNode entry : JSON.readTree(hooksFile.toFile())) {
                Iterator<String> files = entry.path("files").fieldNames();
                while (files.hasNext()) {
                    Path f = runDir.resolve(files.next());
                    if (f.getFileName().toString().endsWith(".json") && Files.isRegularFile(f)) {
                        JSON.readTree(f.toFile()).fields().forEachRemaining(e -> {
                            if (e.getValue().isNumber() && !e.getKey().equals("round")) {
                                hooks.putIfAbsent(e.getKey(), e.getValue().asDouble());
                            }
                        });
                    }
                }
            }
        }
        List<PhaseNumbers> out = new ArrayList<>();
        for (Phase p : phases) {
            boolean trials = Protocol.of(p.config()).map(v -> v.protocol().equals("trials")).orElse(false);
            out.add(readPhase(RecipeRun.folder(runDir, p).resolve(TrainingRun.METRICS), p.name(),
                    trials ? "eer" : "score"));
        }
        return new Round(round, hooks, out);
    }

    /** A phase's validations and gate lines from its {@code metrics.jsonl} (none when it has not started). */
    static PhaseNumbers readPhase(Path metrics, String name, String metric) {
        TreeMap<Integer, Double> validation = new TreeMap<>();
        TreeMap<Integer, ObjectNode> gate = new TreeMap<>();
        int[] epochs = {0};
        if (Files.isRegularFile(metrics)) {
            TextLines.forEach(metrics, "training log", "not found; expected the run's metrics.jsonl", (line, no) -> {
                JsonNode o;
                try {
                    o = JSON.readTree(line);
                } catch (JsonProcessingException e) {
                    throw TextLines.error(metrics, no, "not a JSON line");
                }
                int epoch = o.path("epoch").asInt(-1);
                epochs[0] = Math.max(epochs[0], epoch + 1);
                switch (o.path("type").asText()) {
                    case "validation" -> {
                        double score = number(o.get("score"));
                        // the loop's score with trials is minus the EER in percent
                        validation.put(epoch, metric.equals("eer") ? -score : score);
                    }
                    case "gate" -> gate.put(epoch, (ObjectNode) o);
                    default -> {
                    }
                }
            });
        }
        return new PhaseNumbers(name, metric, validation, gate, epochs[0]);
    }

    /** The report of one repeating phase's rounds into {@code dir}, added to {@code set}. */
    static List<Path> write(Path dir, List<Round> rounds, AtomicFiles.FileSet set) {
        List<Path> written = new ArrayList<>();
        Set<String> hookKeys = new LinkedHashSet<>();
        Map<String, String> metricOf = new LinkedHashMap<>();
        Set<String> gated = new LinkedHashSet<>();
        for (Round r : rounds) {
            hookKeys.addAll(r.hookNumbers().keySet());
            for (PhaseNumbers p : r.phases()) {
                metricOf.putIfAbsent(p.name(), p.metric());
                if (!p.gate().isEmpty()) {
                    gated.add(p.name());
                }
            }
        }
        double[] x = new double[rounds.size()];
        for (int i = 0; i < x.length; i++) {
            x[i] = rounds.get(i).round();
        }

        // the summary: one row per round
        List<String> header = new ArrayList<>(List.of("round"));
        header.addAll(hookKeys);
        for (var e : metricOf.entrySet()) {
            header.add(e.getKey() + "_epochs");
            header.add(e.getKey() + "_best_" + e.getValue());
            if (gated.contains(e.getKey())) {
                for (String f : GATE_FIELDS) {
                    header.add(e.getKey() + "_" + f + "_last");
                }
            }
        }
        StringBuilder csv = new StringBuilder(String.join(",", header)).append('\n');
        for (Round r : rounds) {
            List<String> row = new ArrayList<>(List.of(Integer.toString(r.round())));
            for (String k : hookKeys) {
                row.add(format(r.hookNumbers().getOrDefault(k, Double.NaN)));
            }
            for (String name : metricOf.keySet()) {
                PhaseNumbers p = phase(r, name);
                row.add(p == null ? "" : Integer.toString(p.epochs()));
                row.add(format(p == null ? Double.NaN : p.best()));
                if (gated.contains(name)) {
                    for (String f : GATE_FIELDS) {
                        row.add(format(p == null ? Double.NaN : p.lastGate(f)));
                    }
                }
            }
            csv.append(String.join(",", row)).append('\n');
        }
        set.writeString(dir.resolve(SUMMARY), csv.toString());
        written.add(dir.resolve(SUMMARY));

        // figures against the round
        Set<String> metrics = new TreeSet<>(metricOf.values());
        String metricName = metrics.size() == 1 ? metrics.iterator().next() : "validation";
        Map<String, double[]> best = new LinkedHashMap<>();
        for (String name : metricOf.keySet()) {
            best.put(name, perRound(rounds, r -> {
                PhaseNumbers p = phase(r, name);
                return p == null ? Double.NaN : p.best();
            }));
        }
        figure(dir, metricName, "best " + label(metricName) + " per round", "round", label(metricName), x, best, set,
                written);
        if (hookKeys.contains("nmi") || hookKeys.contains("purity")) {
            Map<String, double[]> quality = new LinkedHashMap<>();
            for (String k : List.of("nmi", "purity")) {
                if (hookKeys.contains(k)) {
                    quality.put(k, perRound(rounds, r -> r.hookNumbers().getOrDefault(k, Double.NaN)));
                }
            }
            figure(dir, "nmi", "pseudo-labels against the true speakers", "round", "NMI, purity", x, quality, set,
                    written);
        }
        if (!gated.isEmpty()) {
            Map<String, double[]> share = new LinkedHashMap<>();
            Map<String, double[]> purity = new LinkedHashMap<>();
            for (String name : gated) {
                share.put(name, perRound(rounds, r -> lastGate(r, name, "under_share")));
                purity.put(name + " under the gate", perRound(rounds, r -> lastGate(r, name, "under_purity")));
                purity.put(name + " above the gate", perRound(rounds, r -> lastGate(r, name, "above_purity")));
            }
            if (hookKeys.contains("purity")) {
                purity.put("all (clustering purity)", perRound(rounds,
                        r -> r.hookNumbers().getOrDefault("purity", Double.NaN)));
            }
            figure(dir, "gate-share", "share of samples under the gate (last epoch of the phase)", "round",
                    "share under the gate", x, share, set, written);
            figure(dir, "gate-purity", "right pseudo-labels under and above the gate (last epoch of the phase)",
                    "round", "share with the right label", x, purity, set, written);
        }

        // each round's own folder
        for (Round r : rounds) {
            written.addAll(writeRound(dir.resolve("round-" + r.round()), r, metricName, set));
        }
        return written;
    }

    private static List<Path> writeRound(Path dir, Round r, String metricName, AtomicFiles.FileSet set) {
        List<Path> written = new ArrayList<>();
        ObjectNode o = JSON.createObjectNode();
        o.put("round", r.round());
        ObjectNode hooks = o.putObject("clusters");
        r.hookNumbers().forEach((k, v) -> put(hooks, k, v));
        ArrayNode phases = o.putArray("phases");
        TreeSet<Integer> epochs = new TreeSet<>();
        for (PhaseNumbers p : r.phases()) {
            ObjectNode po = phases.addObject();
            po.put("phase", p.name());
            po.put("metric", p.metric());
            po.put("epochs", p.epochs());
            put(po, "best", p.best());
            ArrayNode v = po.putArray("validation");
            p.validation().forEach((e, value) -> put(v.addObject().put("epoch", e), p.metric(), value));
            ArrayNode g = po.putArray("gate");
            p.gate().values().forEach(line -> {
                ObjectNode c = line.deepCopy();
                c.remove("type");
                g.add(c);
            });
            epochs.addAll(p.validation().keySet());
            epochs.addAll(p.gate().keySet());
        }
        try {
            set.writeString(dir.resolve("round.json"), JSON.writerWithDefaultPrettyPrinter().writeValueAsString(o)
                    + "\n");
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
        written.add(dir.resolve("round.json"));
        if (epochs.isEmpty()) {
            return written;
        }
        double[] x = epochs.stream().mapToDouble(Integer::doubleValue).toArray();
        Map<String, double[]> metric = new LinkedHashMap<>();
        Map<String, double[]> gate = new LinkedHashMap<>();
        for (PhaseNumbers p : r.phases()) {
            if (!p.validation().isEmpty()) {
                metric.put(p.name(), perEpoch(epochs, e -> p.validation().getOrDefault(e, Double.NaN)));
            }
            if (!p.gate().isEmpty()) {
                for (String f : List.of("under_share", "under_purity", "above_purity")) {
                    gate.put(p.name() + " " + f.replace('_', ' '), perEpoch(epochs,
                            e -> p.gate().containsKey(e) ? number(p.gate().get(e).get(f)) : Double.NaN));
                }
            }
        }
        if (!metric.isEmpty()) {
            figure(dir, metricName, "round " + r.round() + ": " + label(metricName) + " by epoch", "epoch of the phase",
                    label(metricName), x, metric, set, written);
        }
        if (!gate.isEmpty()) {
            figure(dir, "gate", "round " + r.round() + ": the gate by epoch", "epoch of the phase",
                    "share", x, gate, set, written);
        }
        return written;
    }

    /** A PNG and the CSV of its numbers ({@code xTitle} column, then one per series) into the set. */
    private static void figure(Path dir, String name, String title, String xTitle, String yTitle, double[] x,
                               Map<String, double[]> series, AtomicFiles.FileSet set, List<Path> written) {
        StringBuilder csv = new StringBuilder(column(xTitle));
        series.keySet().forEach(k -> csv.append(',').append(column(k)));
        csv.append('\n');
        for (int i = 0; i < x.length; i++) {
            csv.append(format(x[i]));
            for (double[] y : series.values()) {
                csv.append(',').append(format(y[i]));
            }
            csv.append('\n');
        }
        Path png = dir.resolve(name + ".png");
        Path data = dir.resolve(name + ".csv");
        set.write(png, Plots.png(Plots.lines(x, series, title, xTitle, yTitle)));
        set.writeString(data, csv.toString());
        written.add(png);
        written.add(data);
    }

    private static PhaseNumbers phase(Round r, String name) {
        for (PhaseNumbers p : r.phases()) {
            if (p.name().equals(name)) {
                return p;
            }
        }
        return null;
    }

    private static double lastGate(Round r, String name, String field) {
        PhaseNumbers p = phase(r, name);
        return p == null ? Double.NaN : p.lastGate(field);
    }

    private static double[] perRound(List<Round> rounds, java.util.function.ToDoubleFunction<Round> f) {
        return rounds.stream().mapToDouble(f).toArray();
    }

    private static double[] perEpoch(TreeSet<Integer> epochs, java.util.function.IntToDoubleFunction f) {
        return epochs.stream().mapToDouble(e -> f.applyAsDouble(e)).toArray();
    }

    private static String label(String metric) {
        return metric.equals("eer") ? "EER (%)" : metric;
    }

    /** A CSV header field: the name with spaces as underscores (no quoting needed). */
    private static String column(String name) {
        return name.replaceAll("[^A-Za-z0-9_.-]+", "_");
    }

    private static double number(JsonNode n) {
        return n == null || !n.isNumber() ? Double.NaN : n.asDouble();
    }

    private static void put(ObjectNode o, String key, double v) {
        if (Double.isFinite(v)) {
            o.put(key, v);
        } else {
            o.putNull(key);
        }
    }

    /** A CSV number: empty for NaN, whole numbers without a fraction, else Java's shortest round-trip form. */
    static String format(double v) {
        if (Double.isNaN(v)) {
            return "";
        }
        if (v == Math.rint(v) && Math.abs(v) < 1e15) {
            return Long.toString((long) v);
        }
        return Double.toString(v);
    }
}
