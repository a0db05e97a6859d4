package io.speechsampler.api.corpus;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;

/** A minimal writer of mono 16-bit PCM WAV files for tests. */
final class TestWavs {

    private TestWavs() {
    }

    /** Writes {@code numFrames} samples of a quiet ramp at {@code sampleRate} Hz to {@code file}. */
    static Path write(Path file, int sampleRate, int numFrames) throws IOException {
        ByteBuffer b = ByteBuffer.allocate(44 + 2 * numFrames).order(ByteOrder.LITTLE_ENDIAN);
        b.put("RIFF".getBytes()).putInt(36 + 2 * numFrames).put("WAVE".getBytes());
        b.put("fmt ".getBytes()).putInt(16).putShort((short) 1).putShort((short) 1).putInt(sampleRate)
                .putInt(sampleRate * 2).putShort((short) 2).putShort((short) 16);
        b.put("data".getBytes()).putInt(2 * numFrames);
        for (int i = 0; i < numFrames; i++) {
            b.putShort((short) (i % 100));
        }
        Files.createDirectories(file.toAbsolutePath().getParent());
        Files.write(file, b.array());
        return file;
    }
}
