package io.speechsampler.djl.train;

import ai.djl.ndarray.NDArray;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.util.Pair;
import io.speechsampler.api.config.ConfigException;
import io.speechsampler.djl.run.TrainedModel;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A phase's {@code init_from}: the weights of another run's checkpoint copied into an initialised
 * network, parameter by parameter, by name and shape. A parameter the checkpoint lacks or holds
 * in another shape keeps its fresh initialisation and is named in the log: a classifier head whose
 * class count changed (loss-gated learning's rounds re-cluster into new pseudo-labels), or a
 * contrastive stage's scale and bias that a classifier does not have.
 */
final class InitialWeights {

    private static final Logger LOG = LoggerFactory.getLogger(InitialWeights.class);

    private InitialWeights() {
    }

    /** Whether the checkpoint lies in a run folder (a {@code config.yaml} in it or above), so its network can be built. */
    static boolean ofRun(Path checkpoint) {
        for (Path p = checkpoint.toAbsolutePath(); p != null; p = p.getParent()) {
            if (java.nio.file.Files.isRegularFile(p.resolve(TrainedModel.CONFIG))) {
                return true;
            }
        }
        return false;
    }

    /**
     * @throws ConfigException when the checkpoint cannot be loaded, or shares no parameter with the network
     */
    static void copy(Block target, Path checkpoint) {
        try (TrainedModel source = TrainedModel.load(checkpoint)) {
            Map<String, NDArray> from = new HashMap<>();
            for (Pair<String, Parameter> p : source.model().getBlock().getParameters()) {
                from.put(p.getKey(), p.getValue().getArray());
            }
            List<String> fresh = new ArrayList<>();
            int copied = 0;
            for (Pair<String, Parameter> p : target.getParameters()) {
                NDArray to = p.getValue().getArray();
                NDArray src = from.get(p.getKey());
                if (src != null && src.getShape().equals(to.getShape()) && src.getDataType() == to.getDataType()) {
                    to.set(src.toByteBuffer());
                    copied++;
                } else {
                    fresh.add(p.getKey() + (src == null ? " (not in the checkpoint)" : " (" + src.getShape()
                            + " there, " + to.getShape() + " here)"));
                }
            }
            if (copied == 0) {
                throw new ConfigException(checkpoint + ": init_from shares no parameter with this model (names and "
                        + "shapes differ everywhere); expected a checkpoint of the same network");
            }
            if (fresh.isEmpty()) {
                LOG.info("init_from {}: all {} parameters", checkpoint, copied);
            } else {
                LOG.info("init_from {}: {} parameters; freshly initialised: {}", checkpoint, copied,
                        String.join(", ", fresh));
            }
        }
    }
}
