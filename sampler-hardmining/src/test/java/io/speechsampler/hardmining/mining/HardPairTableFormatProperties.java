package io.speechsampler.hardmining.mining;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.speechsampler.api.corpus.Corpus;
import io.speechsampler.api.corpus.Utterance;
import io.speechsampler.hardmining.mining.HardPairTable.Format;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;

/** The binary table holds exactly what the TSV holds. */
class HardPairTableFormatProperties {

    /**
     * A mined table (pitch, M nearest or a share P_M, some utterances unvoiced, some ids not ASCII)
     * written as TSV, and written as binary, read back and written as TSV, gives the same bytes;
     * both files read back to the mined table.
     */
    @Property(tries = 30)
    void binaryRoundTripEqualsTheTsv(@ForAll long seed, @ForAll @IntRange(min = 2, max = 7) int numSpeakers,
                                     @ForAll @IntRange(min = 1, max = 40) int m, @ForAll boolean nearest)
            throws IOException {
        MiningData data = new MiningData(seed, 200, numSpeakers);
        List<String> ids = new ArrayList<>();
        List<Utterance> utts = new ArrayList<>();
        double[] f0 = new double[200];
        for (int i = 0; i < 200; i++) {
            String id = i % 9 == 0 ? "spr\u00e9cher-" + i : data.ids.get(i);
            ids.add(id);
            utts.add(new Utterance(id, data.speakers.get(i), Path.of("/a/" + i + ".wav"), 0, 16000, 16000, List.of()));
            f0[i] = data.rng.nextInt(15) == 0 ? Double.NaN
                    : data.rng.nextBoolean() ? 100 + data.rng.nextInt(30) : 80 + 200 * data.rng.nextDouble();
        }
        Corpus corpus = Corpus.of(Path.of("corpus"), utts);
        PartnerCount count = nearest ? PartnerCount.nearest(m) : PartnerCount.fraction(m / 100.0);
        HardPairTable mined = ScalarParameterMiner.pitch(count).mine(ids, data.speakers, f0).table();

        Path dir = Files.createTempDirectory("hard-pair-formats");
        try {
            Path tsv = dir.resolve("hard.tsv");
            Path bin = dir.resolve("hard.bin");
            Path again = dir.resolve("again.tsv");
            mined.write(tsv, Format.TSV);
            mined.write(bin, Format.BIN);
            HardPairTable fromBin = HardPairTable.read(bin, corpus);
            fromBin.write(again, Format.TSV);
            assertArrayEquals(Files.readAllBytes(tsv), Files.readAllBytes(again));
            assertEquals(mined, fromBin);
            assertEquals(mined, HardPairTable.read(tsv, corpus));
            assertEquals(mined.pairCount(), fromBin.pairCount());
        } finally {
            try (Stream<Path> files = Files.walk(dir)) {
                for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
                    Files.delete(p);
                }
            }
        }
    }
}
