package io.speechsampler.hardmining.mining;

import io.speechsampler.api.random.RandomStreams;
import java.util.ArrayList;
import java.util.List;
import org.apache.commons.rng.UniformRandomProvider;

/** Random mining inputs from a seed (ids u000.., speakers s0..). */
final class MiningData {

    final List<String> ids = new ArrayList<>();
    final List<String> speakers = new ArrayList<>();
    final int[] speaker;
    final UniformRandomProvider rng;

    MiningData(long seed, int n, int numSpeakers) {
        rng = RandomStreams.of(seed, "mining-test", 0);
        speaker = new int[n];
        for (int i = 0; i < n; i++) {
            ids.add(String.format("u%04d", i));
            speaker[i] = rng.nextInt(numSpeakers);
            speakers.add("s" + speaker[i]);
        }
    }
}
