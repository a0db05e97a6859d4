package io.speechsampler.api.corpus;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.speechsampler.api.io.TextLines;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads a corpus from a Kaldi data dir ({@code wav.scp} with plain paths, {@code utt2spk},
 * optional {@code segments}) or a JSONL manifest (one object a line: {@code id}, {@code speaker},
 * {@code path}, {@code num_samples} or {@code duration}, {@code sample_rate}, {@code tags}).
 * Relative paths resolve against the directory of the file that names them. Missing sizes or
 * rates come from the WAV headers.
 */
public final class CorpusReader {

    /** Name of the manifest that a directory may hold instead of (or beside) Kaldi files. */
    public static final String MANIFEST = "manifest.jsonl";

    private static final ObjectMapper JSON = new ObjectMapper();

    private CorpusReader() {
    }

    /**
     * Reads a directory (its {@code manifest.jsonl} if present, else its Kaldi files) or a
     * {@code .jsonl} file.
     */
    public static Corpus read(Path path) {
        if (Files.isRegularFile(path)) {
            return readManifest(path);
        }
        if (!Files.isDirectory(path)) {
            throw new CorpusException(path + ": corpus not found; expected a Kaldi data dir (wav.scp, utt2spk) or a "
                    + "JSONL manifest");
        }
        if (Files.isRegularFile(path.resolve(MANIFEST))) {
            return readManifest(path.resolve(MANIFEST));
        }
        if (Files.isRegularFile(path.resolve("wav.scp"))) {
            return readKaldi(path);
        }
        throw new CorpusException(path + ": neither wav.scp nor " + MANIFEST + " found; expected a Kaldi data dir "
                + "(wav.scp, utt2spk) or a JSONL manifest");
    }

