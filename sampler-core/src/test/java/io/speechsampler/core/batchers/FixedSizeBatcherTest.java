package io.speechsampler.core.batchers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.speechsampler.api.draw.Draw;
import io.speechsampler.api.draw.ItemDraw;
import io.speechsampler.api.spi.Batcher;
import io.speechsampler.api.spi.EpochContext;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/** {@code fixed}: sizes, the short last batch, and batches that cannot be changed. */
class FixedSizeBatcherTest {

    private static final EpochContext CTX = new EpochContext(1, 0, 0, 1, "batch");

    private static List<List<Draw>> batches(int n, int size, boolean dropIncomplete) {
        Iterator<Draw> draws = IntStream.range(0, n).mapToObj(i -> (Draw) ItemDraw.of("u" + i)).iterator();
        List<List<Draw>> out = new ArrayList<>();
        FixedSizeBatcher.of(size, dropIncomplete).batches(draws, CTX).forEachRemaining(out::add);
        return out;
    }

    @Test
    void consecutiveDrawsInOrderWithAShortLastBatch() {
        List<List<Draw>> b = batches(7, 3, false);
        assertEquals(List.of(3, 3, 1), b.stream().map(List::size).toList());
        assertEquals(ItemDraw.of("u0"), b.get(0).get(0));
        assertEquals(ItemDraw.of("u5"), b.get(1).get(2));
        assertEquals(ItemDraw.of("u6"), b.get(2).get(0));
    }

    @Test
    void dropIncompleteDropsOnlyTheShortLastBatch() {
        assertEquals(List.of(3, 3), batches(7, 3, true).stream().map(List::size).toList());
        assertEquals(List.of(3, 3), batches(6, 3, true).stream().map(List::size).toList());
        assertEquals(List.of(), batches(2, 3, true));
        assertEquals(List.of(), batches(0, 3, false));
    }

    @Test
    void batchesCannotBeChangedAndEndsAreReported() {
        Batcher batcher = FixedSizeBatcher.of(2, false);
        Iterator<List<Draw>> it = batcher.batches(List.<Draw>of(ItemDraw.of("a")).iterator(), CTX);
        List<Draw> only = it.next();
        assertThrows(UnsupportedOperationException.class, () -> only.set(0, ItemDraw.of("b")));
        assertThrows(NoSuchElementException.class, it::next);
        assertEquals(2, batcher.fixedBatchSize());
    }
}
