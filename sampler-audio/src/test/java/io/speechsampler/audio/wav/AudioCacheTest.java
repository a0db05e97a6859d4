package io.speechsampler.audio.wav;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.speechsampler.api.corpus.CorpusException;
import io.speechsampler.api.corpus.Utterance;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AudioCacheTest {

    @TempDir
    Path dir;

    private Utterance utterance(String id, int n, float value) {
        float[] x = new float[n];
        java.util.Arrays.fill(x, value);
        Path f = dir.resolve(id + ".wav");
        WavWriter.write(f, x, 16000);
        return new Utterance(id, "spk", f, 0, n, 16000, List.of());
    }

    @Test
    void evictsLeastRecentlyUsedUnderTheSampleBound() {
        Utterance a = utterance("a", 400, 0.25f);
        Utterance b = utterance("b", 400, 0.5f);
        Utterance c = utterance("c", 400, -0.5f);
        AudioCache cache = AudioCache.of(1000);
        float[] a1 = cache.get(a);
        cache.get(b);
        assertSame(a1, cache.get(a));
        cache.get(c);
        assertEquals(800, cache.heldSamples());
        assertEquals(2, cache.size());
        assertSame(a1, cache.get(a), "a was used after b, so b is the one evicted");
        assertEquals(2, cache.hits());
        assertEquals(3, cache.misses());
        cache.get(b);
        assertEquals(4, cache.misses());
        assertEquals(0.5f, cache.get(b)[0]);
    }

    @Test
    void utteranceLargerThanTheBoundIsReturnedButNotKept() {
        Utterance big = utterance("big", 2000, 0.1f);
        AudioCache cache = AudioCache.of(1000);
        assertEquals(2000, cache.get(big).length);
        assertEquals(0, cache.size());
        assertEquals(0, cache.heldSamples());
    }

    @Test
    void sameIdInAnotherFileRangeIsAnotherEntry() {
        Utterance a = utterance("a", 400, 0.25f);
        Utterance part = new Utterance("a", "spk", a.path(), 100, 50, 16000, List.of());
        AudioCache cache = AudioCache.of(10_000);
        assertEquals(400, cache.get(a).length);
        assertEquals(50, cache.get(part).length);
        assertEquals(2, cache.size());
    }

    @Test
    void readErrorsPropagateAndAreNotCached() {
        Utterance wrongRate = new Utterance("w", "spk", utterance("w", 10, 0f).path(), 0, 10, 8000, List.of());
        AudioCache cache = AudioCache.of(1000);
        assertThrows(CorpusException.class, () -> cache.get(wrongRate));
        assertEquals(0, cache.size());
    }

    @Test
    void concurrentReadersSeeEqualAudio() throws Exception {
        List<Utterance> us = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            us.add(utterance("u" + i, 500, i / 10f));
        }
        AudioCache cache = AudioCache.of(2000);
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<Boolean>> results = new ArrayList<>();
            for (int t = 0; t < 4; t++) {
                int shift = t;
                results.add(pool.submit(() -> {
                    for (int k = 0; k < 200; k++) {
                        int i = (k * 3 + shift) % us.size();
                        float[] x = cache.get(us.get(i));
                        if (x.length != 500 || x[499] != Math.round(i / 10f * 32768) / 32768f) {
                            return false;
                        }
                    }
                    return true;
                }));
            }
            for (Future<Boolean> r : results) {
                assertTrue(r.get());
            }
        } finally {
            pool.shutdown();
        }
        assertTrue(cache.heldSamples() <= 2000);
        assertEquals(800, cache.hits() + cache.misses());
        assertArrayEquals(WavReader.read(us.get(3)), cache.get(us.get(3)));
    }
}