    /** Reads a Kaldi data dir. */
    public static Corpus readKaldi(Path dir) {
        Path wavScp = dir.resolve("wav.scp");
        Path utt2spkFile = dir.resolve("utt2spk");
        Map<String, Path> recordings = new LinkedHashMap<>();
        Map<String, Integer> recordingLines = new HashMap<>();
        forEachLine(wavScp, (line, no) -> {
            String[] kv = splitFirst(line, wavScp, no, "<recording-id> <path>");
            String value = kv[1].trim();
            if (value.endsWith("|")) {
                throw new CorpusException(wavScp + " line " + no + ": pipe commands are not supported ('" + value
                        + "'); expected a plain WAV path");
            }
            if (recordings.put(kv[0], dir.resolve(value).toAbsolutePath().normalize()) != null) {
                throw new CorpusException(wavScp + " line " + no + ": duplicate recording id '" + kv[0] + "'");
            }
            recordingLines.put(kv[0], no);
        });
        Map<String, String> utt2spk = new HashMap<>();
        Map<String, Integer> utt2spkLines = new LinkedHashMap<>();
        forEachLine(utt2spkFile, (line, no) -> {
            String[] kv = splitFirst(line, utt2spkFile, no, "<utterance-id> <speaker-id>");
            String speaker = kv[1].trim();
            if (indexOfWhitespace(speaker) >= 0) {
                throw new CorpusException(utt2spkFile + " line " + no + ": expected '<utterance-id> <speaker-id>', got '"
                        + line + "' (a speaker id cannot hold whitespace)");
            }
            if (utt2spk.put(kv[0], speaker) != null) {
                throw new CorpusException(utt2spkFile + " line " + no + ": duplicate utterance id '" + kv[0] + "'");
            }
            utt2spkLines.put(kv[0], no);
        });
        Map<Path, WavHeader> headers = new HashMap<>();
        List<Utterance> out = new ArrayList<>();
        Path segments = dir.resolve("segments");
        Path utteranceList;
        if (Files.isRegularFile(segments)) {
            utteranceList = segments;
            Map<String, Integer> seen = new HashMap<>();
            forEachLine(segments, (line, no) -> {
                String[] f = line.trim().split("\\s+");
                if (f.length != 4) {
                    throw new CorpusException(segments + " line " + no + ": expected '<utterance-id> <recording-id> "
                            + "<start-seconds> <end-seconds>', got '" + line + "'");
                }
                checkId(f[0], segments, no);
                Path wav = recordings.get(f[1]);
                if (wav == null) {
                    throw new CorpusException(segments + " line " + no + ": recording '" + f[1] + "' is not in "
                            + wavScp);
                }
                WavHeader h = headers.computeIfAbsent(wav, WavHeader::read);
                double start;
                double end;
                try {
                    start = Double.parseDouble(f[2]);
                    end = Double.parseDouble(f[3]);
                } catch (NumberFormatException e) {
                    throw new CorpusException(segments + " line " + no + ": start and end must be seconds, got '"
                            + f[2] + "' and '" + f[3] + "'");
                }
                if (!Double.isFinite(start) || !Double.isFinite(end)) {
                    throw new CorpusException(segments + " line " + no + ": start and end must be finite seconds, got '"
                            + f[2] + "' and '" + f[3] + "'");
                }
                long s0 = Math.round(start * h.sampleRate());
                long s1 = end < 0 ? h.numFrames() : Math.round(end * h.sampleRate());
                if (start < 0 || s1 <= s0 || s1 > h.numFrames()) {
                    throw new CorpusException(segments + " line " + no + ": segment [" + f[2] + ", " + f[3]
                            + "] s is not inside " + wav + " (" + h.seconds() + " s)");
                }
                if (seen.put(f[0], no) != null) {
                    throw new CorpusException(segments + " line " + no + ": duplicate utterance id '" + f[0] + "'");
                }
                out.add(utterance(f[0], utt2spk, utt2spkFile, wav, h, s0, s1 - s0));
            });
        } else {
            utteranceList = wavScp;
            for (Map.Entry<String, Path> e : recordings.entrySet()) {
                checkId(e.getKey(), wavScp, recordingLines.get(e.getKey()));
                WavHeader h = headers.computeIfAbsent(e.getValue(), WavHeader::read);
                if (h.numFrames() == 0) {
                    throw new CorpusException(wavScp + " line " + recordingLines.get(e.getKey()) + ": " + e.getValue()
                            + " holds no samples; expected at least one");
                }
                out.add(utterance(e.getKey(), utt2spk, utt2spkFile, e.getValue(), h, 0, h.numFrames()));
            }
        }
        if (utt2spk.size() > out.size()) {
            java.util.Set<String> ids = new java.util.HashSet<>();
            out.forEach(u -> ids.add(u.id()));
            for (Map.Entry<String, Integer> e : utt2spkLines.entrySet()) {
                if (!ids.contains(e.getKey())) {
                    throw new CorpusException(utt2spkFile + " line " + e.getValue() + ": utterance '" + e.getKey()
                            + "' is not in " + utteranceList + "; expected a speaker line for each utterance only");
                }
            }
        }
        if (out.isEmpty()) {
            throw new CorpusException("no utterances in " + dir + ": " + utteranceList
                    + " has no lines; expected at least one utterance");
        }
        return Corpus.of(dir, out);
    }

    /**
     * Refuses an id that the project's own files could not hold: Kaldi files split on whitespace,
     * CSV on ',' and the evaluation's mixture column joins source ids with '+'.
     */
    private static void checkId(String id, Path file, int no) {
        String problem = Corpus.idProblem(id);
        if (problem != null) {
            throw new CorpusException(file + " line " + no + ": utterance id '" + id + "' " + problem);
        }
    }

    private static Utterance utterance(String id, Map<String, String> utt2spk, Path utt2spkFile, Path wav, WavHeader h,
                                       long start, long n) {
        String spk = utt2spk.get(id);
        if (spk == null) {
            throw new CorpusException(utt2spkFile + ": no speaker for utterance '" + id + "'");
        }
        if (h.channels() != 1) {
            throw new CorpusException(wav + ": " + h.channels() + " channels; expected mono");
        }
        return new Utterance(id, spk, wav, start, n, h.sampleRate(), List.of());
    }

