package io.speechsampler.api.corpus;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class WavHeaderTest {

    @TempDir
    Path dir;

    private String failure(Path file) {
        String m = assertThrows(CorpusException.class, () -> WavHeader.read(file)).getMessage();
        assertTrue(m.startsWith(file.toString()), m);
        return m;
    }

    @Test
    void readsAValidHeader() throws Exception {
        WavHeader h = WavHeader.read(TestWavs.write(dir.resolve("a.wav"), 8000, 4000));
        assertEquals(8000, h.sampleRate());
        assertEquals(1, h.channels());
        assertEquals(16, h.bitsPerSample());
        assertEquals(44, h.dataOffset());
        assertEquals(4000, h.numFrames());
        assertEquals(0.5, h.seconds());
    }

    @Test
    void truncatedFilesAreReported() throws Exception {
        Path ok = TestWavs.write(dir.resolve("ok.wav"), 8000, 100);
        byte[] bytes = Files.readAllBytes(ok);
        Path header = Files.write(dir.resolve("short.wav"), Arrays.copyOf(bytes, 8));
        assertTrue(failure(header).contains("truncated"));
        Path samples = Files.write(dir.resolve("cut.wav"), Arrays.copyOf(bytes, 100));
        String m = failure(samples);
        assertTrue(m.contains("truncated") && m.contains("declares 200 bytes"), m);
        Path noData = Files.write(dir.resolve("nodata.wav"), Arrays.copyOf(bytes, 36));
        assertTrue(failure(noData).contains("no data chunk"));
    }

    @Test
    void corruptHeadersAreReported() throws Exception {
        byte[] bytes = Files.readAllBytes(TestWavs.write(dir.resolve("ok.wav"), 8000, 100));
        byte[] smallFmt = bytes.clone();
        ByteBuffer.wrap(smallFmt).order(ByteOrder.LITTLE_ENDIAN).putInt(16, 8);
        assertTrue(failure(Files.write(dir.resolve("fmt.wav"), smallFmt)).contains("corrupt"));
        byte[] eightBit = bytes.clone();
        ByteBuffer.wrap(eightBit).order(ByteOrder.LITTLE_ENDIAN).putShort(34, (short) 8);
        assertTrue(failure(Files.write(dir.resolve("8bit.wav"), eightBit)).contains("unsupported WAV sample format"));
    }

    @Test
    void fmtChunkSizeOf2To31OrMoreIsCorruptNotAnIllegalArgument() throws Exception {
        byte[] bytes = Files.readAllBytes(TestWavs.write(dir.resolve("ok.wav"), 8000, 100));
        for (long size : new long[] {0x8000_0000L, 0xFFFF_FFFFL, 1000}) {
            byte[] huge = bytes.clone();
            ByteBuffer.wrap(huge).order(ByteOrder.LITTLE_ENDIAN).putInt(16, (int) size);
            String m = failure(Files.write(dir.resolve("fmt" + size + ".wav"), huge));
            assertTrue(m.contains("corrupt") && m.contains("fmt chunk declares " + size + " bytes"), m);
        }
    }

    @Test
    void nonWavAndMissingFilesAreReported() throws Exception {
        Path text = Files.writeString(dir.resolve("notes.wav"), "this is not audio, just some text");
        assertTrue(failure(text).contains("not a WAV file"));
        assertTrue(failure(dir.resolve("absent.wav")).contains("not found"));
    }
}
