package io.speechsampler.api.corpus;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.TreeSet;

/**
 * An immutable corpus: utterances in file order, with indexes by id and by speaker. Speakers are
 * sorted, and a speaker's position in {@link #speakers()} is its class index.
 */
public final class Corpus {

    private final Path source;
    private final List<Utterance> utterances;
    private final Map<String, Integer> byId;
    private final List<String> speakers;
    private final int[] speakerIndex;
    private final int[][] bySpeaker;
    private final int sampleRate;

    private Corpus(Path source, List<Utterance> utterances) {
        this.source = source;
        this.utterances = List.copyOf(utterances);
        this.byId = new HashMap<>(utterances.size() * 2);
        TreeSet<String> spk = new TreeSet<>();
        int rate = -1;
        for (int i = 0; i < utterances.size(); i++) {
            Utterance u = utterances.get(i);
            String problem = idProblem(u.id());
            if (problem != null) {
                throw new CorpusException(source + ": utterance id '" + u.id() + "' " + problem);
            }
            if (byId.put(u.id(), i) != null) {
                throw new CorpusException(source + ": duplicate utterance id '" + u.id() + "'");
            }
            spk.add(u.speaker());
            if (rate < 0) {
                rate = u.sampleRate();
            } else if (rate != u.sampleRate()) {
                throw new CorpusException(source + ": utterance '" + u.id() + "' is at " + u.sampleRate()
                        + " Hz but the corpus is at " + rate + " Hz; expected one sample rate");
            }
        }
        this.sampleRate = rate;
        this.speakers = List.copyOf(spk);
        Map<String, Integer> spkIdx = new HashMap<>();
        for (int i = 0; i < speakers.size(); i++) {
            spkIdx.put(speakers.get(i), i);
        }
        this.speakerIndex = new int[utterances.size()];
        int[] counts = new int[speakers.size()];
        for (int i = 0; i < utterances.size(); i++) {
            speakerIndex[i] = spkIdx.get(utterances.get(i).speaker());
            counts[speakerIndex[i]]++;
        }
        this.bySpeaker = new int[speakers.size()][];
        for (int s = 0; s < counts.length; s++) {
            bySpeaker[s] = new int[counts[s]];
        }
        int[] fill = new int[speakers.size()];
        for (int i = 0; i < utterances.size(); i++) {
            int s = speakerIndex[i];
            bySpeaker[s][fill[s]++] = i;
        }
    }

    /**
     * Why an utterance id cannot be used, or null when it can: ids are written into Kaldi files
     * (split on whitespace), CSV files (split on ',') and the evaluation's {@code sources} column
     * (ids joined by '+'), and each must read back as the one id.
     */
    public static String idProblem(String id) {
        if (id.isEmpty()) {
            return "is empty; expected a non-empty id";
        }
        for (int i = 0; i < id.length(); i++) {
            char c = id.charAt(i);
            if (Character.isWhitespace(c) || c == ',' || c == '+') {
                String what = Character.isWhitespace(c) ? "whitespace" : "'" + c + "'";
                return "holds " + what + "; expected an id without whitespace, ',' or '+' (ids are written into "
                        + "Kaldi, TSV and CSV files that split on them)";
            }
        }
        return null;
    }

    /**
     * A corpus of these utterances; {@code source} names it in messages. Ids must be unique and
     * pass {@link #idProblem}.
     */
    public static Corpus of(Path source, List<Utterance> utterances) {
        return new Corpus(source, utterances);
    }

    /** Where it was read from (a directory or manifest). */
    public Path source() {
        return source;
    }

    public int size() {
        return utterances.size();
    }

    public List<Utterance> utterances() {
        return utterances;
    }

    public Utterance get(int index) {
        return utterances.get(index);
    }

    public OptionalInt indexOf(String id) {
        Integer i = byId.get(id);
        return i == null ? OptionalInt.empty() : OptionalInt.of(i);
    }

    /** The utterance with this id; an error naming the id and the corpus otherwise. */
    public Utterance require(String id) {
        Integer i = byId.get(id);
        if (i == null) {
            throw new CorpusException(source + ": no utterance with id '" + id + "'");
        }
        return utterances.get(i);
    }

    /** Sorted speaker ids; the position is the class index. */
    public List<String> speakers() {
        return speakers;
    }

    public int numSpeakers() {
        return speakers.size();
    }

    /** Class index of utterance {@code index}'s speaker. */
    public int speakerOf(int index) {
        return speakerIndex[index];
    }

    /** Utterance indexes of speaker {@code speaker} (class index), in corpus order. */
    public int[] utterancesOf(int speaker) {
        return bySpeaker[speaker].clone();
    }

    public int countOf(int speaker) {
        return bySpeaker[speaker].length;
    }

    /** The common sample rate, or -1 for an empty corpus. */
    public int sampleRate() {
        return sampleRate;
    }

    /** Durations in seconds, by utterance index. */
    public double[] seconds() {
        double[] d = new double[utterances.size()];
        for (int i = 0; i < d.length; i++) {
            d[i] = utterances.get(i).seconds();
        }
        return d;
    }

    /** The index of the shortest utterance (in samples; the first of equal ones), or -1 for an empty corpus. */
    public int shortest() {
        int best = -1;
        for (int i = 0; i < utterances.size(); i++) {
            if (best < 0 || utterances.get(i).numSamples() < utterances.get(best).numSamples()) {
                best = i;
            }
        }
        return best;
    }

    /**
     * A crop of {@code samples} that the shortest utterance cannot hold, described for a message
     * ({@code "longer than the shortest utterance of corpus SOURCE, 'ID' (2.308 s, 18465 samples);
     * expected at most 2.308 s"}), or null when every utterance holds it (or the corpus is empty).
     */
    public String cropTooLong(long samples) {
        int i = shortest();
        if (i < 0 || samples <= utterances.get(i).numSamples()) {
            return null;
        }
        long n = utterances.get(i).numSamples();
        String at = String.format(java.util.Locale.ROOT, "%.3f", Math.floor(n * 1000.0 / sampleRate) / 1000);
        return "longer than the shortest utterance of corpus " + source + ", '" + utterances.get(i).id() + "' (" + at
                + " s, " + n + " samples); expected at most " + at + " s";
    }

    /** The utterances whose speakers are in {@code keep}, as a new corpus. */
    public Corpus restrictToSpeakers(java.util.Set<String> keep) {
        List<Utterance> out = new ArrayList<>();
        for (Utterance u : utterances) {
            if (keep.contains(u.speaker())) {
                out.add(u);
            }
        }
        return new Corpus(source, out);
    }

    @Override
    public String toString() {
        return "Corpus[" + source + ", " + utterances.size() + " utterances, " + speakers.size() + " speakers, "
                + sampleRate + " Hz]";
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Corpus c && c.utterances.equals(utterances);
    }

    @Override
    public int hashCode() {
        return utterances.hashCode() * 31 + Arrays.hashCode(speakerIndex);
    }
}
