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

    private final String[] ids;

    private SequentialSampler(String[] ids) {
        this.ids = ids;
    }

    public static SourceSampler of(Corpus corpus) {
        return new SequentialSampler(ids(corpus));
    }

    static String[] ids(Corpus corpus) {
        String[] ids = new String[corpus.size()];
        for (int i = 0; i < ids.length; i++) {
            ids[i] = corpus.get(i).id();
        }
        return ids;
    }

    @Override
    public Iterator<Draw> epoch(EpochContext context) {
        return new Iterator<>() {
            private int i;

            @Override
            public boolean hasNext() {
                return i < ids.length;
            }

            @Override
            public Draw next() {
                if (i >= ids.length) {
                    throw new NoSuchElementException();
                }
                return ItemDraw.of(ids[i++]);
            }
        };
    }

    @Override
    public long epochSize() {
        return ids.length;
    }
}
