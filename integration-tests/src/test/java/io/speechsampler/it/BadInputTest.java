package io.speechsampler.it;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.speechsampler.audio.synth.ProgressListener;
import io.speechsampler.audio.synth.SynthSpec;
import io.speechsampler.audio.synth.SyntheticCorpus;
import io.speechsampler.cli.Main;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every kind of bad input and unwritable output, as a user meets them: one {@code error:} line
 * naming the file, key, line or value and what was expected, exit status 2, and no output created
 * or changed. A bug is the exception: exit 1 with its stack trace.
 */
class BadInputTest {

    @TempDir
    static Path tmp;

    /** 4 speakers x 3 utterances of real WAV files (ids spk00-u00 ... spk03-u02). */
    static Path data;
    static Path shuffle;
    static Path folder;
    static Path aFile;

    @BeforeAll
    static void corpus() throws IOException {
        data = KaldiFixture.write(tmp.resolve("kaldi"), 4, 3);
        shuffle = Files.writeString(tmp.resolve("shuffle.yaml"),
                "seed: 3\nsampler: {name: shuffle}\nbatch: {name: fixed, size: 4}\n");
        folder = Files.createDirectories(tmp.resolve("a-folder"));
        aFile = Files.writeString(tmp.resolve("a-file.txt"), "not a folder\n");
    }

    /** Exit 2, exactly one line on standard error, starting {@code error:} and holding every part. */
    private static String assertBadInput(CliRun r, String... parts) {
        assertEquals(Main.BAD_INPUT, r.code(), r.err());
        List<String> errors = r.err().lines().filter(l -> l.startsWith("error: ")).toList();
        assertEquals(1, errors.size(), "one error line: " + r.err());
        String line = errors.get(0);
        for (String p : parts) {
            assertTrue(line.contains(p), "'" + p + "' in: " + line);
        }
        assertHuman(r.err());
        return line;
    }

    /** No stack trace, Java class name or 'null' where a person reads the message. */
    private static void assertHuman(String err) {
        assertFalse(err.contains("\tat ") || err.contains("Exception") || err.contains("java.")
                || err.matches("(?s).*\\bnull\\b.*"), "a message for a person: " + err);
    }

