package io.speechsampler.it;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.speechsampler.cli.Main;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code sampler plan} as a user runs it, on a Kaldi dir of real WAV files. */
class PlanCommandTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    static Path tmp;

    static Path data;
    static Path shuffle;

    @BeforeAll
    static void corpus() throws IOException {
        data = KaldiFixture.write(tmp.resolve("kaldi"), 7, 5);
        shuffle = tmp.resolve("shuffle.yaml");
        Files.writeString(shuffle, "seed: 3\nsampler: {name: shuffle}\nbatch: {name: fixed, size: 4}\n");
    }

    private static String[] args(Object... parts) {
        return java.util.Arrays.stream(parts).map(String::valueOf).toArray(String[]::new);
    }

    private static Result run(Object... parts) {
        PrintStream oldErr = System.err;
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
        try {
            int code = Main.run(args(parts));
            return new Result(code, err.toString(StandardCharsets.UTF_8));
        } finally {
            System.setErr(oldErr);
        }
    }

    private record Result(int code, String err) {
    }

    @Test
    void deterministicAndSeedDependent() throws IOException {
        Path a = tmp.resolve("a.jsonl");
        Path b = tmp.resolve("b.jsonl");
        assertEquals(0, run("plan", "--config", shuffle, "--data", data, "--epochs", 2, "--out", a).code());
        assertEquals(0, run("plan", "--config", shuffle, "--data", data, "--epochs", 2, "--out", b).code());
        assertArrayEquals(Files.readAllBytes(a), Files.readAllBytes(b));
        List<String> lines = Files.readAllLines(a);
        assertEquals(2 * 9, lines.size(), "35 utterances in batches of 4 give 9 batches per epoch");
        JsonNode first = JSON.readTree(lines.get(0));
        assertTrue(lines.get(0).startsWith("{\"epoch\":0,\"step\":0,\"batch\":0,\"rank\":0,\"draws\":[{\"id\":"),
                lines.get(0));
        assertTrue(first.get("draws").get(0).has("id"));
        JsonNode second = JSON.readTree(lines.get(10));
        assertEquals(1, second.get("epoch").asInt());
        assertEquals(10, second.get("step").asLong(), "steps count over epochs");
        assertEquals(1, second.get("batch").asInt(), "batch counts within the epoch");
        assertNotEquals(lines.subList(0, 9), lines.subList(9, 18), "epochs are shuffled differently");
    }

    @Test
    void resumedRunEqualsUninterruptedByteForByte() throws IOException {
        Path full = tmp.resolve("full.jsonl");
        assertEquals(0, run("plan", "--config", shuffle, "--data", data, "--epochs", 3, "--out", full).code());
        for (int k : new int[] {0, 1, 9, 13, 27}) {
            Path head = tmp.resolve("head" + k + ".jsonl");
            Path tail = tmp.resolve("tail" + k + ".jsonl");
            Path state = tmp.resolve("state" + k + ".json");
            assertEquals(0, run("plan", "--config", shuffle, "--data", data, "--epochs", 3, "--save-state-at", k,
                    "--state", state, "--out", head).code());
            assertEquals(0, run("plan", "--config", shuffle, "--data", data, "--epochs", 3, "--resume", state,
                    "--out", tail).code());
            byte[] joined = concat(Files.readAllBytes(head), Files.readAllBytes(tail));
            assertArrayEquals(Files.readAllBytes(full), joined, "save at " + k);
        }
    }

    /**
     * A state with per-sample columns ({@code info-batch}'s scores): {@code --state FILE} writes
     * them to {@code FILE.bin}, {@code --resume FILE} reads them back, and a damaged one is one line.
     */
    @Test
    void aStatesBinaryPartsGoBesideItAndComeBack() throws IOException {
        Path cfg = Files.writeString(tmp.resolve("infobatch.yaml"),
                "seed: 3\nsampler: {name: shuffle}\nstages: [{name: info-batch}]\nbatch: {name: fixed, size: 4}\n");
        Path full = tmp.resolve("ib-full.jsonl");
        assertEquals(0, run("plan", "--config", cfg, "--data", data, "--epochs", 2, "--out", full).code());
        Path head = tmp.resolve("ib-head.jsonl");
        Path tail = tmp.resolve("ib-tail.jsonl");
        Path state = tmp.resolve("ib-state.json");
        assertEquals(0, run("plan", "--config", cfg, "--data", data, "--epochs", 2, "--save-state-at", 11,
                "--state", state, "--out", head).code());
        Path bin = tmp.resolve("ib-state.json.bin");
        assertTrue(Files.size(bin) > 35 * 8, "two columns of 35 utterances, twice (epoch start and now)");
        assertTrue(Files.readString(state).contains("\"$binary\" : \"ib-state.json.bin\""));
        assertEquals(0, run("plan", "--config", cfg, "--data", data, "--epochs", 2, "--resume", state,
                "--out", tail).code());
        assertArrayEquals(Files.readAllBytes(full), concat(Files.readAllBytes(head), Files.readAllBytes(tail)));
        byte[] b = Files.readAllBytes(bin);
        Files.write(bin, java.util.Arrays.copyOf(b, b.length - 1));
        Result r = run("plan", "--config", cfg, "--data", data, "--epochs", 2, "--resume", state, "--out", tail);
        assertEquals(2, r.code(), r.err());
        assertEquals(1, r.err().strip().lines().count(), r.err());
        assertTrue(r.err().contains(bin + ": ends at byte "), r.err());
    }

    @Test
    void fourRanksHaveEqualCountsAndCoverTheCorpus() throws IOException {
        Set<String> seen = new HashSet<>();
        int count = -1;
        java.util.Map<Integer, JsonNode> byBatch = new java.util.TreeMap<>();
        for (int r = 0; r < 4; r++) {
            Path out = tmp.resolve("rank" + r + ".jsonl");
            assertEquals(0, run("plan", "--config", shuffle, "--data", data, "--epochs", 1, "--rank", r, "--world", 4,
                    "--out", out).code());
            List<String> lines = Files.readAllLines(out);
            if (count < 0) {
                count = lines.size();
            }
            assertEquals(count, lines.size(), "rank " + r);
            for (int k = 0; k < lines.size(); k++) {
                JsonNode b = JSON.readTree(lines.get(k));
                assertEquals(r, b.get("rank").asInt());
                assertEquals(r + 4 * k, b.get("batch").asInt(), "rank r takes global batches r, r + 4, ...");
                byBatch.put(b.get("batch").asInt(), b);
                for (JsonNode d : b.get("draws")) {
                    boolean padding = d.has("tags") && d.get("tags").toString().contains("padding");
                    if (!padding) {
                        assertTrue(seen.add(d.get("id").asText()), "disjoint: " + d);
                    }
                }
            }
        }
        assertEquals(3, count, "9 global batches over 4 ranks: ceil(9/4) = 3, last round padded");
        assertEquals(35, seen.size(), "the union covers the corpus");

        Path single = tmp.resolve("world1.jsonl");
        assertEquals(0, run("plan", "--config", shuffle, "--data", data, "--epochs", 1, "--out", single).code());
        List<String> global = Files.readAllLines(single);
        assertEquals(java.util.stream.IntStream.range(0, 12).boxed().toList(), List.copyOf(byBatch.keySet()));
        for (int i = 0; i < 12; i++) {
            JsonNode g = JSON.readTree(global.get(i % 9));
            assertEquals(i % 9, g.get("batch").asInt());
            List<String> ids = new ArrayList<>();
            g.get("draws").forEach(d -> ids.add(d.get("id").asText()));
            List<String> fromRanks = new ArrayList<>();
            byBatch.get(i).get("draws").forEach(d -> fromRanks.add(d.get("id").asText()));
            assertEquals(ids, fromRanks, "the ranks' batch " + i + (i >= 9 ? " (padding, repeats batch " + (i % 9) + ")"
                    : "") + " put back together is the single-rank batch");
        }
    }

    @Test
    void badInputFailsWithOneClearLine() throws IOException {
        List<String[]> cases = new ArrayList<>();
        cases.add(new String[] {"sampler: {name: shufle}\nbatch: {name: fixed, size: 4}\n",
            "unknown sampler 'shufle'; available:"});
        cases.add(new String[] {"sampler: {name: shuffle}\nbatch: {name: fixed, size: 4, colour: red}\n",
            "line 2: unknown key 'batch.colour'"});
        cases.add(new String[] {"sampler: {name: shuffle}\nbatch:\n  name: fixed\n  size: 0\n",
            "line 4: 'batch.size' is not >= 1: 0"});
        cases.add(new String[] {"sampler: {name: shuffle}\nbatch: {name: fixed, size: 4}\nepochs: 3\n",
            "line 3: unknown key 'epochs'"});
        int i = 0;
        for (String[] c : cases) {
            Path cfg = tmp.resolve("bad" + i + ".yaml");
            Files.writeString(cfg, c[0]);
            Path out = tmp.resolve("bad" + i++ + ".jsonl");
            Result r = run("plan", "--config", cfg, "--data", data, "--epochs", 1, "--out", out);
            assertEquals(Main.BAD_INPUT, r.code(), r.err());
            assertTrue(r.err().contains(c[1]), r.err());
            assertTrue(r.err().contains(cfg.toString()), "names the file: " + r.err());
            assertEquals(1, r.err().strip().lines().count(), "one line: " + r.err());
            assertFalse(Files.exists(out), "no partial output");
        }
    }

    @Test
    void missingCorpusAndForeignStateAreNamed() throws IOException {
        Path out = tmp.resolve("x.jsonl");
        Result r = run("plan", "--config", shuffle, "--data", tmp.resolve("nope"), "--epochs", 1, "--out", out);
        assertEquals(Main.BAD_INPUT, r.code());
        assertTrue(r.err().contains("nope") && r.err().contains("corpus not found"), r.err());
        Path other = tmp.resolve("other.yaml");
        Files.writeString(other, "seed: 4\nsampler: {name: shuffle}\nbatch: {name: fixed, size: 4}\n");
        Path state = tmp.resolve("other-state.json");
        assertEquals(0, run("plan", "--config", other, "--data", data, "--epochs", 1, "--save-state-at", 2,
                "--state", state, "--out", tmp.resolve("o.jsonl")).code());
        r = run("plan", "--config", shuffle, "--data", data, "--epochs", 1, "--resume", state, "--out", out);
        assertEquals(Main.BAD_INPUT, r.code());
        assertTrue(r.err().contains("another config"), r.err());
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] out = new byte[a.length + b.length];
        System.arraycopy(a, 0, out, 0, a.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }

    @Test
    void aStateOfTwoRanksResumesOnThreeWithTheGlobalBatchesOfOneRank() throws IOException {
        Path full = tmp.resolve("elastic-full.jsonl");
        assertEquals(0, run("plan", "--config", shuffle, "--data", data, "--epochs", 2, "--out", full).code());
        List<String> parts = new ArrayList<>();
        for (int r = 0; r < 2; r++) {
            Path out = tmp.resolve("elastic-w2-" + r + ".jsonl");
            assertEquals(0, run("plan", "--config", shuffle, "--data", data, "--epochs", 2, "--rank", r, "--world", 2,
                    "--save-state-at", 2, "--state", tmp.resolve("elastic-" + r + ".json"), "--out", out).code());
            parts.addAll(Files.readAllLines(out));
        }
        for (int r = 0; r < 3; r++) {
            Path out = tmp.resolve("elastic-w3-" + r + ".jsonl");
            // every rank of the new world restores rank 0's state
            assertEquals(0, run("plan", "--config", shuffle, "--data", data, "--epochs", 2, "--rank", r, "--world", 3,
                    "--resume", tmp.resolve("elastic-0.json"), "--out", out).code());
            parts.addAll(Files.readAllLines(out));
        }
        java.util.Map<String, String> byBatch = new java.util.TreeMap<>();
        for (String line : parts) {
            JsonNode n = JSON.readTree(line);
            if (!line.contains("\"padding\"")) {
                String key = n.get("epoch").asInt() + "/" + n.get("batch").asInt();
                assertEquals(null, byBatch.put(key, n.get("draws").toString()), "global batch " + key + " twice");
            }
        }
        java.util.Map<String, String> expected = new java.util.TreeMap<>();
        for (String line : Files.readAllLines(full)) {
            JsonNode n = JSON.readTree(line);
            expected.put(n.get("epoch").asInt() + "/" + n.get("batch").asInt(), n.get("draws").toString());
        }
        assertEquals(18, expected.size());
        assertEquals(expected, byBatch, "2 ranks for 2 rounds, then 3 ranks: the one-rank run's global batches");
    }
}
