package io.speechsampler.audio.mix;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.speechsampler.api.corpus.CorpusReader;
import io.speechsampler.api.io.AtomicFiles;
import io.speechsampler.audio.wav.WavWriter;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Writes a corpus folder one utterance at a time: {@code wav/ID.wav}, then on {@link #finish()}
 * {@code wav.scp} and {@code utt2spk} (in the order added), {@code spk2utt} (by speaker id) and
 * {@code manifest.jsonl} (id, speaker, path, num_samples, sample_rate, tags), as
 * {@link io.speechsampler.api.corpus.CorpusReader} reads them.
 */
final class CorpusFolderWriter {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final Path out;
    private final StringBuilder scp = new StringBuilder();
    private final StringBuilder utt2spk = new StringBuilder();
    private final StringBuilder manifest = new StringBuilder();
    private final Map<String, StringBuilder> spk2utt = new TreeMap<>();

    /** A writer into {@code out} (its {@code wav/} created now). */
    CorpusFolderWriter(Path out) {
        this.out = out;
        Path wav = out.resolve("wav");
        try {
            Files.createDirectories(wav);
        } catch (IOException e) {
            throw AtomicFiles.failure(wav, e);
        }
    }

    /** Writes one utterance's audio and records its lines. */
    void add(String id, String speaker, float[] samples, int sampleRate, List<String> tags) {
        String rel = "wav/" + id + ".wav";
        WavWriter.write(out.resolve(rel), samples, sampleRate);
        scp.append(id).append(' ').append(rel).append('\n');
        utt2spk.append(id).append(' ').append(speaker).append('\n');
        spk2utt.computeIfAbsent(speaker, StringBuilder::new).append(' ').append(id);
        ObjectNode o = JSON.createObjectNode();
        o.put("id", id);
        o.put("speaker", speaker);
        o.put("path", rel);
        o.put("num_samples", samples.length);
        o.put("sample_rate", sampleRate);
        tags.forEach(o.putArray("tags")::add);
        manifest.append(o).append('\n');
    }

    /** Writes the Kaldi files and the manifest, each atomically. */
    void finish() {
        StringBuilder s2u = new StringBuilder();
        spk2utt.values().forEach(line -> s2u.append(line).append('\n'));
        AtomicFiles.writeString(out.resolve("wav.scp"), scp.toString());
        AtomicFiles.writeString(out.resolve("utt2spk"), utt2spk.toString());
        AtomicFiles.writeString(out.resolve("spk2utt"), s2u.toString());
        AtomicFiles.writeString(out.resolve(CorpusReader.MANIFEST), manifest.toString());
    }
}
