package io.speechsampler.lossgate;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.speechsampler.api.config.ConfigException;
import io.speechsampler.api.config.RunConfig;
import io.speechsampler.api.corpus.Corpus;
import io.speechsampler.api.corpus.Labels;
import io.speechsampler.api.corpus.Utterance;
import io.speechsampler.api.draw.Draw;
import io.speechsampler.api.draw.ItemDraw;
import io.speechsampler.api.draw.MixtureDraw;
import io.speechsampler.api.draw.Source;
import io.speechsampler.api.registry.ProviderRegistry;
import io.speechsampler.core.pipeline.Pipeline;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What the gate measures, on a case worked by hand: speakers A (a1-a3), B (b1, b2), C (c1);
 * pseudo-labels k0 = {a1, a2}, k1 = {a3, b1, b2}, k2 = {c1}, so the majorities are A, B, C and only
 * a3's label is wrong (purity 5/6).
 */
class LossGatePurityTest {

    private static final String LABELS = "a1\tk0\na2\tk0\na3\tk1\nb1\tk1\nb2\tk1\nc1\tk2\n";

    @TempDir
    Path dir;

    private static Corpus corpus(String... idSpeaker) {
        List<Utterance> u = new ArrayList<>();
        for (int i = 0; i < idSpeaker.length; i += 2) {
            u.add(new Utterance(idSpeaker[i], idSpeaker[i + 1], Path.of("/synthetic/" + idSpeaker[i] + ".wav"), 0,
                    16_000, 16_000, List.of()));
        }
        return Corpus.of(Path.of("/synthetic"), u);
    }

    private static final Corpus CORPUS = corpus("a1", "A", "a2", "A", "a3", "A", "b1", "B", "b2", "B", "c1", "C");

    private LossGate gate(double g, int open) throws IOException {
        Path f = Files.writeString(dir.resolve("labels.tsv"), LABELS);
        return LossGate.of(g, open, Labels.read(f, CORPUS), CORPUS);
    }

    private static List<Draw> draws(String... ids) {
        List<Draw> d = new ArrayList<>();
        for (String id : ids) {
            d.add(ItemDraw.of(id));
        }
        return d;
    }

    @Test
    void underAndAbovePuritiesCountRightLabelsOnEachSideOfTheGate() throws IOException {
        LossGate g = gate(2, 0);
        // under 2: a1, b1, c1 (all right); above: a3 (wrong)
        assertArrayEquals(new double[] {1, 0, 1, 1}, g.weights(draws("a1", "a3", "b1", "c1"),
                new double[] {0.5, 3.0, 1.0, 2.0}, new double[4]));
        // under: b2 (right); above: a2 (right)
        g.weights(draws("a2", "b2"), new double[] {5, 0.1}, new double[2]);
        g.endEpoch(0);
        LossGate.EpochCount c = g.history().get(0);
        assertEquals(new LossGate.EpochCount(0, 4, 6, 4, 4, 1), c);
        assertEquals(4 / 6.0, c.underShare(), 1e-15);
        assertEquals(1.0, c.underPurity(), 1e-15);
        assertEquals(0.5, c.abovePurity(), 1e-15);
        assertEquals(5 / 6.0, c.underShare() * c.underPurity() + (1 - c.underShare()) * c.abovePurity(), 1e-15,
                "each utterance weighed once: the two sides average to the clustering's purity");

        Map<String, Double> line = g.epochReport(0);
        assertEquals(List.of("gate", "open", "seen", "trained", "under", "under_share", "under_purity",
                "above_purity"), List.copyOf(line.keySet()));
        assertEquals(List.of(2.0, 0.0, 6.0, 4.0, 4.0, 4 / 6.0, 1.0, 0.5), List.copyOf(line.values()));
        assertEquals("gate", g.reportType());
        assertTrue(g.epochReport(1).isEmpty(), "an epoch that has not ended has no line");
    }

