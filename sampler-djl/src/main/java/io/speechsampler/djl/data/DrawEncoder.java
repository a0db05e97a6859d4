package io.speechsampler.djl.data;

import ai.djl.ndarray.NDManager;
import ai.djl.training.dataset.Record;
import io.speechsampler.api.draw.Draw;

/** Turns one draw into a DJL record (data and labels), e.g. by rendering its audio. */
@FunctionalInterface
public interface DrawEncoder {

    Record encode(NDManager manager, Draw draw);
}
