package io.speechsampler.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.speechsampler.api.config.Phase;
import io.speechsampler.api.config.Recipe;
import io.speechsampler.run.RoundsReport;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The rounds report read from hand-written run folder files of {@code examples/lgl/lgl.yaml}
 * (nothing trains): round 1 complete, round 2 clustered and its open phase one epoch in, its gated
 * phase not started. Every number in the summary is worked out from the lines below.
 */
class RoundsReportTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path run;

    private void write(String relative, String text) throws IOException {
        Path f = run.resolve(relative);
        Files.createDirectories(f.getParent());
        Files.writeString(f, text);
    }

    private static String gate(int epoch, double gate, int open, int seen, int trained, int under, String purities) {
        return "{\"type\":\"gate\",\"epoch\":" + epoch + ",\"gate\":" + gate + ",\"open\":" + open + ",\"seen\":" + seen
                + ",\"trained\":" + trained + ",\"under\":" + under + ",\"under_share\":" + (under / (double) seen)
                + purities + "}\n";
    }

    @Test
    void theSummaryHoldsEachRoundsClustersBestEerAndLastGateEpoch() throws IOException {
        List<Phase> phases = Recipe.load(Path.of("..", "examples", "lgl", "lgl.yaml"),
                List.of("phases[1].repeat=2", "phases[1].phases[0].weighting.gate={per_round: [1, 3]}",
                        "phases[1].phases[1].weighting.gate={per_round: [1, 3]}")).phases();
        String r1 = "phases/01-lgl/round-1/";
        write("labels-1.tsv.json", "{\"phase\":\"lgl/round-1/open\",\"round\":1,\"clusters\":4,\"purity\":0.75,"
                + "\"nmi\":0.5,\"speakers_known\":true}\n");
        write(r1 + "00-open/hooks.json", "[{\"hook\":\"embed-and-cluster\",\"files\":{\"labels-1.tsv\":\"x\","
                + "\"labels-1.tsv.json\":\"y\"}}]\n");
        write(r1 + "00-open/metrics.jsonl", "{\"type\":\"step\",\"epoch\":0,\"step\":0,\"loss\":2.0}\n"
                + gate(0, 1, 1, 10, 10, 4, ",\"under_purity\":1.0,\"above_purity\":0.5")
                + "{\"type\":\"validation\",\"epoch\":0,\"score\":-30.0,\"best\":true}\n"
                + gate(1, 1, 1, 10, 10, 6, ",\"under_purity\":0.8333333333333334,\"above_purity\":0.25")
                + "{\"type\":\"validation\",\"epoch\":1,\"score\":-25.0,\"best\":true}\n");
        write(r1 + "01-gated/metrics.jsonl", gate(0, 1, 0, 10, 5, 5, ",\"under_purity\":1.0,\"above_purity\":null")
                + "{\"type\":\"validation\",\"epoch\":0,\"score\":-20.0,\"best\":true}\n"
                + "{\"type\":\"validation\",\"epoch\":1,\"score\":-22.5,\"best\":false}\n");
        String r2 = "phases/01-lgl/round-2/";
        write("labels-2.tsv.json", "{\"round\":2,\"clusters\":4,\"purity\":0.9,\"nmi\":0.7}\n");
        write(r2 + "00-open/hooks.json", "[{\"hook\":\"embed-and-cluster\",\"files\":{\"labels-2.tsv.json\":\"y\"}}]\n");
        write(r2 + "00-open/metrics.jsonl", gate(0, 3, 1, 10, 10, 9, ",\"under_purity\":0.9,\"above_purity\":0.0")
                + "{\"type\":\"validation\",\"epoch\":0,\"score\":-15.0,\"best\":true}\n");

        RoundsReport.write(run, phases);

        List<String> csv = Files.readAllLines(run.resolve("report/lgl/rounds.csv"));
        assertEquals(List.of("round,clusters,purity,nmi,"
                        + "open_epochs,open_best_eer,open_gate_last,open_under_share_last,open_under_purity_last,"
                        + "open_above_purity_last,"
                        + "gated_epochs,gated_best_eer,gated_gate_last,gated_under_share_last,gated_under_purity_last,"
                        + "gated_above_purity_last",
                "1,4,0.75,0.5,2,25,1,0.6,0.8333333333333334,0.25,2,20,1,0.5,1,",
                "2,4,0.9,0.7,1,15,3,0.9,0.9,0,0,,,,,"), csv,
                "best EER is the smallest of minus the scores; gate numbers are the phase's last epoch's; "
                        + "a purity of no samples and a phase not started are empty");
        assertEquals(List.of("round,nmi,purity", "1,0.5,0.75", "2,0.7,0.9"),
                Files.readAllLines(run.resolve("report/lgl/nmi.csv")));
        assertEquals(List.of("round,open,gated", "1,0.6,0.5", "2,0.9,"),
                Files.readAllLines(run.resolve("report/lgl/gate-share.csv")));
        assertEquals(List.of("round,open,gated", "1,25,20", "2,15,"), Files.readAllLines(run.resolve("report/lgl/eer.csv")));
        assertEquals(List.of("epoch_of_the_phase,open,gated", "0,30,20", "1,25,22.5"),
                Files.readAllLines(run.resolve("report/lgl/round-1/eer.csv")));
        assertEquals("epoch_of_the_phase,open_under_share,open_under_purity,open_above_purity,gated_under_share,"
                + "gated_under_purity,gated_above_purity", Files.readAllLines(run.resolve(
                "report/lgl/round-1/gate.csv")).get(0));
        assertEquals("1,0.6,0.8333333333333334,0.25,,,", Files.readAllLines(run.resolve(
                "report/lgl/round-1/gate.csv")).get(2), "the gated phase validated at epoch 1 but had one gate line");
        for (String png : List.of("eer", "nmi", "gate-share", "gate-purity", "round-1/eer", "round-1/gate",
                "round-2/eer", "round-2/gate")) {
            byte[] head = Files.readAllBytes(run.resolve("report/lgl/" + png + ".png"));
            assertTrue(head.length > 8 && head[1] == 'P' && head[2] == 'N' && head[3] == 'G', png + " is a PNG");
        }
        JsonNode round2 = JSON.readTree(run.resolve("report/lgl/round-2/round.json").toFile());
        assertEquals(0.7, round2.get("clusters").get("nmi").asDouble());
        assertEquals(0, round2.get("phases").get(1).get("epochs").asInt(), "the gated phase has not started");
        assertTrue(round2.get("phases").get(1).get("best").isNull());
        assertFalse(Files.exists(run.resolve("report/contrastive")), "a phase outside the rounds has no report");
    }
}
