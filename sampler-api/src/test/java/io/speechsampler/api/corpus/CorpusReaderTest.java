package io.speechsampler.api.corpus;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CorpusReaderTest {

    @TempDir
    Path dir;

    private String failure(Path corpus) {
        return assertThrows(CorpusException.class, () -> CorpusReader.read(corpus)).getMessage();
    }

    private void kaldi() throws Exception {
        TestWavs.write(dir.resolve("wav/a.wav"), 16000, 32000);
        TestWavs.write(dir.resolve("wav/b.wav"), 16000, 8000);
        Files.writeString(dir.resolve("wav.scp"), "rec-a wav/a.wav\nrec-b wav/b.wav\n");
    }

    @Test
    void kaldiDirWithoutSegments() throws Exception {
        kaldi();
        Files.writeString(dir.resolve("utt2spk"), "rec-a alice\nrec-b bob\n");
        Corpus c = CorpusReader.read(dir);
        assertEquals(2, c.size());
        assertEquals(List.of("alice", "bob"), c.speakers());
        assertEquals(2.0, c.require("rec-a").seconds());
        assertEquals(0.5, c.require("rec-b").seconds());
        assertEquals(dir.resolve("wav/a.wav").toAbsolutePath().normalize(), c.require("rec-a").path());
        assertEquals(16000, c.sampleRate());
    }

    @Test
    void kaldiDirWithSegments() throws Exception {
        kaldi();
        Files.writeString(dir.resolve("segments"), "u1 rec-a 0.0 0.5\nu2 rec-a 0.5 2.0\nu3 rec-b 0.25 -1\n");
        Files.writeString(dir.resolve("utt2spk"), "u1 alice\nu2 alice\nu3 bob\n");
        Corpus c = CorpusReader.read(dir);
        assertEquals(3, c.size());
        assertEquals(8000, c.require("u2").startSample());
        assertEquals(24000, c.require("u2").numSamples());
        assertEquals(4000, c.require("u3").startSample());
        assertEquals(4000, c.require("u3").numSamples());
    }

    @Test
    void kaldiErrorsNameFileAndLine() throws Exception {
        kaldi();
        String m = failure(dir);
        assertTrue(m.contains("utt2spk") && m.contains("not found"), m);
        Files.writeString(dir.resolve("utt2spk"), "rec-a alice\nrec-a bob\n");
        m = failure(dir);
        assertTrue(m.contains("utt2spk line 2") && m.contains("duplicate utterance id 'rec-a'"), m);
        Files.writeString(dir.resolve("utt2spk"), "rec-a alice\nrec-b bob\n");
        Files.writeString(dir.resolve("segments"), "u1 rec-a 0.0\n");
        m = failure(dir);
        assertTrue(m.contains("segments line 1") && m.contains("expected"), m);
        Files.writeString(dir.resolve("segments"), "u1 rec-a 0.0 9.0\n");
        m = failure(dir);
        assertTrue(m.contains("segments line 1") && m.contains("not inside"), m);
        Files.delete(dir.resolve("segments"));
        Files.writeString(dir.resolve("wav.scp"), "rec-a wav/a.wav\nrec-b\n");
        m = failure(dir);
        assertTrue(m.contains("wav.scp line 2") && m.contains("<recording-id> <path>"), m);
    }

    @Test
    void jsonlManifest() throws Exception {
        TestWavs.write(dir.resolve("audio/x.wav"), 8000, 8000);
        TestWavs.write(dir.resolve("audio/y.wav"), 8000, 4000);
        Path m = Files.writeString(dir.resolve("manifest.jsonl"),
                "{\"id\":\"x\",\"speaker\":\"s1\",\"path\":\"audio/x.wav\",\"tags\":[\"real\"]}\n\n"
                        + "{\"id\":\"y\",\"speaker\":\"s2\",\"path\":\"audio/y.wav\",\"duration\":0.25,"
                        + "\"sample_rate\":8000}\n");
        Corpus c = CorpusReader.read(dir);
        assertEquals(c, CorpusReader.read(m));
        assertEquals(1.0, c.require("x").seconds());
        assertEquals(List.of("real"), c.require("x").tags());
        assertEquals(2000, c.require("y").numSamples());
    }

    @Test
    void manifestErrorsNameFileAndLine() throws Exception {
        TestWavs.write(dir.resolve("x.wav"), 8000, 800);
        String line = "{\"id\":\"x\",\"speaker\":\"s\",\"path\":\"x.wav\"}\n";
        Path m = Files.writeString(dir.resolve("m.jsonl"), line + line);
        String msg = failure(m);
        assertTrue(msg.contains("m.jsonl line 2") && msg.contains("duplicate utterance id 'x'")
                && msg.contains("first on line 1"), msg);
        Files.writeString(m, line + "{not json\n");
        msg = failure(m);
        assertTrue(msg.contains("m.jsonl line 2") && msg.contains("not valid JSON"), msg);
        Files.writeString(m, "{\"id\":\"x\",\"path\":\"x.wav\"}\n");
        msg = failure(m);
        assertTrue(msg.contains("m.jsonl line 1") && msg.contains("\"speaker\""), msg);
        Files.writeString(m, "{\"id\":\"x\",\"speaker\":\"s\",\"path\":\"gone.wav\",\"duration\":1,\"sample_rate\":8000}\n");
        msg = failure(m);
        assertTrue(msg.contains("m.jsonl line 1") && msg.contains("gone.wav"), msg);
        msg = failure(dir.resolve("nothing-here.jsonl"));
        assertTrue(msg.contains("nothing-here.jsonl") && msg.contains("not found"), msg);
    }

    @Test
    void idsTheProjectsFilesCannotHoldAreRefusedWithFileAndLine() throws Exception {
        TestWavs.write(dir.resolve("x.wav"), 8000, 800);
        Path m = dir.resolve("m.jsonl");
        String ok = "{\"id\":\"x\",\"speaker\":\"s\",\"path\":\"x.wav\"}\n";
        for (String id : new String[] {"a b", "a\\tb", "a,b", "a+b"}) {
            Files.writeString(m, ok + "{\"id\":\"" + id + "\",\"speaker\":\"s\",\"path\":\"x.wav\"}\n");
            String msg = failure(m);
            String shown = id.replace("\\t", "\t");
            assertTrue(msg.startsWith(m + " line 2: utterance id '" + shown + "' holds "), msg);
        }
        Files.writeString(m, "{\"id\":\"x\",\"speaker\":\"s 1\",\"path\":\"x.wav\"}\n");
        assertTrue(failure(m).contains("m.jsonl line 1: speaker id 's 1' holds whitespace"), failure(m));

        kaldi();
        Files.writeString(dir.resolve("wav.scp"), "rec-a wav/a.wav\nrec,b wav/b.wav\n");
        Files.writeString(dir.resolve("utt2spk"), "rec-a alice\nrec,b bob\n");
        String msg = failure(dir);
        assertTrue(msg.startsWith(dir.resolve("wav.scp") + " line 2: utterance id 'rec,b' holds ','"), msg);
        Files.writeString(dir.resolve("wav.scp"), "rec-a wav/a.wav\nrec-b wav/b.wav\n");
        Files.writeString(dir.resolve("segments"), "u1 rec-a 0 1\nu+2 rec-b 0 0.5\n");
        Files.writeString(dir.resolve("utt2spk"), "u1 alice\nu+2 bob\n");
        msg = failure(dir);
        assertTrue(msg.startsWith(dir.resolve("segments") + " line 2: utterance id 'u+2' holds '+'"), msg);
        Files.delete(dir.resolve("segments"));
        Files.writeString(dir.resolve("utt2spk"), "rec-a alice\nrec-b bob smith\n");
        msg = failure(dir);
        assertTrue(msg.contains("utt2spk line 2") && msg.contains("speaker id cannot hold whitespace"), msg);
    }

    @Test
    void corporaBuiltInCodeAreCheckedToo() {
        Utterance u = new Utterance("a,b", "s", dir.resolve("x.wav"), 0, 10, 8000, List.of());
        String msg = assertThrows(CorpusException.class, () -> Corpus.of(dir, List.of(u))).getMessage();
        assertTrue(msg.contains("utterance id 'a,b' holds ','"), msg);
    }

    @Test
    void anEmptyCorpusIsRefusedNamingThePath() throws Exception {
        Files.writeString(dir.resolve("wav.scp"), "\n");
        Files.writeString(dir.resolve("utt2spk"), "");
        String msg = failure(dir);
        assertTrue(msg.startsWith("no utterances in " + dir), msg);
        Path m = Files.writeString(dir.resolve("empty.jsonl"), "");
        msg = failure(m);
        assertTrue(msg.startsWith("no utterances in " + m), msg);
    }

    @Test
    void aSpeakerLineForAnUnknownUtteranceIsRefused() throws Exception {
        kaldi();
        Files.writeString(dir.resolve("utt2spk"), "rec-a alice\nrec-b bob\nrec-c carol\n");
        String msg = failure(dir);
        assertTrue(msg.startsWith(dir.resolve("utt2spk") + " line 3: utterance 'rec-c' is not in "
                + dir.resolve("wav.scp")), msg);
    }

    @Test
    void emptyRecordingsAndNegativeStartsAreRefused() throws Exception {
        kaldi();
        TestWavs.write(dir.resolve("wav/c.wav"), 16000, 0);
        Files.writeString(dir.resolve("wav.scp"), "rec-a wav/a.wav\nrec-c wav/c.wav\n");
        Files.writeString(dir.resolve("utt2spk"), "rec-a alice\nrec-c bob\n");
        String msg = failure(dir);
        assertTrue(msg.contains("wav.scp line 2") && msg.contains("holds no samples"), msg);
        Path m = Files.writeString(dir.resolve("m.jsonl"),
                "{\"id\":\"x\",\"speaker\":\"s\",\"path\":\"wav/a.wav\",\"start_sample\":-3}\n");
        msg = failure(m);
        assertEquals(m + " line 1: start_sample must be an integer >= 0, got -3", msg);
    }
}
