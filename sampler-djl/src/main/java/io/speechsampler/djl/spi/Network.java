package io.speechsampler.djl.spi;

import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Objects;

/**
 * A network a {@link ModelProvider} built: the uninitialised block, what it takes and gives
 * (its {@link Signature}), and the shapes to initialise it with when no batch is at hand (loading a
 * checkpoint).
 *
 * @param block       the uninitialised block
 * @param signature   what it takes and gives
 * @param outputs     waveform outputs of a separator (1 for an extractor, 0 for a classifier)
 * @param classes     classifier rows (0 when it is not a classifier); an extractor's: the training
 *                    speakers, for an auxiliary speaker classifier its task may add
 * @param initShapes  input shapes with batch 1
 * @param settings    the model section as bound (defaults filled), for tasks and reports
 * @param description one line, e.g. {@code conv-tasnet (tiny, 2 outputs)}
 */
public record Network(Block block, Signature signature, int outputs, int classes, Shape[] initShapes,
                      ObjectNode settings, String description) {

    /** What a network takes and gives. */
    public enum Signature {
        /** mixture (B, T) -> estimates (B, outputs, T) */
        SEPARATOR,
        /** mixture (B, T) and enrolment (B, E) -> estimate (B, 1, T) and speaker embedding (B, D) */
        EXTRACTOR,
        /** waveform (B, T) -> class scores (B, classes) and embedding (B, D) */
        CLASSIFIER
    }

    public Network {
        Objects.requireNonNull(block, "block");
        Objects.requireNonNull(signature, "signature");
        initShapes = initShapes.clone();
        settings = settings.deepCopy();
    }

    @Override
    public Shape[] initShapes() {
        return initShapes.clone();
    }

    @Override
    public ObjectNode settings() {
        return settings.deepCopy();
    }

    /**
     * This network with {@code newBlock}, which must take and give what this one's block does
     * (leading outputs the same; a task's wrapper may append outputs of its own).
     */
    public Network withBlock(Block newBlock) {
        return new Network(newBlock, signature, outputs, classes, initShapes, settings, description);
    }

    /** A setting's text, or {@code fallback} when the model has none. */
    public String setting(String key, String fallback) {
        return settings.hasNonNull(key) ? settings.get(key).asText() : fallback;
    }

    /** A numeric setting, or {@code fallback} when the model has none. */
    public double setting(String key, double fallback) {
        return settings.hasNonNull(key) ? settings.get(key).asDouble() : fallback;
    }
}
