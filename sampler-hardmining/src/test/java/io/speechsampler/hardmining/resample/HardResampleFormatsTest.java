package io.speechsampler.hardmining.resample;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.speechsampler.api.config.ConfigOrigin;
import io.speechsampler.api.config.Params;
import io.speechsampler.api.draw.Draw;
import io.speechsampler.api.spi.BuildContext;
import io.speechsampler.hardmining.mining.HardPairTable.Format;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A config naming the binary table builds a stage that behaves exactly as one naming the TSV. */
class HardResampleFormatsTest {

    @TempDir
    Path dir;

    private final HardResampleProvider provider = new HardResampleProvider();

    private HardResampleStage stage(String table, HardResampleProperties.World w) {
        ObjectNode node = JsonNodeFactory.instance.objectNode().put("name", "hard-resample").put("table", table)
                .put("p_s", 0.6);
        Params params = Params.bind(node, provider.parameters(), ConfigOrigin.NONE, "stages[0]", "stage 'hard-resample'");
        return (HardResampleStage) provider.create(params, new BuildContext(w.corpus, dir, 1, -1, "stages[0]"));
    }

    @Test
    void binaryAndTsvTablesGiveTheSameDraws() {
        for (long seed : new long[] {1, 2, 3}) {
            HardResampleProperties.World w = new HardResampleProperties.World(seed, 500);
            w.table.write(dir.resolve("hard.tsv"), Format.TSV);
            w.table.write(dir.resolve("hard.bin"), Format.BIN);
            w.table.write(dir.resolve("binary-named.tsv"), Format.BIN);
            HardResampleStage tsv = stage("hard.tsv", w);
            List<Draw> want = w.apply(tsv, seed);
            for (String name : List.of("hard.bin", "binary-named.tsv")) {
                HardResampleStage bin = stage(name, w);
                assertEquals(want, w.apply(bin, seed), name);
                assertEquals(tsv.tally(), bin.tally(), name);
            }
            assertTrue(tsv.tally().replaced() > 100, "the draws were re-sampled: " + tsv.tally());
        }
    }
}
