package io.speechsampler.it;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;

/** A small Kaldi data dir of real 16-bit WAV files: speakers x utterances of varied length. */
final class KaldiFixture {

    private KaldiFixture() {
    }

    static Path write(Path dir, int speakers, int utterancesPerSpeaker) throws IOException {
        Files.createDirectories(dir.resolve("wav"));
        StringBuilder scp = new StringBuilder();
        StringBuilder utt2spk = new StringBuilder();
        for (int s = 0; s < speakers; s++) {
            for (int u = 0; u < utterancesPerSpeaker; u++) {
                String id = String.format("spk%02d-u%02d", s, u);
                int n = 8000 * (1 + (s + u) % 3);
                writeWav(dir.resolve("wav/" + id + ".wav"), n, 8000, 110 + 15 * s);
                scp.append(id).append(" wav/").append(id).append(".wav\n");
                utt2spk.append(id).append(" spk").append(String.format("%02d", s)).append('\n');
            }
        }
        Files.writeString(dir.resolve("wav.scp"), scp);
        Files.writeString(dir.resolve("utt2spk"), utt2spk);
        return dir;
    }

    static void writeWav(Path file, int n, int rate, double hz) throws IOException {
        ByteBuffer b = ByteBuffer.allocate(44 + 2 * n).order(ByteOrder.LITTLE_ENDIAN);
        b.putInt(0x46464952).putInt(36 + 2 * n).putInt(0x45564157);
        b.putInt(0x20746d66).putInt(16).putShort((short) 1).putShort((short) 1).putInt(rate).putInt(rate * 2)
                .putShort((short) 2).putShort((short) 16);
        b.putInt(0x61746164).putInt(2 * n);
        for (int i = 0; i < n; i++) {
            b.putShort((short) Math.round(8000 * Math.sin(2 * Math.PI * hz * i / rate)));
        }
        Files.write(file, b.array());
    }
}
