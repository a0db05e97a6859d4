package io.speechsampler.audio.wav;

import io.speechsampler.api.corpus.Utterance;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * A bounded least-recently-used cache of utterance audio. The bound is on the total number of
 * samples held; an utterance larger than the bound is read and returned but not kept. Entries are
 * keyed by the utterance's id and the file range it names (path, first sample, sample count), so
 * two corpora that reuse an id (speech and noise, say) do not collide.
 *
 * <p>Thread-safe: the map is guarded by this object's monitor, and files are read outside it, so a
 * slow read does not block hits from other threads. Two threads missing on one utterance at once
 * may both read it; both get equal samples and one copy is kept.
 *
 * <p>The arrays returned are shared with the cache and with other callers: read them, never write.
 */
public final class AudioCache {

    private record Key(String id, String path, long start, long count) {
        static Key of(Utterance u) {
            return new Key(u.id(), u.path().toString(), u.startSample(), u.numSamples());
        }
    }

    private final long maxSamples;
    private final LinkedHashMap<Key, float[]> entries = new LinkedHashMap<>(16, 0.75f, true);
    private long heldSamples;
    private long hits;
    private long misses;

    private AudioCache(long maxSamples) {
        this.maxSamples = maxSamples;
    }

    /** A cache holding at most {@code maxSamples} samples in all (0 keeps nothing). */
    public static AudioCache of(long maxSamples) {
        if (maxSamples < 0) {
            throw new IllegalArgumentException("maxSamples is negative: " + maxSamples);
        }
        return new AudioCache(maxSamples);
    }

    /** A cache of at most {@code seconds} of audio at {@code sampleRate} Hz. */
    public static AudioCache ofSeconds(double seconds, int sampleRate) {
        if (!(seconds >= 0) || Double.isInfinite(seconds)) {
            throw new IllegalArgumentException("seconds is not finite and at least 0: " + seconds);
        }
        if (sampleRate <= 0) {
            throw new IllegalArgumentException("sampleRate is not positive: " + sampleRate);
        }
        return of((long) Math.floor(seconds * sampleRate));
    }

    /**
     * The utterance's samples, read with {@link WavReader#read(Utterance)} on a miss.
     *
     * @throws io.speechsampler.api.corpus.CorpusException when the audio cannot be read as the
     *                                                     utterance describes it
     */
    public float[] get(Utterance utterance) {
        Objects.requireNonNull(utterance, "utterance");
        Key key = Key.of(utterance);
        synchronized (this) {
            float[] hit = entries.get(key);
            if (hit != null) {
                hits++;
                return hit;
            }
            misses++;
        }
        float[] loaded = WavReader.read(utterance);
        synchronized (this) {
            float[] raced = entries.get(key);
            if (raced != null) {
                return raced;
            }
            if (loaded.length <= maxSamples) {
                entries.put(key, loaded);
                heldSamples += loaded.length;
                evict();
            }
        }
        return loaded;
    }

    private void evict() {
        Iterator<Map.Entry<Key, float[]>> it = entries.entrySet().iterator();
        while (heldSamples > maxSamples && it.hasNext()) {
            heldSamples -= it.next().getValue().length;
            it.remove();
        }
    }

    /** The bound on total samples held. */
    public long maxSamples() {
        return maxSamples;
    }

    /** Samples held now. */
    public synchronized long heldSamples() {
        return heldSamples;
    }

    /** Utterances held now. */
    public synchronized int size() {
        return entries.size();
    }

    /** Calls of {@link #get} answered from memory. */
    public synchronized long hits() {
        return hits;
    }

    /** Calls of {@link #get} that read the file. */
    public synchronized long misses() {
        return misses;
    }

    /** Drops every entry (counters are kept). */
    public synchronized void clear() {
        entries.clear();
        heldSamples = 0;
    }
}
