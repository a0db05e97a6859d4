package io.speechsampler.hardmining.mining;

import java.util.List;
import java.util.Objects;

/**
 * What a miner found.
 *
 * @param table    the hard partners of every mined utterance
 * @param excluded ids left out of mining, in input order (e.g. unvoiced utterances with NaN f0)
 */
public record MiningResult(HardPairTable table, List<String> excluded) {

    public MiningResult {
        Objects.requireNonNull(table, "table");
        excluded = List.copyOf(excluded);
    }
}
