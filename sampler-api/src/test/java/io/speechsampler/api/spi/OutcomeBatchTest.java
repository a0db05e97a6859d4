package io.speechsampler.api.spi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.speechsampler.api.corpus.Corpus;
import io.speechsampler.api.corpus.Utterance;
import io.speechsampler.api.draw.ItemDraw;
import io.speechsampler.api.draw.MixtureDraw;
import io.speechsampler.api.draw.Source;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

class OutcomeBatchTest {

    private static Corpus corpus(String... ids) {
        return Corpus.of(Path.of("c"), java.util.Arrays.stream(ids)
                .map(id -> new Utterance(id, "s", Path.of("/x/" + id + ".wav"), 0, 8000, 8000, List.of())).toList());
    }

    @Test
    void keyIndexesAreTheCorpusIndexesOfTheDrawsKeysAndBelongToThatCorpusOnly() {
        Corpus corpus = corpus("a", "b", "c");
        OutcomeBatch plain = new OutcomeBatch(List.of(ItemDraw.of("c"), ItemDraw.of("zz"),
                MixtureDraw.of(List.of(Source.of("b", 0, 0), Source.of("a", 0, 0)), 10)), 1, 2, 3,
                new double[] {1, 2, 3}, new double[] {4, 5, 6});
        OutcomeBatch indexed = plain.withKeyIndexes(corpus);
        assertEquals(List.of(2, -1, 1), List.of(indexed.keyIndex(0), indexed.keyIndex(1), indexed.keyIndex(2)),
                "the mixture's key is its first source");
        assertEquals(plain, indexed, "the same outcomes");
        assertTrue(indexed.hasKeyIndexesOf(corpus));
        assertFalse(indexed.hasKeyIndexesOf(corpus("a", "b", "c")), "another corpus object, even an equal one");
        assertFalse(plain.hasKeyIndexesOf(corpus));
        assertThrows(IllegalStateException.class, () -> plain.keyIndex(0));
    }
}
