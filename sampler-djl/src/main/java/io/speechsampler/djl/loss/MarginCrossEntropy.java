package io.speechsampler.djl.loss;

import ai.djl.ndarray.NDArray;

/**
 * Per-sample cross-entropy of logits against one-hot classes: {@code -sum(oneHot *
 * logSoftmax(logits))} over classes. With a margin head's training logits this is the
 * AM-softmax / ArcFace loss; masked classes (logit -1e9) take no probability mass.
 */
public final class MarginCrossEntropy {

    private MarginCrossEntropy() {
    }

    /**
     * @param logits (batch, C)
     * @param oneHot (batch, C)
     * @return (batch)
     */
    public static NDArray perSample(NDArray logits, NDArray oneHot) {
        return logits.logSoftmax(1).mul(oneHot).sum(new int[] {1}).neg();
    }
}