    private static Set<String> names(Path dir) throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.map(p -> p.getFileName().toString()).collect(Collectors.toSet());
        }
    }

    // 1. Unwritable, missing or full output locations, in every command

    @Test
    void unwritableOutputsAreOneLineBeforeAnyWorkAndLeaveThePreviousFile() throws IOException {
        Path plan = tmp.resolve("outputs/plan.jsonl");
        assertEquals(0, CliRun.of("plan", "--config", shuffle, "--data", data, "--epochs", 1, "--out", plan).code());
        byte[] before = Files.readAllBytes(plan);

        assertBadInput(CliRun.of("plan", "--config", shuffle, "--data", data, "--epochs", 1,
                "--out", "/proc/x/p.jsonl"), "/proc/x/p.jsonl: cannot write: cannot create files in /proc");
        assertBadInput(CliRun.of("plan", "--config", shuffle, "--data", data, "--epochs", 1, "--out", folder),
                folder + ": cannot write: it is a folder (expected a file path)");
        assertBadInput(CliRun.of("plan", "--config", shuffle, "--data", data, "--epochs", 1,
                "--out", aFile.resolve("p.jsonl")), aFile + " is not a folder");
        // the state cannot be written: the plan itself must not be replaced either
        Path other = Files.writeString(tmp.resolve("other-seed.yaml"),
                "seed: 4\nsampler: {name: shuffle}\nbatch: {name: fixed, size: 4}\n");
        assertBadInput(CliRun.of("plan", "--config", other, "--data", data, "--epochs", 1, "--save-state-at", 1,
                "--state", "/proc/s.json", "--out", plan), "/proc/s.json: cannot write");
        assertArrayEquals(before, Files.readAllBytes(plan), "the previous plan is whole");
        assertEquals(Set.of("plan.jsonl"), names(plan.getParent()), "no temporary file left");

        assertBadInput(CliRun.of("pitch", "--data", data, "--out", "/proc/p.tsv"), "/proc/p.tsv: cannot write");
        assertBadInput(CliRun.of("mine", "--data", data, "--by", "energy", "--fraction", 0.5, "--out", folder),
                folder + ": cannot write: it is a folder");
        assertBadInput(CliRun.of("embed", "--checkpoint", tmp.resolve("no-run"), "--data", data,
                "--out", "/proc/x.ark"), "/proc/x.ark: cannot write");
        assertBadInput(CliRun.of("analyze", "--eval", tmp.resolve("no-eval"), "--data", data, "--out", aFile),
                aFile + ": cannot write: it is a file (expected a folder)");
        assertBadInput(CliRun.of("corpus", "synth", "--speakers", 4, "--utterances", 1, "--out",
                aFile.resolve("corpus")), aFile + " is not a folder");
        assertBadInput(CliRun.of("corpus", "synth", "--speakers", 4, "--utterances", 1, "--out", "/proc/corpus"),
                "/proc/corpus: cannot write");
        assertBadInput(CliRun.of("corpus", "synth", "--speakers", 4, "--utterances", 1, "--out", aFile),
                "--out " + aFile + " is a file; expected a directory");
        assertEquals("not a folder\n", Files.readString(aFile), "the file in the way is untouched");
        assertBadInput(CliRun.of("train", "--config", shuffle, "--data", data, "--out", "/proc/run"),
                "/proc/run: cannot write");
        assertBadInput(CliRun.of("evaluate", "--checkpoint", tmp.resolve("no-run"), "--data", data,
                "--out", aFile), aFile + ": cannot write: it is a file");
        assertBadInput(CliRun.of("demo", "--cache", tmp.resolve("demo-cache"), "--out", "/proc/demo"),
                "/proc/demo: cannot write");
        assertFalse(Files.exists(tmp.resolve("demo-cache")), "refused before the corpus is made");
    }

    @Test
    void aReportWhosePngCannotBeWrittenKeepsItsPreviousFilesWhole() throws IOException {
        Path pitch = tmp.resolve("report-pitch.tsv");
        assertEquals(0, CliRun.of("pitch", "--data", data, "--out", pitch).code());
        Path eval = Files.createDirectories(tmp.resolve("eval-a"));
        Files.writeString(eval.resolve("si_snri.csv"), "mixture,sources,gains_db,si_snri_db\n"
                + "0,spk00-u00+spk01-u00,0.00/0.00,4.0\n1,spk02-u01+spk03-u01,0.00/0.00,9.0\n"
                + "2,spk00-u02+spk03-u02,0.00/0.00,6.5\n");
        Path report = tmp.resolve("analysis");
        assertEquals(0, CliRun.of("analyze", "--eval", eval, "--pitch", pitch, "--out", report).code());
        byte[] csv = Files.readAllBytes(report.resolve("correlation.csv"));
        byte[] json = Files.readAllBytes(report.resolve("correlations.json"));
        Files.delete(report.resolve("fig2.png"));
        Files.createDirectory(report.resolve("fig2.png"));

        Path evalB = Files.createDirectories(tmp.resolve("eval-b"));
        Files.writeString(evalB.resolve("si_snri.csv"), "mixture,sources,gains_db,si_snri_db\n"
                + "0,spk00-u00+spk01-u00,0.00/0.00,-3.0\n1,spk02-u01+spk03-u01,0.00/0.00,12.0\n");
        assertBadInput(CliRun.of("analyze", "--eval", evalB, "--pitch", pitch, "--out", report),
                report.resolve("fig2.png") + ": cannot write: it is a folder");
        assertArrayEquals(csv, Files.readAllBytes(report.resolve("correlation.csv")), "no new csv beside old files");
        assertArrayEquals(json, Files.readAllBytes(report.resolve("correlations.json")));
        assertEquals(Set.of("correlation.csv", "correlations.json", "fig2.png"), names(report));
    }

    // 2. An empty corpus

    @Test
    void anEmptyCorpusIsRefusedByEveryCommandNamingItsPath() throws IOException {
        Path kaldi = Files.createDirectories(tmp.resolve("empty-kaldi"));
        Files.writeString(kaldi.resolve("wav.scp"), "\n");
        Files.writeString(kaldi.resolve("utt2spk"), "");
        Path manifest = Files.writeString(tmp.resolve("empty.jsonl"), "");
        Path sep = Files.writeString(tmp.resolve("empty-sep.yaml"), "sampler: {name: dynamic-mixing}\n"
                + "batch: {name: fixed, size: 2}\nmodel: {name: conv-tasnet}\ntrain: {epochs: 1}\n");
        for (Path empty : List.of(kaldi, manifest)) {
            Path out = tmp.resolve("from-empty.out");
            assertBadInput(CliRun.of("plan", "--config", shuffle, "--data", empty, "--epochs", 1, "--out", out),
                    "no utterances in ", empty.getFileName().toString());
            assertBadInput(CliRun.of("pitch", "--data", empty, "--out", out), "no utterances in " + empty);
            assertBadInput(CliRun.of("mine", "--data", empty, "--by", "energy", "--fraction", 0.5, "--out", out),
                    "no utterances in " + empty);
            assertBadInput(CliRun.of("train", "--config", sep, "--data", empty, "--out", tmp.resolve("empty-run")),
                    "no utterances in ", empty.getFileName().toString());
            assertFalse(Files.exists(out), "no output from an empty corpus");
            assertFalse(Files.exists(tmp.resolve("empty-run")), "no run folder");
        }
    }

    // 3. YAML faults

    @Test
    void yamlFaultsNameTheFileLineAndKey() throws IOException {
        String[][] cases = {
            {"sampler: {name: shuffle\nbatch: {name: fixed, size: 4}\n",
                "line 2 column 6: not valid YAML: expected ',' or '}'"},
            {"sampler: {name: dynamic-mixing, overlap: .nan}\nbatch: {name: fixed, size: 4}\n",
                "line 1: 'sampler.overlap' must be a finite number, got .nan"},
            {"sampler: {name: shuffle}\nbatch: {name: fixed, size: 4}\ntrain: {lr: -.inf}\n",
                "line 3: 'train.lr' must be a finite number, got -.inf"},
            {"sampler: {name: shuffle}\nbatch: {name: fixed, size: 4}\nsampler: {name: sequential}\n",
                "line 3: duplicate key 'sampler' (first on line 1)"},
            {"sampler: {name: shuffle}\nbatch: {name: fixed, size: 4}\n---\nseed: 9\n",
                "line 4: a second YAML document"},
            {"sampler: {name: shuffle}\nbatch: {name: fixed, size: 4}\nmodel: {name: conv-tasnet, colour: red}\n",
                "line 3: unknown key 'model.colour'"},
            {"sampler: {name: shuffle}\nbatch: {name: fixed, size: 4}\ntrain: {epochz: 3}\n",
                "line 3: unknown key 'train.epochz'"},
        };
        int i = 0;
        for (String[] c : cases) {
            Path cfg = Files.writeString(tmp.resolve("yaml" + i + ".yaml"), c[0]);
            Path out = tmp.resolve("yaml" + i++ + ".jsonl");
            assertBadInput(CliRun.of("plan", "--config", cfg, "--data", data, "--epochs", 1, "--out", out),
                    cfg + " " + c[1]);
            assertFalse(Files.exists(out), "no output for a bad config");
        }
    }

    // 4. Ids the project's own files could not hold

    @Test
    void utteranceIdsWithWhitespaceOrCommaAreRefusedWhenTheCorpusIsRead() throws IOException {
        Path wav = data.resolve("wav/spk00-u00.wav").toAbsolutePath();
        Path other = data.resolve("wav/spk01-u00.wav").toAbsolutePath();
        for (String id : new String[] {"spk00 u00", "spk00,u00"}) {
            Path m = Files.writeString(tmp.resolve("ids.jsonl"),
                    "{\"id\":\"ok\",\"speaker\":\"b\",\"path\":\"" + other + "\"}\n"
                            + "{\"id\":\"" + id + "\",\"speaker\":\"a\",\"path\":\"" + wav + "\"}\n");
            Path out = tmp.resolve("ids.tsv");
            assertBadInput(CliRun.of("pitch", "--data", m, "--out", out), m + " line 2: utterance id '" + id + "'");
            assertBadInput(CliRun.of("plan", "--config", shuffle, "--data", m, "--epochs", 1, "--out", out),
                    "line 2: utterance id '" + id + "' holds");
            assertFalse(Files.exists(out));
        }
        Path kaldi = Files.createDirectories(tmp.resolve("comma-kaldi"));
        Files.writeString(kaldi.resolve("wav.scp"), "u1 " + other + "\nu,2 " + wav + "\n");
        Files.writeString(kaldi.resolve("utt2spk"), "u1 b\nu,2 a\n");
        assertBadInput(CliRun.of("pitch", "--data", kaldi, "--out", tmp.resolve("k.tsv")),
                kaldi.resolve("wav.scp") + " line 2: utterance id 'u,2' holds ','");
    }

    // 5. Options and tables that cannot mean anything

    @Test
    void stateWithoutSaveStateAtEmptyPairTablesAndStraySpeakerLinesAreRefused() throws IOException {
        Path out = tmp.resolve("state-case.jsonl");
        Path state = tmp.resolve("state-case.json");
        assertBadInput(CliRun.of("plan", "--config", shuffle, "--data", data, "--epochs", 1, "--state", state,
                "--out", out), "--state " + state, "--save-state-at");
        assertFalse(Files.exists(out) || Files.exists(state));

        Path empty = Files.writeString(tmp.resolve("no-pairs.tsv"), "");
        Path cfg = Files.writeString(tmp.resolve("hard.yaml"), "sampler: {name: dynamic-mixing}\n"
                + "stages:\n  - {name: hard-resample, table: no-pairs.tsv}\nbatch: {name: fixed, size: 2}\n");
        assertBadInput(CliRun.of("plan", "--config", cfg, "--data", data, "--epochs", 1, "--out", out),
                cfg + " line 3: ", "'stages[0].table'", empty + " holds no hard pairs");
        assertFalse(Files.exists(out));
        // nor does mine write such a table: every utterance unvoiced leaves nothing to pair
        StringBuilder unvoiced = new StringBuilder();
        for (String line : Files.readAllLines(data.resolve("utt2spk"))) {
            unvoiced.append(line.split(" ")[0]).append("\tnan\t0.0000\n");
        }
        Path pitch = Files.writeString(tmp.resolve("unvoiced.tsv"), unvoiced);
        Path table = tmp.resolve("unvoiced-hard.tsv");
        assertBadInput(CliRun.of("mine", "--data", data, "--by", "pitch", "--pitch", pitch, "--fraction", 0.5,
                "--out", table), data + ": no hard pairs", "12 of 12 utterances excluded (unvoiced");
        assertFalse(Files.exists(table));

        Path kaldi = Files.createDirectories(tmp.resolve("stray-kaldi"));
        Files.writeString(kaldi.resolve("wav.scp"), Files.readString(data.resolve("wav.scp"))
                .replace(" wav/", " " + data.toAbsolutePath().resolve("wav") + "/"));
        Files.writeString(kaldi.resolve("utt2spk"), Files.readString(data.resolve("utt2spk")) + "ghost spk09\n");
        assertBadInput(CliRun.of("plan", "--config", shuffle, "--data", kaldi, "--epochs", 1, "--out", out),
                kaldi.resolve("utt2spk") + " line 13: utterance 'ghost' is not in " + kaldi.resolve("wav.scp"));
        assertFalse(Files.exists(out));
    }

    // 6. Messages for people: no exception class names, no 'null'

    @Test
    void messagesNameNoJavaClassesAndNoNull() throws IOException {
        Path out = tmp.resolve("msg.jsonl");
        assertBadInput(CliRun.of("plan", "--config", folder, "--data", data, "--epochs", 1, "--out", out),
                folder + ": cannot read config: is a directory");
        Path latin1 = Files.write(tmp.resolve("latin1.yaml"), "sampler: {name: sh\u00fcffle}\n"
                .getBytes(StandardCharsets.ISO_8859_1));
        assertBadInput(CliRun.of("plan", "--config", latin1, "--data", data, "--epochs", 1, "--out", out),
                latin1 + ": cannot read config: not UTF-8 text");
        assertBadInput(CliRun.of("mine", "--data", data, "--by", "pitch", "--pitch", folder, "--fraction", 0.5,
                "--out", tmp.resolve("msg.tsv")), folder + ": cannot read pitch table: is a directory");
        Path truncated = Files.writeString(tmp.resolve("truncated-state.json"), "{\"format\": \"speech-sam");
        assertBadInput(CliRun.of("plan", "--config", shuffle, "--data", data, "--epochs", 1, "--resume", truncated,
                "--out", out), truncated + ": not a valid state file: ");
        Path emptyValue = Files.writeString(tmp.resolve("empty-value.yaml"),
                "seed:\nsampler: {name: shuffle}\nbatch: {name: fixed, size: 4}\n");
        assertBadInput(CliRun.of("plan", "--config", emptyValue, "--data", data, "--epochs", 1, "--out", out),
                "'seed' must be an integer, got nothing");
        Path badSegments = Files.createDirectories(tmp.resolve("bad-segments"));
        Files.writeString(badSegments.resolve("wav.scp"), "r " + data.toAbsolutePath().resolve("wav/spk00-u00.wav")
                + "\n");
        Files.writeString(badSegments.resolve("segments"), "u r zero 0.5\n");
        Files.writeString(badSegments.resolve("utt2spk"), "u s\n");
        assertBadInput(CliRun.of("plan", "--config", shuffle, "--data", badSegments, "--epochs", 1, "--out", out),
                "segments line 1: start and end must be seconds, got 'zero' and '0.5'");
        assertFalse(Files.exists(out));
    }

    // 7. Exit codes: 2 for what the user can fix, 1 for a bug

    @Test
    void badInputExitsTwoAndABugExitsOneWithItsTrace() throws IOException {
        CliRun unknown = CliRun.of("plan", "--config", shuffle, "--data", data, "--epochs", 1, "--out",
                tmp.resolve("x.jsonl"), "--colour", "red");
        assertBadInput(unknown, "Unknown option", "'--colour'", "(see 'sampler plan --help')");
        assertBadInput(CliRun.of("plan", "--config", shuffle, "--data", data, "--epochs", "two", "--out",
                tmp.resolve("x.jsonl")), "'two' is not an int");
        for (String kind : new String[] {"state", "argument", "npe"}) {
            Path cfg = Files.writeString(tmp.resolve("bug-" + kind + ".yaml"),
                    "sampler: {name: bug-for-tests, throws: " + kind + "}\nbatch: {name: fixed, size: 2}\n");
            CliRun r = CliRun.of("plan", "--config", cfg, "--data", data, "--epochs", 1, "--out",
                    tmp.resolve("bug.jsonl"));
            assertEquals(1, r.code(), "a bug is not bad input: " + r.err());
            assertTrue(r.err().contains("error: internal error") && r.err().contains("\tat "),
                    "a bug comes with its stack trace: " + r.err());
            assertFalse(Files.exists(tmp.resolve("bug.jsonl")));
        }
    }

    /** A run of one training step of the tiny Conv-TasNet on a synthetic corpus, made once. */
    private static synchronized Path trainedRun() throws IOException {
        Path run = tmp.resolve("tiny-run");
        if (Files.exists(run.resolve("checkpoints/latest"))) {
            return run;
        }
        SyntheticCorpus.write(new SynthSpec(6, 3, 1.0, 8000, 7, 0, 2), synth(), ProgressListener.NONE);
        Path cfg = Files.writeString(tmp.resolve("tiny-sep.yaml"), tinySeparation(1));
        CliRun r = CliRun.of("train", "--config", cfg, "--data", synth().resolve("train"), "--out", run);
        assertEquals(0, r.code(), r.err());
        return run;
    }

    private static Path synth() {
        return tmp.resolve("synth");
    }

    private static String tinySeparation(long seed) {
        return "seed: " + seed + "\nsampler: {name: dynamic-mixing, speakers: 2, segment_seconds: 0.5}\n"
                + "batch: {name: fixed, size: 2}\nmodel: {name: conv-tasnet, preset: tiny, sources: 2}\n"
                + "train: {epochs: 2, max_steps_per_epoch: 1, validate_every: 0}\n";
    }

    @Test
    void aResumeThePipelineRefusesIsBadInputNotABug() throws IOException {
        Path run = trainedRun();
        Path copy = tmp.resolve("tiny-run-copy");
        try (Stream<Path> files = Files.walk(run)) {
            for (Path p : files.toList()) {
                Path to = copy.resolve(run.relativize(p).toString());
                if (Files.isDirectory(p)) {
                    Files.createDirectories(to);
                } else {
                    Files.copy(p, to);
                }
            }
        }
        Path other = Files.writeString(tmp.resolve("tiny-sep-seed2.yaml"), tinySeparation(2));
        CliRun r = CliRun.of("train", "--config", other, "--data", synth().resolve("train"), "--out", copy,
                "--resume");
        assertBadInput(r, copy.toString());
    }

    // 8. Numbers in CSV and TSV files do not follow the JVM's locale

    @Test
    void csvAndTsvNumbersAreTheSameInEveryLocale() throws IOException {
        Path run = trainedRun();
        Path corpus = synth();
        Locale before = Locale.getDefault();
        Locale.setDefault(Locale.GERMANY); // decimal comma
        try {
            Path eval = tmp.resolve("locale-eval");
            CliRun r = CliRun.of("evaluate", "--checkpoint", run, "--data", corpus.resolve("test"), "--out", eval);
            assertEquals(0, r.code(), r.err());
            List<String> lines = Files.readAllLines(eval.resolve("si_snri.csv"));
            assertEquals("mixture,sources,gains_db,si_snri_db", lines.get(0));
            for (String line : lines.subList(1, lines.size())) {
                String[] f = line.split(",", -1);
                assertEquals(4, f.length, "a comma in a number would split a field: " + line);
                assertTrue(f[2].matches("-?\\d+\\.\\d{2}/-?\\d+\\.\\d{2}"), line);
                Double.parseDouble(f[3]);
            }
            Path pitch = tmp.resolve("locale-pitch.tsv");
            assertEquals(0, CliRun.of("pitch", "--data", corpus.resolve("test"), "--out", pitch).code());
            for (String line : Files.readAllLines(pitch)) {
                String[] f = line.split("\t");
                assertTrue(f[1].equals("nan") || f[1].matches("\\d+\\.\\d{3}"), line);
                assertTrue(f[2].matches("\\d\\.\\d{4}"), line);
            }
            Path analysis = tmp.resolve("locale-analysis");
            assertEquals(0, CliRun.of("analyze", "--eval", eval, "--pitch", pitch, "--out", analysis).code());
            for (String line : Files.readAllLines(analysis.resolve("correlation.csv"))) {
                assertEquals(5, line.split(",", -1).length, line);
            }
            // Arabic digits: a %d of the default locale would name a checkpoint step-\u0660\u0660...
            Locale.setDefault(Locale.forLanguageTag("ar-SA"));
            Path arabic = tmp.resolve("locale-run-ar");
            Path cfg = Files.writeString(tmp.resolve("tiny-sep-ar.yaml"), tinySeparation(1));
            assertEquals(0, CliRun.of("train", "--config", cfg, "--data", corpus.resolve("train"), "--out", arabic)
                    .code());
            for (String name : names(arabic.resolve("checkpoints"))) {
                assertTrue(name.matches("step-[0-9]{10}|latest|best"), name);
            }
            assertTrue(Files.readString(arabic.resolve("checkpoints/latest")).matches("(?s)step-[0-9]{10}\\s*"));
        } finally {
            Locale.setDefault(before);
        }
    }
}
