package io.speechsampler.audio.wav;

import io.speechsampler.api.io.AtomicFiles;
import io.speechsampler.api.corpus.CorpusException;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Writes mono WAV files atomically: the bytes go to a temporary file in the target's directory,
 * which is then renamed over the target, so a reader sees the old file or the new one, never a
 * part. PCM samples are {@code round(x * 2^(bits-1))} clipped to the format's range, the inverse
 * of {@link WavReader}'s scaling; float files store the samples as given. Output is a function
 * of the arguments alone (no time stamps), so equal input gives byte-identical files.
 */
public final class WavWriter {

    private static final int PCM = 1;
    private static final int IEEE_FLOAT = 3;
    private static final int CHUNK_FRAMES = 16_384;

    private WavWriter() {
    }

    /** Writes {@code samples} as 16-bit PCM. */
    public static void write(Path path, float[] samples, int sampleRate) {
        write(path, samples, sampleRate, SampleFormat.PCM_16);
    }

    /**
     * Writes {@code samples} in {@code format}.
     *
     * @throws IllegalArgumentException for a rate that is not positive or a non-finite sample
     * @throws CorpusException          when the file cannot be written, naming it
     */
    public static void write(Path path, float[] samples, int sampleRate, SampleFormat format) {
        if (sampleRate <= 0) {
            throw new IllegalArgumentException("sampleRate is not positive: " + sampleRate);
        }
        for (int i = 0; i < samples.length; i++) {
            if (!Float.isFinite(samples[i])) {
                throw new IllegalArgumentException("samples[" + i + "] is not finite: " + samples[i]);
            }
        }
        long dataBytes = (long) samples.length * format.bytes();
        int headerBytes = format.floatingPoint() ? 58 : 44;
        if (dataBytes + headerBytes - 8 > 0xFFFFFFFFL) {
            throw new IllegalArgumentException("samples do not fit a WAV file (4 GiB): " + samples.length);
        }
        AtomicFiles.write(path, out -> {
            out.write(header(samples.length, sampleRate, format, dataBytes, headerBytes));
            ByteBuffer buf = ByteBuffer.allocate(CHUNK_FRAMES * format.bytes()).order(ByteOrder.LITTLE_ENDIAN);
            for (int at = 0; at < samples.length; at += CHUNK_FRAMES) {
                buf.clear();
                int end = Math.min(samples.length, at + CHUNK_FRAMES);
                encode(samples, at, end, format, buf);
                out.write(buf.array(), 0, buf.position());
            }
        });
    }

    private static byte[] header(int frames, int rate, SampleFormat format, long dataBytes, int headerBytes) {
        ByteBuffer b = ByteBuffer.allocate(headerBytes).order(ByteOrder.LITTLE_ENDIAN);
        b.putInt(0x46464952); // "RIFF"
        b.putInt((int) (dataBytes + headerBytes - 8));
        b.putInt(0x45564157); // "WAVE"
        b.putInt(0x20746d66); // "fmt "
        // Non-PCM formats carry cbSize and a fact chunk (WAVE spec, Microsoft 1991 rev. 3).
        b.putInt(format.floatingPoint() ? 18 : 16);
        b.putShort((short) (format.floatingPoint() ? IEEE_FLOAT : PCM));
        b.putShort((short) 1);
        b.putInt(rate);
        b.putInt(rate * format.bytes());
        b.putShort((short) format.bytes());
        b.putShort((short) format.bits());
        if (format.floatingPoint()) {
            b.putShort((short) 0);
            b.putInt(0x74636166); // "fact"
            b.putInt(4);
            b.putInt(frames);
        }
        b.putInt(0x61746164); // "data"
        b.putInt((int) dataBytes);
        return b.array();
    }

    private static void encode(float[] samples, int from, int to, SampleFormat format, ByteBuffer buf) {
        switch (format) {
            case PCM_16 -> {
                for (int i = from; i < to; i++) {
                    buf.putShort((short) quantise(samples[i], 32768));
                }
            }
            case PCM_24 -> {
                for (int i = from; i < to; i++) {
                    int v = quantise(samples[i], 8388608);
                    buf.put((byte) v).put((byte) (v >> 8)).put((byte) (v >> 16));
                }
            }
            case FLOAT_32 -> {
                for (int i = from; i < to; i++) {
                    buf.putFloat(samples[i]);
                }
            }
            default -> throw new IllegalStateException("unknown format " + format);
        }
    }

    private static int quantise(float x, int scale) {
        long v = Math.round((double) x * scale);
        return (int) Math.max(-scale, Math.min(scale - 1, v));
    }
}
