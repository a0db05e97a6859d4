package io.speechsampler.cli;

import io.speechsampler.api.io.AtomicFiles;
import io.speechsampler.api.io.TextLines;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.speechsampler.api.config.ConfigException;
import io.speechsampler.api.io.KaldiVectors;
import io.speechsampler.audio.pitch.PitchTable;
import io.speechsampler.api.corpus.Corpus;
import io.speechsampler.api.corpus.CorpusReader;
import io.speechsampler.api.corpus.Utterance;
import io.speechsampler.hardmining.analysis.Correlation;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import javax.imageio.ImageIO;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code sampler analyze}: the hard-mining paper's correlation analysis (Wang et al., ICASSP 2022,
 * section 2.2, Fig. 2) of an evaluation's per-mixture SI-SNRi against the two speakers' median
 * f0 difference, x-vector cosine distance and energy ratio.
 */
@Command(name = "analyze", header = "Correlates SI-SNRi with the speakers' pitch, x-vector and energy.", mixinStandardHelpOptions = true,
        description = {"Correlates each test mixture's SI-SNRi (si_snri.csv of 'sampler evaluate') with its first two",
                "sources' |median f0 difference|, x-vector cosine distance and energy ratio (dB, from the audio).",
                "Writes correlation.csv, correlations.json (Pearson rho and mixtures used per parameter) and",
                "fig2.png (sorted SI-SNRi with each parameter against the same order); prints the coefficients."})
final class AnalyzeCommand implements Callable<Integer> {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Option(names = "--eval", required = true, description = "output folder of 'sampler evaluate' (with si_snri.csv)")
    Path eval;

    @Option(names = "--pitch", description = {"pitch TSV of the evaluated corpus ('sampler pitch');",
            "without it, median f0 is computed with YIN from --data"})
    Path pitch;

    @Option(names = "--embeddings", description = "Kaldi text ark of the evaluated corpus's x-vectors ('sampler embed')")
    Path embeddings;

    @Option(names = "--data", description = "the evaluated corpus: energy ratios are computed from its audio")
    Path data;

    @Option(names = "--out", required = true, description = "output folder")
    Path out;

    @Override
    public Integer call() throws IOException {
        AtomicFiles.checkFolder(out);
        List<Correlation.Mixture> mixtures = readSiSnri(eval.resolve("si_snri.csv"));
        Set<String> sources = new LinkedHashSet<>();
        for (Correlation.Mixture m : mixtures) {
            sources.addAll(m.sources().subList(0, Math.min(2, m.sources().size())));
        }
        if (pitch == null && data == null) {
            throw new ConfigException("analyze needs --pitch FILE (from 'sampler pitch') or --data DIR to compute pitch");
        }
        Map<String, Double> f0 = null;
        if (pitch != null) {
            f0 = PitchTable.read(pitch);
            requireAll(f0.keySet(), sources, pitch, "a pitch line");
        }
        Map<String, float[]> xvectors = Map.of();
        if (embeddings != null) {
            xvectors = KaldiVectors.read(embeddings);
            requireAll(xvectors.keySet(), sources, embeddings, "an x-vector");
        }
        Map<String, Double> energy = Map.of();
        if (data != null) {
            Corpus corpus = CorpusReader.read(data);
            for (String id : sources) {
                if (corpus.indexOf(id).isEmpty()) {
                    throw new ConfigException(data + ": source '" + id + "' of " + eval.resolve("si_snri.csv")
                            + " is not in this corpus; expected the corpus that was evaluated");
                }
            }
            int threads = Runtime.getRuntime().availableProcessors();
            List<Utterance> used = UtteranceFeatures.select(corpus, sources);
            energy = UtteranceFeatures.energyDb(used, threads);
            if (f0 == null) {
                f0 = UtteranceFeatures.medianF0(used, threads);
            }
        }
        Correlation.Report r = Correlation.analyse(mixtures, f0, xvectors, energy);
        ObjectNode o = JSON.createObjectNode();
        o.put("eval", eval.toAbsolutePath().toString());
        o.put("mixtures", mixtures.size());
        putCoefficient(o, "pitch_diff_hz", r.pitchRho(), r.pitchCount());
        putCoefficient(o, "xvector_distance", embeddings == null ? Double.NaN : r.xvectorRho(), r.xvectorCount());
        putCoefficient(o, "energy_ratio_db", data == null ? Double.NaN : r.energyRho(), r.energyCount());
        BufferedImage figure = CorrelationFigure.render(r, embeddings != null, data != null);
        // the three files appear together or not at all: never a new csv beside an old figure
        try (AtomicFiles.FileSet files = AtomicFiles.fileSet()) {
            files.writeText(out.resolve("correlation.csv"), r::writeCsv)
                    .writeString(out.resolve("correlations.json"),
                            JSON.writerWithDefaultPrettyPrinter().writeValueAsString(o) + "\n")
                    .write(out.resolve("fig2.png"), s -> ImageIO.write(figure, "png", s))
                    .commit();
        }
        System.out.printf("analyze: Pearson rho of SI-SNRi with |f0 difference| %s (%d mixtures), x-vector distance"
                + " %s (%d), energy ratio %s (%d)%n", format(r.pitchRho()), r.pitchCount(),
                embeddings == null ? "n/a" : format(r.xvectorRho()), r.xvectorCount(),
                data == null ? "n/a" : format(r.energyRho()), r.energyCount());
        System.out.println("analyze: " + out.resolve("correlations.json") + ", " + out.resolve("fig2.png"));
        return 0;
    }