    /** Open, every sample trains; the gate still counts the ones under it and their labels (phase T measured). */
    @Test
    void anOpenGateTrainsEverySampleAndStillMeasures() throws IOException {
        LossGate g = gate(1, 1);
        assertArrayEquals(new double[] {1, 1, 1}, g.weights(draws("a3", "b1", "b2"), new double[] {0.2, 4, 0.9},
                new double[3]));
        g.endEpoch(0);
        assertEquals(new LossGate.EpochCount(0, 3, 3, 2, 1, 1), g.history().get(0), "under: a3 (wrong), b2 (right)");
        assertEquals(1.0, g.epochReport(0).get("open"));
        assertEquals(0.5, g.epochReport(0).get("under_purity"), 1e-15);
        assertEquals(1.0, g.epochReport(0).get("above_purity"), 1e-15);
    }

    @Test
    void aSideWithNoSamplesHasNoPurity() throws IOException {
        LossGate g = gate(10, 0);
        g.weights(draws("a1", "a3"), new double[] {1, 2}, new double[2]);
        g.endEpoch(0);
        assertEquals(0.5, g.history().get(0).underPurity(), 1e-15);
        assertTrue(Double.isNaN(g.history().get(0).abovePurity()), "nothing above the gate");
    }

    @Test
    void theCountsGoThroughSaveAndRestoreMidEpoch() throws IOException {
        LossGate g = gate(2, 0);
        g.weights(draws("a1", "a3", "b1", "c1"), new double[] {0.5, 3.0, 1.0, 2.0}, new double[4]);
        g.endEpoch(0);
        g.weights(draws("a2", "b2"), new double[] {5, 0.1}, new double[2]);
        String saved = new ObjectMapper().writeValueAsString(g.saveState());
        LossGate r = gate(2, 0);
        r.restoreState(new ObjectMapper().readTree(saved));
        g.endEpoch(1);
        r.endEpoch(1);
        assertEquals(g.history(), r.history());
        assertEquals(new LossGate.EpochCount(1, 1, 2, 1, 1, 1), r.history().get(1));
    }

    @Test
    void fromYamlWithLabelsTheGateMeasuresAndOtherwiseItDoesNot() throws IOException {
        Files.writeString(dir.resolve("labels.tsv"), LABELS);
        assertTrue(gateOf(CORPUS, ", labels: labels.tsv").measuresPurity());
        assertFalse(gateOf(CORPUS, "").measuresPurity());
        Corpus ownSpeakers = corpus("a1", "a1", "a2", "a2", "a3", "a3", "b1", "b1", "b2", "b2", "c1", "c1");
        assertFalse(gateOf(ownSpeakers, ", labels: labels.tsv").measuresPurity(),
                "each utterance its own speaker: no truth to measure against");
        ConfigException missing = assertThrows(ConfigException.class, () -> gateOf(CORPUS, ", labels: none.tsv"));
        assertTrue(missing.getMessage().contains("gate.yaml line") && missing.getMessage().contains("none.tsv"),
                missing.getMessage());
    }

    @Test
    void aDrawWithoutAPseudoLabelOrOfSeveralUtterancesIsRefused() throws IOException {
        Corpus more = corpus("a1", "A", "a2", "A", "a3", "A", "b1", "B", "b2", "B", "c1", "C", "d1", "D");
        Path f = Files.writeString(dir.resolve("labels.tsv"), LABELS);
        LossGate g = LossGate.of(2, 0, Labels.read(f, more), more);
        ConfigException e = assertThrows(ConfigException.class, () -> g.weights(draws("d1"), new double[] {1},
                new double[1]));
        assertTrue(e.getMessage().contains("d1") && e.getMessage().contains("labels.tsv"), e.getMessage());
        MixtureDraw mix = MixtureDraw.of(List.of(Source.of("a1", 0, 0), Source.of("b1", 0, 0)), 100);
        IllegalArgumentException two = assertThrows(IllegalArgumentException.class,
                () -> g.weights(List.of(mix), new double[] {1}, new double[1]));
        assertTrue(two.getMessage().contains("one utterance"), two.getMessage());
    }

    private LossGate gateOf(Corpus corpus, String extra) {
        RunConfig cfg = RunConfig.parse("seed: 3\nsampler: shuffle\nbatch: {name: fixed, size: 3}\nweighting: "
                + "{name: loss-gate, gate: 2" + extra + "}\n", "gate.yaml", dir);
        return (LossGate) Pipeline.build(cfg, corpus, ProviderRegistry.load(), 0, 1).weighting();
    }
}
