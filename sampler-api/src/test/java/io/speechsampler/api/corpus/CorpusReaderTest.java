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
}
