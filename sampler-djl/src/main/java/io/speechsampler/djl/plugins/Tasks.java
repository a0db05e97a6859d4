package io.speechsampler.djl.plugins;

import io.speechsampler.djl.spi.Network;
import io.speechsampler.djl.spi.TaskContext;

/** Checks the built-in tasks share. */
final class Tasks {

    private Tasks() {
    }

    /** The context's network, which must have {@code signature} for task {@code task}. */
    static Network require(TaskContext context, Network.Signature signature, String task) {
        Network n = context.network();
        if (n.signature() != signature) {
            throw context.origin().error("task.name", "task '" + task + "' needs a "
                    + signature.name().toLowerCase(java.util.Locale.ROOT) + " network, model " + n.description()
                    + " is a " + n.signature().name().toLowerCase(java.util.Locale.ROOT));
        }
        return n;
    }
}
