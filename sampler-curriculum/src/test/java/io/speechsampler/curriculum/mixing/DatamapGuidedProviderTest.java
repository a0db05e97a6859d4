package io.speechsampler.curriculum.mixing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.speechsampler.api.config.ConfigException;
import io.speechsampler.api.draw.Batch;
import io.speechsampler.api.io.AtomicFiles;
import io.speechsampler.core.pipeline.Pipeline;
import io.speechsampler.curriculum.datamap.DatamapRegions.Region;
import io.speechsampler.curriculum.datamap.DatamapTable;
import io.speechsampler.curriculum.datamap.TseDatamap;
import io.speechsampler.testkit.FeedbackContract;
import java.util.Arrays;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class DatamapGuidedProviderTest {

    private static final String HEAD = "sampler: {name: multi-factor-curriculum, segment_seconds: 0.25, "
            + "real_corpus: real/manifest.jsonl, datamap: ";

    private static String failure(String datamap) {
        return failure("", datamap);
    }

    private static String failure(String components, String datamap) {
        String yaml = components + HEAD + datamap + "}\nbatch: {name: fixed, size: 4}\n";
        return assertThrows(ConfigException.class, () -> CurriculumPipelines.build(yaml, 1, 0, 1, 1)).getMessage();
    }

    @Test
    void badInputIsOneLineNamingTheKeyAndTheRule() {
        String line = "test.yaml line 2: 'sampler.datamap";
        assertEquals(line + ".from': " + CurriculumPipelines.DIR.resolve("none.csv") + ": not found; expected the "
                + "datamap.csv written by 'sampler datamap'", failure("{from: none.csv}"));
        AtomicFiles.writeString(CurriculumPipelines.DIR.resolve("other.csv"), "a,b\n1,2\n");
        assertEquals(line + ".from': " + CurriculumPipelines.DIR.resolve("other.csv") + " line 1: not a datamap.csv: "
                + "the header is 'a,b'; expected it to start with 'id,speaker,confidence,variability,correctness,"
                + "region' (as 'sampler datamap' writes it)", failure("{from: other.csv}"));
        AtomicFiles.writeString(CurriculumPipelines.DIR.resolve("foreign.csv"),
                "id,speaker,confidence,variability,correctness,region\nx1,s,0.5,0.1,1,easy\nx2,s,0.5,0.1,1,hard\n");
        assertTrue(failure("{from: foreign.csv}").contains("2 ids are not utterances of the corpus"));
        // the file's real: rows are the second corpus's; a run without that corpus does not know them
        String noReal = "sampler: {name: multi-factor-curriculum, segment_seconds: 0.25, datamap: {from: "
                + DatamapGuidedPipelines.CSV.getFileName() + "}}\nbatch: {name: fixed, size: 4}\n";
        assertTrue(assertThrows(ConfigException.class, () -> CurriculumPipelines.build(noReal, 1, 0, 1, 1)).getMessage()
                .contains("2 ids are not utterances of the corpus"), "real: rows without a real_corpus");
        assertEquals(line + ".weights.medium' is not a region; expected easy, ambiguous, hard, unseen",
                failure("{from: " + DatamapGuidedPipelines.CSV.getFileName() + ", weights: {medium: 1}}"));
        assertEquals(line + ".weights.hard' stop 2 is not a finite weight >= 0: -1",
                failure("{from: " + DatamapGuidedPipelines.CSV.getFileName() + ", weights: {hard: [1, -1]}}"));
        assertEquals(line + ".weights': every region weight is 0 at competence 1.0 (regions with utterances: easy, "
                + "ambiguous, hard, unseen); expected some weight above 0 at every competence",
                failure("{from: " + DatamapGuidedPipelines.CSV.getFileName() + ", weights: {easy: [1, 0], ambiguous: "
                        + "[1, 0], hard: [1, 0], unseen: [1, 0]}}"));
        assertEquals(line + "' needs exactly one of 'from' (a datamap.csv of an earlier run) and 'ref' (a datamap "
                + "observer of this run in 'components')", failure("{weights: {easy: 1}}"));
        assertTrue(failure("{ref: dm}").contains("'dm'"), "a ref to no component");
        assertTrue(failure("{ref: dm, colour: red}").contains("'sampler.datamap.colour' is not a key"));
    }

    @Test
    void aRefThatIsNotADatamapObserverIsNamed() {
        String m = failure("components: {sh: {name: shuffle}}\n", "{ref: sh}");
        assertTrue(m.contains("component 'sh' (shuffle), which is not an outcome observer"), m);
    }

    @Test
    void onlineRegionsFollowTheRunsOwnDatamapFromTheSecondEpoch() {
        Pipeline p = CurriculumPipelines.build(DatamapGuidedPipelines.ONLINE + "batch: {name: fixed, size: 4}\n", 5, 0,
                1, 2);
        MultiFactorCurriculumSampler s = (MultiFactorCurriculumSampler) p.sampler();
        assertTrue(Arrays.stream(s.guide().regions()).allMatch(r -> r == Region.UNSEEN), "before any epoch");
        for (Optional<Batch> b = p.nextInEpoch(); b.isPresent(); b = p.nextInEpoch()) {
            p.observe(FeedbackContract.outcomes(5, b.get()));
        }
        p.finishEpoch();
        // the observer maps the training corpus, then the real corpus's targets; the guide weights the first
        assertEquals(CurriculumPipelines.CORPUS.size() + CurriculumPipelines.REAL.size(), p.keyCorpus().size());
        TseDatamap dm = (TseDatamap) p.sharedComponents().get("dm");
        assertSame(p.keyCorpus(), dm.corpus());
        DatamapTable t = dm.table();
        int realSeen = 0;
        for (int i = CurriculumPipelines.CORPUS.size(); i < t.size(); i++) {
            realSeen += t.epochsSeen(i);
        }
        assertTrue(realSeen > 0, "the real mixtures' targets are mapped");
        Region[] after = s.guide().regions();
        assertEquals(CurriculumPipelines.CORPUS.size(), after.length);
        for (Region r : new Region[] {Region.EASY, Region.AMBIGUOUS, Region.HARD}) {
            assertTrue(Arrays.asList(after).contains(r), r + " after one epoch: " + Arrays.toString(after));
        }
        assertNotEquals(0, Arrays.stream(after).filter(r -> r != Region.UNSEEN).count());
    }
}
