package io.speechsampler.lossgate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.speechsampler.api.random.RandomStreams;
import java.util.List;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.DoubleRange;
import net.jqwik.api.constraints.IntRange;
import org.apache.commons.rng.UniformRandomProvider;

/** The weighted loss of a gated batch is the mean of exactly the losses at most the gate. */
class LossGateProperties {

    @Property(tries = 300)
    void gatedLossIsTheMeanOfTheLossesUnderTheGate(@ForAll long seed, @ForAll @IntRange(min = 1, max = 64) int b,
                                                   @ForAll @DoubleRange(min = 0.01, max = 10) double gate) {
        UniformRandomProvider rng = RandomStreams.of(seed, "loss-gate-test", 0);
        double[] losses = new double[b];
        for (int i = 0; i < b; i++) {
            // cross-entropy-like losses, some exactly at the gate
            losses[i] = rng.nextInt(5) == 0 ? gate : rng.nextDouble() * 12;
        }
        double[] w = LossGate.of(gate, 0).weights(List.of(), losses, new double[b]);
        double sum = 0;
        int kept = 0;
        for (int i = 0; i < b; i++) {
            assertTrue(w[i] == 0 || w[i] == 1);
            assertEquals(losses[i] <= gate, w[i] == 1);
            if (w[i] == 1) {
                sum += losses[i];
                kept++;
            }
        }
        double reduced = LossGate.of(gate, 0).reduce(List.of(), losses, new double[b]);
        if (kept == 0) {
            assertTrue(Double.isNaN(reduced));
        } else {
            assertEquals(sum / kept, reduced, 1e-12);
            assertTrue(reduced <= gate * (1 + 1e-12), "a mean of losses at most the gate (up to rounding)");
        }
    }
}
