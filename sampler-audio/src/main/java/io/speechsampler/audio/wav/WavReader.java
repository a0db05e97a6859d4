package io.speechsampler.audio.wav;

import io.speechsampler.api.corpus.CorpusException;
import io.speechsampler.api.corpus.Utterance;
import io.speechsampler.api.corpus.WavHeader;
import io.speechsampler.api.io.AtomicFiles;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * Reads mono WAV files (PCM 16-bit, PCM 24-bit, IEEE float 32-bit) into floats. PCM samples are
 * divided by 2<sup>bits-1</sup>, so they lie in [-1, 1); float samples are returned as stored
 * and must be finite. The header is parsed by {@link WavHeader#read(Path)}.
 *
 * <p>Every problem (not found, not mono, another sample rate than expected, a frame range outside
 * the file, a file shorter than its header says, a non-finite float) is a {@link CorpusException}
 * naming the file and what was expected; a read never returns silent zeros in place of audio.
 */
public final class WavReader {

    /** Pass as the expected rate to accept any sample rate. */
    public static final int ANY_RATE = 0;

    private static final int CHUNK_FRAMES = 16_384;

    private WavReader() {
    }

    /**
     * Reads and checks the header of a file that must be mono at {@code expectedRate} Hz (or any
     * rate for {@link #ANY_RATE}).
     */
    public static WavHeader header(Path path, int expectedRate) {
        if (expectedRate < 0) {
            throw new IllegalArgumentException("expectedRate is negative: " + expectedRate);
        }
        WavHeader h = WavHeader.read(path);
        if (h.channels() != 1) {
            throw new CorpusException(path + ": " + h.channels() + " channels; expected mono (1 channel)");
        }
        if (expectedRate != ANY_RATE && h.sampleRate() != expectedRate) {
            throw new CorpusException(path + ": sample rate is " + h.sampleRate() + " Hz; expected " + expectedRate
                    + " Hz");
        }
        return h;
    }

    /** Every frame of a mono file at {@code expectedRate} Hz. */
    public static float[] read(Path path, int expectedRate) {
        WavHeader h = header(path, expectedRate);
        if (h.numFrames() > Integer.MAX_VALUE) {
            throw new CorpusException(path + ": " + h.numFrames() + " frames; expected at most "
                    + Integer.MAX_VALUE + " to read at once");
        }
        return read(h, 0, (int) h.numFrames());
    }

    /** Frames {@code [start, start + count)} of a mono file at {@code expectedRate} Hz. */
    public static float[] read(Path path, long start, int count, int expectedRate) {
        return read(header(path, expectedRate), start, count);
    }

    /** The utterance's frames: {@code [startSample, startSample + numSamples)} of its file, at its rate. */
    public static float[] read(Utterance utterance) {
        if (utterance.numSamples() > Integer.MAX_VALUE) {
            throw new CorpusException(utterance.path() + ": utterance '" + utterance.id() + "' has "
                    + utterance.numSamples() + " samples; expected at most " + Integer.MAX_VALUE);
        }
        return read(utterance.path(), utterance.startSample(), (int) utterance.numSamples(), utterance.sampleRate());
    }

    /** Frames {@code [start, start + count)} of the file this checked header describes. */
    static float[] read(WavHeader h, long start, int count) {
        Path path = h.path();
        if (start < 0 || count < 0 || start > h.numFrames() - count) {
            throw new CorpusException(path + ": frames [" + start + ", " + (start + count) + ") requested; expected a "
                    + "range inside the file's " + h.numFrames() + " frames");
        }
        SampleFormat format = SampleFormat.of(h.bitsPerSample(), h.floatingPoint());
        int frameBytes = format.bytes();
        float[] out = new float[count];
        ByteBuffer buf = ByteBuffer.allocate(CHUNK_FRAMES * frameBytes).order(ByteOrder.LITTLE_ENDIAN);
        try (FileChannel ch = FileChannel.open(path, StandardOpenOption.READ)) {
            long pos = h.dataOffset() + start * frameBytes;
            int done = 0;
            while (done < count) {
                int frames = Math.min(CHUNK_FRAMES, count - done);
                buf.clear().limit(frames * frameBytes);
                while (buf.hasRemaining()) {
                    int n = ch.read(buf, pos);
                    if (n < 0) {
                        throw new CorpusException(path + ": truncated WAV file: it ends at byte " + pos + " but frame "
                                + (start + done + buf.position() / frameBytes) + " of " + h.numFrames()
                                + " was expected there");
                    }
                    pos += n;
                }
                buf.flip();
                decode(buf, format, out, done, frames, path, start);
                done += frames;
            }
        } catch (NoSuchFileException e) {
            throw new CorpusException(path + ": audio file not found");
        } catch (IOException e) {
            throw new CorpusException(path + ": cannot read audio file: " + AtomicFiles.reason(e), e);
        }
        return out;
    }

    private static void decode(ByteBuffer buf, SampleFormat format, float[] out, int at, int frames, Path path,
                               long start) {
        switch (format) {
            case PCM_16 -> {
                for (int i = 0; i < frames; i++) {
                    out[at + i] = buf.getShort() / 32768f;
                }
            }
            case PCM_24 -> {
                for (int i = 0; i < frames; i++) {
                    int v = (buf.get() & 0xFF) | (buf.get() & 0xFF) << 8 | buf.get() << 16;
                    out[at + i] = v / 8388608f;
                }
            }
            case FLOAT_32 -> {
                for (int i = 0; i < frames; i++) {
                    float v = buf.getFloat();
                    if (!Float.isFinite(v)) {
                        throw new CorpusException(path + ": corrupt WAV file: frame " + (start + at + i) + " is " + v
                                + "; expected finite float samples");
                    }
                    out[at + i] = v;
                }
            }
            default -> throw new IllegalStateException("unknown format " + format);
        }
    }
}