    /** Reads a JSONL manifest. */
    public static Corpus readManifest(Path file) {
        Path dir = file.toAbsolutePath().getParent();
        List<Utterance> out = new ArrayList<>();
        Map<String, Integer> seen = new HashMap<>();
        forEachLine(file, (line, no) -> {
            JsonNode o;
            try {
                o = JSON.readTree(line);
            } catch (JsonProcessingException e) {
                throw new CorpusException(file + " line " + no + ": not valid JSON (a manifest holds one JSON object "
                        + "a line; pass a Kaldi data dir as its folder): " + e.getOriginalMessage());
            }
            if (o == null || !o.isObject()) {
                throw new CorpusException(file + " line " + no + ": expected a JSON object");
            }
            String id = field(o, "id", file, no);
            checkId(id, file, no);
            String spk = field(o, "speaker", file, no);
            if (indexOfWhitespace(spk) >= 0) {
                throw new CorpusException(file + " line " + no + ": speaker id '" + spk
                        + "' holds whitespace; expected an id without (Kaldi's utt2spk cannot hold it)");
            }
            String p = field(o, "path", file, no);
            Path wav = dir.resolve(p).normalize();
            Integer prev = seen.put(id, no);
            if (prev != null) {
                throw new CorpusException(file + " line " + no + ": duplicate utterance id '" + id
                        + "' (first on line " + prev + ")");
            }
            int rate;
            long n;
            WavHeader h = null;
            if (o.has("sample_rate")) {
                rate = o.get("sample_rate").asInt();
            } else {
                h = WavHeader.read(wav);
                rate = h.sampleRate();
            }
            if (o.has("num_samples")) {
                n = o.get("num_samples").asLong();
            } else if (o.has("duration")) {
                n = Math.round(o.get("duration").asDouble() * rate);
            } else {
                h = h == null ? WavHeader.read(wav) : h;
                n = h.numFrames();
            }
            if (rate <= 0 || n <= 0) {
                throw new CorpusException(file + " line " + no + ": sample_rate and size must be positive, got "
                        + rate + " Hz and " + n + " samples");
            }
            if (!Files.exists(wav)) {
                throw new CorpusException(file + " line " + no + ": audio file not found: " + wav);
            }
            List<String> tags = new ArrayList<>();
            o.path("tags").forEach(t -> tags.add(t.asText()));
            JsonNode startNode = o.path("start_sample");
            long start = startNode.asLong(0);
            if (!startNode.isMissingNode() && (!startNode.canConvertToLong() || !startNode.isIntegralNumber()
                    || start < 0)) {
                throw new CorpusException(file + " line " + no + ": start_sample must be an integer >= 0, got "
                        + startNode);
            }
            out.add(new Utterance(id, spk, wav, start, n, rate, tags));
        });
        if (out.isEmpty()) {
            throw new CorpusException("no utterances in " + file + ": it has no lines; expected one JSON object "
                    + "per utterance");
        }
        return Corpus.of(file, out);
    }

    private static String field(JsonNode o, String name, Path file, int no) {
        JsonNode v = o.get(name);
        if (v == null || v.isNull() || v.asText().isEmpty()) {
            throw new CorpusException(file + " line " + no + ": missing \"" + name + "\"");
        }
        return v.asText();
    }

    private static String[] splitFirst(String line, Path file, int no, String expected) {
        String t = line.strip();
        int sp = indexOfWhitespace(t);
        if (sp <= 0 || t.substring(sp).isBlank()) {
            throw new CorpusException(file + " line " + no + ": expected '" + expected + "', got '" + line + "'");
        }
        return new String[] {t.substring(0, sp), t.substring(sp + 1).strip()};
    }

    private static int indexOfWhitespace(String s) {
        for (int i = 0; i < s.length(); i++) {
            if (Character.isWhitespace(s.charAt(i))) {
                return i;
            }
        }
        return -1;
    }

    private static void forEachLine(Path file, TextLines.LineHandler handler) {
        TextLines.forEach(file, "", "file not found", CorpusException::new, handler);
    }
}
