package io.speechsampler.core.samplers;

import io.speechsampler.api.corpus.Corpus;
import io.speechsampler.api.draw.Draw;
import io.speechsampler.api.draw.ItemDraw;
import io.speechsampler.api.spi.EpochContext;
import io.speechsampler.api.spi.SourceSampler;
import java.util.Iterator;
import java.util.NoSuchElementException;

/** Every utterance once per epoch, in corpus order. Draws no random numbers. */
public final class SequentialSampler implements SourceSampler {

    private final ItemDraw[] draws;

    private SequentialSampler(ItemDraw[] draws) {
        this.draws = draws;
    }

    public static SourceSampler of(Corpus corpus) {
        return new SequentialSampler(draws(corpus));
    }

    static String[] ids(Corpus corpus) {
        String[] ids = new String[corpus.size()];
        for (int i = 0; i < ids.length; i++) {
            ids[i] = corpus.get(i).id();
        }
        return ids;
    }

    /**
     * One untagged draw per utterance, by corpus index. Draws are immutable, so the samplers hand
     * out these instances instead of allocating a draw per draw: an epoch then allocates nothing
     * per draw, and the draws an epoch holds are long-lived objects the garbage collector does
     * not copy again every epoch.
     */
    static ItemDraw[] draws(Corpus corpus) {
        return draws(ids(corpus));
    }

    /** One untagged draw per id, in order. */
    static ItemDraw[] draws(String[] ids) {
        ItemDraw[] draws = new ItemDraw[ids.length];
        for (int i = 0; i < ids.length; i++) {
            draws[i] = ItemDraw.of(ids[i]);
        }
        return draws;
    }

    @Override
    public Iterator<Draw> epoch(EpochContext context) {
        return new Iterator<>() {
            private int i;

            @Override
            public boolean hasNext() {
                return i < draws.length;
            }

            @Override
            public Draw next() {
                if (i >= draws.length) {
                    throw new NoSuchElementException();
                }
                return draws[i++];
            }
        };
    }

    @Override
    public long epochSize() {
        return draws.length;
    }
}
