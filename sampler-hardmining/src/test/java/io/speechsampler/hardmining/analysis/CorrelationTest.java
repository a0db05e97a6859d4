package io.speechsampler.hardmining.analysis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CorrelationTest {

    @TempDir
    Path dir;

    @Test
    void pearsonByHand() {
        // x = 1,2,3; y = 1,3,2: means 2, 2; sum dxdy = 1, sum dx^2 = 2, sum dy^2 = 2 -> 0.5
        assertEquals(0.5, Correlation.pearson(new double[] {1, 2, 3}, new double[] {1, 3, 2}), 1e-15);
        assertEquals(-1.0, Correlation.pearson(new double[] {1, 2, 3}, new double[] {6, 4, 2}), 1e-15);
        assertTrue(Double.isNaN(Correlation.pearson(new double[] {1, 2}, new double[] {5, 5})));
        assertEquals(0.5, Correlation.pearson(new double[] {1, 2, Double.NaN, 3}, new double[] {1, 3, 9, 2}), 1e-15);
    }

    @Test
    void rowsAndCoefficientsFromLookups() throws Exception {
        List<Correlation.Mixture> mixtures = List.of(
                new Correlation.Mixture("m1", List.of("a", "b"), 5.0),
                new Correlation.Mixture("m2", List.of("a", "c"), 10.0),
                new Correlation.Mixture("m3", List.of("b", "c"), 15.0),
                new Correlation.Mixture("m4", List.of("d", "a"), 7.0));
        Map<String, Double> f0 = Map.of("a", 100.0, "b", 110.0, "c", 130.0, "d", Double.NaN);
        Map<String, float[]> xv = Map.of("a", new float[] {1, 0}, "b", new float[] {1, 1},
                "c", new float[] {0, 1}, "d", new float[] {-1, 0});
        Map<String, Double> energy = Map.of("a", -20.0, "b", -26.0, "c", -23.0, "d", -20.0);
        Correlation.Report r = Correlation.analyse(mixtures, f0, xv, energy);

        assertEquals(30.0, r.rows().get(1).pitchDiffHz());
        assertTrue(Double.isNaN(r.rows().get(3).pitchDiffHz()));
        assertEquals(1 - Math.sqrt(0.5), r.rows().get(0).xvectorDistance(), 1e-12);
        assertEquals(2.0, r.rows().get(3).xvectorDistance(), 1e-12);
        assertEquals(3.0, r.rows().get(2).energyRatioDb());
        // pitch: S = 5, 10, 15 against P = 10, 30, 20 -> 0.5 over 3 mixtures
        assertEquals(0.5, r.pitchRho(), 1e-12);
        assertEquals(3, r.pitchCount());
        assertEquals(4, r.xvectorCount());
        // energy: S = 5, 10, 15, 7 against P = 6, 3, 3, 0
        assertEquals(Correlation.pearson(new double[] {5, 10, 15, 7}, new double[] {6, 3, 3, 0}), r.energyRho(), 0);

        Path csv = dir.resolve("corr.csv");
        r.writeCsv(csv);
        List<String> lines = Files.readAllLines(csv);
        assertEquals(Correlation.Report.HEADER, lines.get(0));
        assertEquals("m2,10.0,30.0," + r.rows().get(1).xvectorDistance() + ",3.0", lines.get(2));
        assertEquals(5, lines.size());
    }
}
