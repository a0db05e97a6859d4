package io.speechsampler.audio.wav;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.speechsampler.api.corpus.CorpusException;
import io.speechsampler.api.corpus.Utterance;
import io.speechsampler.api.corpus.WavHeader;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class WavReaderWriterTest {

    @TempDir
    Path dir;

    private static float[] signal(int n) {
        float[] x = new float[n];
        for (int i = 0; i < n; i++) {
            x[i] = (float) (0.9 * Math.sin(i * 0.05) * Math.cos(i * 0.0013));
        }
        x[0] = -1f;
        x[1] = 0.999f;
        return x;
    }

    @ParameterizedTest
    @EnumSource(SampleFormat.class)
    void roundTripWholeFile(SampleFormat format) {
        float[] x = signal(40_000);
        Path f = dir.resolve("a.wav");
        WavWriter.write(f, x, 16000, format);
        WavHeader h = WavReader.header(f, 16000);
        assertEquals(1, h.channels());
        assertEquals(format.bits(), h.bitsPerSample());
        assertEquals(format.floatingPoint(), h.floatingPoint());
        assertEquals(x.length, h.numFrames());
        float[] y = WavReader.read(f, 16000);
        double tol = format.floatingPoint() ? 0 : 0.5 / (1 << (format.bits() - 1)) + 1e-9;
        assertEquals(x.length, y.length);
        for (int i = 0; i < x.length; i++) {
            assertEquals(x[i], y[i], tol, "sample " + i);
        }
    }

    @ParameterizedTest
    @EnumSource(SampleFormat.class)
    void rangeReadsMatchWholeRead(SampleFormat format) {
        float[] x = signal(50_000);
        Path f = dir.resolve("r.wav");
        WavWriter.write(f, x, 8000, format);
        float[] all = WavReader.read(f, 8000);
        assertArrayEquals(Arrays.copyOfRange(all, 17_001, 17_001 + 20_000), WavReader.read(f, 17_001, 20_000, 8000));
        assertArrayEquals(Arrays.copyOfRange(all, 49_990, 50_000), WavReader.read(f, 49_990, 10, 8000));
        assertEquals(0, WavReader.read(f, 50_000, 0, 8000).length);
        Utterance u = new Utterance("u", "s", f, 100, 300, 8000, List.of());
        assertArrayEquals(Arrays.copyOfRange(all, 100, 400), WavReader.read(u));
    }

    @Test
    void clipsOutOfRangeSamplesWhenQuantising() {
        Path f = dir.resolve("c.wav");
        WavWriter.write(f, new float[] {2f, -2f, 0.5f}, 16000);
        assertArrayEquals(new float[] {32767 / 32768f, -1f, 0.5f}, WavReader.read(f, 16000));
    }

    @Test
    void writingTwiceGivesIdenticalBytesAndNoTemporaryFiles() throws IOException {
        Path a = dir.resolve("x.wav");
        Path b = dir.resolve("y.wav");
        WavWriter.write(a, signal(1000), 16000);
        WavWriter.write(b, signal(1000), 16000);
        WavWriter.write(a, signal(1000), 16000);
        assertArrayEquals(Files.readAllBytes(a), Files.readAllBytes(b));
        try (var s = Files.list(dir)) {
            assertEquals(List.of("x.wav", "y.wav"), s.map(p -> p.getFileName().toString()).sorted().toList());
        }
    }

    @Test
    void rejectsNonFiniteSamplesAndBadRate() {
        Path f = dir.resolve("n.wav");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> WavWriter.write(f, new float[] {0f, Float.NaN}, 16000));
        assertTrue(e.getMessage().contains("samples[1]"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> WavWriter.write(f, new float[1], 0));
        assertTrue(Files.notExists(f));
    }

    @Test
    void wrongSampleRateNamesFileAndExpectedRate() {
        Path f = dir.resolve("rate.wav");
        WavWriter.write(f, signal(100), 8000);
        CorpusException e = assertThrows(CorpusException.class, () -> WavReader.read(f, 16000));
        assertTrue(e.getMessage().contains(f.toString()) && e.getMessage().contains("expected 16000 Hz"),
                e.getMessage());
        assertEquals(100, WavReader.read(f, WavReader.ANY_RATE).length);
    }

    @Test
    void stereoIsRefused() throws IOException {
        Path f = dir.resolve("stereo.wav");
        Files.write(f, rawWav(2, 16000, 16, 1, 400));
        CorpusException e = assertThrows(CorpusException.class, () -> WavReader.read(f, 16000));
        assertTrue(e.getMessage().contains(f.toString()) && e.getMessage().contains("expected mono"), e.getMessage());
    }

    @Test
    void truncatedFileIsRefused() throws IOException {
        Path f = dir.resolve("t.wav");
        WavWriter.write(f, signal(1000), 16000);
        byte[] bytes = Files.readAllBytes(f);
        Files.write(f, Arrays.copyOf(bytes, bytes.length - 100));
        CorpusException e = assertThrows(CorpusException.class, () -> WavReader.read(f, 16000));
        assertTrue(e.getMessage().contains(f.toString()) && e.getMessage().contains("truncated"), e.getMessage());
    }

    @Test
    void corruptFilesAreRefused() throws IOException {
        Path notWav = dir.resolve("text.wav");
        Files.writeString(notWav, "hello, this is not audio at all");
        assertThrows(CorpusException.class, () -> WavReader.read(notWav, 16000));
        Path eightBit = dir.resolve("u8.wav");
        Files.write(eightBit, rawWav(1, 16000, 8, 1, 100));
        CorpusException e = assertThrows(CorpusException.class, () -> WavReader.read(eightBit, 16000));
        assertTrue(e.getMessage().contains(eightBit.toString()), e.getMessage());
        Path nan = dir.resolve("nan.wav");
        WavWriter.write(nan, new float[] {0.1f, 0.2f, 0.3f}, 16000, SampleFormat.FLOAT_32);
        byte[] bytes = Files.readAllBytes(nan);
        ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).putFloat(bytes.length - 4, Float.NaN);
        Files.write(nan, bytes);
        CorpusException n = assertThrows(CorpusException.class, () -> WavReader.read(nan, 16000));
        assertTrue(n.getMessage().contains("frame 2"), n.getMessage());
        Path hugeFmt = dir.resolve("huge-fmt.wav");
        byte[] header = rawWav(1, 16000, 16, 1, 10);
        ByteBuffer.wrap(header).order(ByteOrder.LITTLE_ENDIAN).putInt(16, 0x80000010);
        Files.write(hugeFmt, header);
        CorpusException huge = assertThrows(CorpusException.class, () -> WavReader.read(hugeFmt, 16000));
        assertTrue(huge.getMessage().contains(hugeFmt.toString()), huge.getMessage());
        CorpusException missing = assertThrows(CorpusException.class,
                () -> WavReader.read(dir.resolve("none.wav"), 16000));
        assertTrue(missing.getMessage().contains("not found"), missing.getMessage());
    }

    @Test
    void rangeOutsideTheFileIsRefused() {
        Path f = dir.resolve("short.wav");
        WavWriter.write(f, signal(100), 16000);
        CorpusException e = assertThrows(CorpusException.class, () -> WavReader.read(f, 90, 20, 16000));
        assertTrue(e.getMessage().contains("[90, 110)") && e.getMessage().contains("100 frames"), e.getMessage());
        Utterance beyond = new Utterance("u", "s", f, 0, 101, 16000, List.of());
        assertThrows(CorpusException.class, () -> WavReader.read(beyond));
    }

    /** A minimal PCM WAV with arbitrary channel count and width, zero samples. */
    static byte[] rawWav(int channels, int rate, int bits, int format, int frames) {
        int dataBytes = frames * channels * bits / 8;
        ByteBuffer b = ByteBuffer.allocate(44 + dataBytes).order(ByteOrder.LITTLE_ENDIAN);
        b.putInt(0x46464952).putInt(36 + dataBytes).putInt(0x45564157);
        b.putInt(0x20746d66).putInt(16).putShort((short) format).putShort((short) channels).putInt(rate)
                .putInt(rate * channels * bits / 8).putShort((short) (channels * bits / 8)).putShort((short) bits);
        b.putInt(0x61746164).putInt(dataBytes);
        return b.array();
    }
}