    private static String format(double rho) {
        return Double.isNaN(rho) ? "nan" : String.format(Locale.ROOT, "%.3f", rho);
    }

    private static void putCoefficient(ObjectNode o, String name, double rho, int count) {
        ObjectNode c = o.putObject(name);
        if (Double.isFinite(rho)) {
            c.put("pearson_rho", rho);
        } else {
            c.putNull("pearson_rho");
        }
        c.put("mixtures", Double.isFinite(rho) ? count : 0);
    }

    private static void requireAll(Set<String> have, Set<String> needed, Path file, String what) {
        List<String> missing = needed.stream().filter(id -> !have.contains(id)).toList();
        if (!missing.isEmpty()) {
            throw new ConfigException(file + ": no entry for " + missing.size() + " source utterances of the evaluation"
                    + " (e.g. '" + missing.get(0) + "'); expected " + what + " for every source");
        }
    }

    /** Reads the {@code mixture,sources,gains_db,si_snri_db} CSV that {@code sampler evaluate} writes. */
    static List<Correlation.Mixture> readSiSnri(Path csv) {
        List<Correlation.Mixture> out = new ArrayList<>();
        List<String> header = new ArrayList<>();
        int[] col = new int[3];
        TextLines.forEach(csv, "", "not found; expected the si_snri.csv of a 'sampler evaluate' output folder",
                (line, no) -> {
            if (header.isEmpty()) {
                header.addAll(Arrays.asList(line.trim().split(",", -1)));
                col[0] = header.indexOf("mixture");
                col[1] = header.indexOf("sources");
                col[2] = header.indexOf("si_snri_db");
                if (col[0] < 0 || col[1] < 0 || col[2] < 0) {
                    throw new ConfigException(csv + " line " + no + ": expected columns mixture, sources and "
                            + "si_snri_db, got '" + line + "'");
                }
                return;
            }
            String[] f = line.split(",", -1);
            if (f.length != header.size()) {
                throw new ConfigException(csv + " line " + no + ": expected " + header.size() + " fields, got "
                        + f.length + ": '" + line + "'");
            }
            double v;
            try {
                v = Double.parseDouble(f[col[2]]);
            } catch (NumberFormatException e) {
                throw new ConfigException(csv + " line " + no + ": si_snri_db is not a number: '" + f[col[2]] + "'");
            }
            List<String> ids = Arrays.asList(f[col[1]].split("\\+", -1));
            if (ids.stream().anyMatch(String::isEmpty)) {
                throw new ConfigException(csv + " line " + no + ": sources must be utterance ids joined by '+',"
                        + " got '" + f[col[1]] + "'");
            }
            out.add(new Correlation.Mixture(f[col[0]], ids, v));
        });
        if (header.isEmpty()) {
            throw new ConfigException(csv + ": empty; expected a header 'mixture,sources,gains_db,si_snri_db'");
        }
        if (out.isEmpty()) {
            throw new ConfigException(csv + ": no mixtures");
        }
        return out;
    }
}
