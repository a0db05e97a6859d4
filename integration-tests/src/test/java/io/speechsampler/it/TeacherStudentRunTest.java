package io.speechsampler.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.speechsampler.audio.synth.ProgressListener;
import io.speechsampler.audio.synth.SynthSpec;
import io.speechsampler.audio.synth.SyntheticCorpus;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code examples/mixit/teacher-student.yaml}: a MixIT teacher phase, then a PIT student whose
 * targets are the frozen teacher's outputs inside each step ({@code teacher: phase:teacher},
 * resolved to that phase's checkpoint and recorded in the student's config).
 */
class TeacherStudentRunTest {

    @TempDir
    Path tmp;

    @Test
    void theStudentTrainsOnTheFrozenTeachersOutputs() throws IOException {
        Path corpus = tmp.resolve("corpus");
        SyntheticCorpus.write(new SynthSpec(8, 4, 0.5, 8000, 5, 2, 2), corpus, ProgressListener.NONE);
        Path run = tmp.resolve("run");
        CliRun r = CliRun.of("train", "--config", Path.of("..", "examples", "mixit", "teacher-student.yaml"), "--data",
                corpus.resolve("train"), "--out", run, "--set", "train.epochs=1", "--set", "train.max_steps_per_epoch=2",
                "--set", "sampler.segment_seconds=0.25", "--set", "batch.size=2");
        assertEquals(0, r.code(), r.err());
        String student = Files.readString(run.resolve("phases/01-student/config.yaml"));
        assertTrue(student.contains(run.resolve("phases/00-teacher/checkpoints").toAbsolutePath().toString()),
                "the teacher resolved to its checkpoint: " + student);
        long steps = Files.readAllLines(run.resolve("phases/01-student/metrics.jsonl")).stream()
                .filter(l -> l.contains("\"type\":\"step\"") && !l.contains("\"loss\":null")
                        && !l.contains("\"mean_metric\":null")).count();
        assertEquals(2, steps, "two student steps, each with a loss and a metric against the true sources");

        // the teacher's 4 outputs on 2-source test mixtures: best single outputs, oracle merge, over-separation
        Path report = tmp.resolve("teacher-eval");
        CliRun eval = CliRun.of("evaluate", "--checkpoint", run.resolve("phases/00-teacher"), "--data",
                corpus.resolve("test"), "--out", report);
        assertEquals(0, eval.code(), eval.err());
        com.fasterxml.jackson.databind.JsonNode summary = new com.fasterxml.jackson.databind.ObjectMapper()
                .readTree(report.resolve("summary.json").toFile());
        assertEquals(4, summary.get("outputs").asInt());
        double over = summary.get("over_separation_percent").asDouble();
        assertTrue(over >= 0 && over <= 100, summary.toString());
        List<String> rows = Files.readAllLines(report.resolve("si_snri.csv"));
        assertEquals("mixture,sources,gains_db,si_snri_db,merged_si_snri_db,active_outputs", rows.get(0));
        long overRows = rows.stream().skip(1).filter(l -> Integer.parseInt(l.substring(l.lastIndexOf(',') + 1)) >= 3)
                .count();
        assertEquals(over, 100.0 * overRows / (rows.size() - 1), 1e-9, "the rate is the share of rows with 3+ active");
        double merged = rows.stream().skip(1).mapToDouble(l -> Double.parseDouble(l.split(",")[4])).average()
                .orElseThrow();
        assertEquals(summary.get("merged_si_snri_db").asDouble(), merged, 1e-3, "the mean of the rows' merges");

        CliRun fresh = CliRun.of("train", "--config", Path.of("..", "examples", "mixit", "teacher-student.yaml"),
                "--data", corpus.resolve("train"), "--out", tmp.resolve("bad"), "--set", "phases[1].task.teacher=nowhere");
        assertEquals(2, fresh.code(), fresh.err());
        assertTrue(fresh.err().contains("nowhere"), fresh.err());
        assertTrue(!Files.exists(tmp.resolve("bad/phases")), "refused before the teacher phase trained");
    }
}
