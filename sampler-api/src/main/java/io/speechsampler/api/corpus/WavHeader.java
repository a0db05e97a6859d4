package io.speechsampler.api.corpus;

import io.speechsampler.api.io.AtomicFiles;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/**
 * The format of a RIFF/WAVE file: only what the corpus index needs (rate, channels, sample
 * format, where the samples are and how many). Reads the header only.
 *
 * @param path          the file
 * @param sampleRate    samples per second
 * @param channels      channel count
 * @param bitsPerSample 16, 24 or 32
 * @param floatingPoint true for IEEE float (format 3)
 * @param dataOffset    byte offset of the first sample
 * @param numFrames     samples per channel
 */
public record WavHeader(Path path, int sampleRate, int channels, int bitsPerSample, boolean floatingPoint,
                        long dataOffset, long numFrames) {

    private static final int PCM = 1;
    private static final int IEEE_FLOAT = 3;
    private static final int EXTENSIBLE = 0xFFFE;

    public int bytesPerFrame() {
        return channels * bitsPerSample / 8;
    }

    public double seconds() {
        return numFrames / (double) sampleRate;
    }

    /**
     * Reads and checks the header: RIFF/WAVE, PCM 16/24-bit or float 32-bit, a data chunk whose
     * declared size fits the file.
     *
     * @throws CorpusException naming the file and what was wrong
     */
    public static WavHeader read(Path path) {
        long fileSize;
        try {
            fileSize = Files.size(path);
        } catch (NoSuchFileException e) {
            throw new CorpusException(path + ": audio file not found");
        } catch (IOException e) {
            throw new CorpusException(path + ": cannot read audio file: " + AtomicFiles.reason(e), e);
        }
        try (InputStream in = Files.newInputStream(path)) {
            byte[] riff = readN(in, 12, path);
            ByteBuffer b = ByteBuffer.wrap(riff).order(ByteOrder.LITTLE_ENDIAN);
            if (b.getInt(0) != 0x46464952 || b.getInt(8) != 0x45564157) {
                throw new CorpusException(path + ": not a WAV file (expected a RIFF/WAVE header)");
            }
            long pos = 12;
            int format = -1;
            int channels = 0;
            int rate = 0;
            int bits = 0;
            while (true) {
                byte[] ch = readOrNull(in, 8);
                if (ch == null) {
                    throw new CorpusException(path + ": truncated WAV file: no data chunk");
                }
                ByteBuffer c = ByteBuffer.wrap(ch).order(ByteOrder.LITTLE_ENDIAN);
                int id = c.getInt(0);
                long size = c.getInt(4) & 0xFFFFFFFFL;
                pos += 8;
                if (id == 0x20746d66) { // "fmt "
                    if (size < 16) {
                        throw new CorpusException(path + ": corrupt WAV file: fmt chunk of " + size + " bytes");
                    }
                    if (size > fileSize - pos) {
                        // checked before the int cast below: a size of 2^31 or more would turn negative
                        throw new CorpusException(path + ": corrupt WAV file: fmt chunk declares " + size
                                + " bytes but " + (fileSize - pos) + " remain; expected a chunk size that fits the file");
                    }
                    byte[] fmt = readN(in, (int) size, path);
                    ByteBuffer f = ByteBuffer.wrap(fmt).order(ByteOrder.LITTLE_ENDIAN);
                    format = f.getShort(0) & 0xFFFF;
                    channels = f.getShort(2) & 0xFFFF;
                    rate = f.getInt(4);
                    bits = f.getShort(14) & 0xFFFF;
                    if (format == EXTENSIBLE && size >= 26) {
                        format = f.getShort(24) & 0xFFFF;
                    }
                    pos += size;
                    if ((size & 1) == 1) {
                        in.skipNBytes(1);
                        pos++;
                    }
                } else if (id == 0x61746164) { // "data"
                    if (format < 0) {
                        throw new CorpusException(path + ": corrupt WAV file: data chunk before fmt chunk");
                    }
                    boolean isFloat = format == IEEE_FLOAT;
                    if (!(format == PCM && (bits == 16 || bits == 24)) && !(isFloat && bits == 32)) {
                        throw new CorpusException(path + ": unsupported WAV sample format (format " + format + ", "
                                + bits + " bits); expected PCM 16/24-bit or 32-bit float");
                    }
                    if (channels < 1 || rate <= 0) {
                        throw new CorpusException(path + ": corrupt WAV file: " + channels + " channels at " + rate + " Hz");
                    }
                    int frameBytes = channels * bits / 8;
                    long available = fileSize - pos;
                    if (size > available) {
                        throw new CorpusException(path + ": truncated WAV file: data chunk declares " + size
                                + " bytes but " + available + " remain");
                    }
                    return new WavHeader(path, rate, channels, bits, isFloat, pos, size / frameBytes);
                } else {
                    long skip = size + (size & 1);
                    if (pos + skip > fileSize) {
                        throw new CorpusException(path + ": truncated WAV file: no data chunk");
                    }
                    in.skipNBytes(skip);
                    pos += skip;
                }
            }
        } catch (EOFException e) {
            throw new CorpusException(path + ": truncated WAV file", e);
        } catch (IOException e) {
            throw new CorpusException(path + ": cannot read audio file: " + AtomicFiles.reason(e), e);
        }
    }

    private static byte[] readN(InputStream in, int n, Path path) throws IOException {
        byte[] buf = in.readNBytes(n);
        if (buf.length < n) {
            throw new CorpusException(path + ": truncated WAV file (header ends after " + buf.length + " of " + n
                    + " bytes)");
        }
        return buf;
    }

    private static byte[] readOrNull(InputStream in, int n) throws IOException {
        byte[] buf = in.readNBytes(n);
        return buf.length < n ? null : buf;
    }
}
