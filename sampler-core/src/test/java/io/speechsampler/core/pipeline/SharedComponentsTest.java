package io.speechsampler.core.pipeline;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.speechsampler.api.config.ConfigException;
import io.speechsampler.api.corpus.Corpus;
import io.speechsampler.api.draw.Batch;
import io.speechsampler.api.draw.Draw;
import io.speechsampler.api.spi.Outcome;
import io.speechsampler.testkit.TestCorpora;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** SPI 2 item 4: components named once and referred to by several roles; roles found on other components. */
class SharedComponentsTest {

    // 10 utterances, batches of 4: 3 global batches per epoch
    private static final Corpus CORPUS = TestCorpora.synthetic(2, 5, 3);

    private static Pipeline pipeline(String yaml, int rank, int world) {
        return TestPipelines.build(yaml, Path.of("."), CORPUS, 5, rank, world);
    }

    private static Pipeline pipeline(String yaml) {
        return pipeline(yaml, 0, 1);
    }

    private static String failure(String yaml) {
        return assertThrows(ConfigException.class, () -> pipeline(yaml)).getMessage();
    }

    /** Trains one batch the way the loop does: weigh, then observe every draw's outcome. */
    private static double[] train(Pipeline p, Batch b) {
        List<Draw> draws = b.draws();
        double[] w = p.weigh(draws, new double[draws.size()], new double[draws.size()]);
        List<Outcome> outcomes = new ArrayList<>();
        for (Draw d : draws) {
            outcomes.add(new Outcome(d, b.epoch(), b.step(), b.globalIndex(), 1.0, Double.NaN));
        }
        p.observe(outcomes);
        return w;
    }

    private static List<double[]> trainEpoch(Pipeline p) {
        List<double[]> out = new ArrayList<>();
        Optional<Batch> b;
        while ((b = p.nextInEpoch()).isPresent()) {
            out.add(train(p, b.get()));
        }
        p.finishEpoch();
        return out;
    }

    private static final String SHARED = "components:\n  s: {name: test-shared, weight: 3}\n"
            + "sampler: shuffle\nbatch: {name: fixed, size: 4}\nstages: [{ref: s}]\nweighting: {ref: s}\n"
            + "observers: [{ref: s}, {name: test-recording-observer}]\n";

    @Test
    void oneObjectHoldsEveryRoleThatRefersToItAndActsOnceInEach() {
        Pipeline p = pipeline(SHARED);
        RecordingProviders.Shared s = (RecordingProviders.Shared) p.sharedComponents().get("s");
        assertSame(s, p.stages().get(0));
        assertSame(s, p.weighting());
        assertSame(s, p.observers().get(0));
        List<double[]> w = trainEpoch(p);
        assertArrayEquals(new double[] {3, 3, 3, 3}, w.get(0), "weighs once, not once per role");
        assertEquals(10, s.seen, "observes each outcome once, not once per role");
        assertEquals(1, s.applied);
        assertEquals(List.of(p.weighting()), p.weightings());
    }

    @Test
    void aSharedComponentsStateIsSavedOnceAndRestoresInMidEpoch() {
        Pipeline p = pipeline(SHARED);
        trainEpoch(p);
        train(p, p.nextInEpoch().orElseThrow());
        JsonNode state = p.saveState();
        assertEquals(14, state.at("/current/components/s/seen").asLong());
        assertEquals(10, state.at("/epoch_start/components/s/seen").asLong(), "a stage: in the epoch-start state");
        assertEquals("s", state.at("/current/stages/0/component").asText(), "the role points at the one state");
        assertEquals("s", state.at("/current/weighting/component").asText());
        assertEquals("s", state.at("/current/observers/0/component").asText());
        Pipeline q = pipeline(SHARED);
        q.restoreState(state);
        RecordingProviders.Shared s = (RecordingProviders.Shared) q.sharedComponents().get("s");
        assertEquals(14, s.seen);
        Batch next = q.nextInEpoch().orElseThrow();
        assertEquals(p.nextInEpoch().orElseThrow(), next);

        JsonNode broken = state.deepCopy();
        ((com.fasterxml.jackson.databind.node.ObjectNode) broken.get("current")).remove("components");
        String m = assertThrows(IllegalStateException.class, () -> pipeline(SHARED).restoreState(broken)).getMessage();
        assertEquals("'current.components' must hold the state of shared component 's'; it is missing", m);
    }

    @Test
    void aStageThatAlsoWeighsAndObservesTakesThoseRolesUnnamedAndWeightsMultiply() {
        Pipeline p = pipeline("sampler: shuffle\nbatch: {name: fixed, size: 4}\n"
                + "stages: [{name: test-shared, weight: 3}]\nweighting: test-recording-weighting\n");
        List<double[]> w = trainEpoch(p);
        assertArrayEquals(new double[] {6, 6, 6, 6}, w.get(0), "the config's weighting (2) times the stage's (3)");
        assertEquals(10, ((RecordingProviders.Shared) p.stages().get(0)).seen);
        assertEquals(2, p.weightings().size());
        double[] padded = p.weigh(List.of(Draw.class.cast(io.speechsampler.api.draw.ItemDraw.of("x")
                .withTag(Pipeline.PADDING_TAG))), new double[1], new double[1]);
        assertArrayEquals(new double[] {0}, padded, "padding still weighs 0");
    }

    @Test
    void aProviderGetsAPartnerFromItsBuildContextAndThePartnerObserves() {
        Pipeline p = pipeline("components:\n  obs: {name: test-recording-observer}\n"
                + "sampler: shuffle\nbatch: {name: fixed, size: 4}\nstages: [{name: test-shared, partner: obs}]\n");
        RecordingProviders.Shared s = (RecordingProviders.Shared) p.stages().get(0);
        assertSame(p.sharedComponents().get("obs"), s.partner);
        trainEpoch(p);
        assertEquals(10, ((RecordingProviders.Observer) s.partner).seen.size(), "the partner is found as an observer");
        assertTrue(p.saveState().at("/current/components").has("obs"));
    }

    @Test
    void missingRefsWrongRolesAndCyclesAreOneLineNamingTheKeyAndLine() {
        assertEquals("test.yaml line 4: 'stages[0]' asks for component 'nope', which 'components' does not define; "
                        + "defined: none (add a 'components' map)",
                failure("sampler: shuffle\nbatch: {name: fixed, size: 4}\nstages: [{name: test-shared, partner: nope}]\n"));
        assertEquals("test.yaml line 5: 'mask' refers to component 's' (test-shared), which is not a class mask; it "
                        + "is a stage and a loss weighting and an outcome observer",
                failure("components: {s: {name: test-shared}}\nsampler: shuffle\nbatch: {name: fixed, size: 4}\n"
                        + "mask: {ref: s}\nstages: [{ref: s}]\n"));
        assertEquals("test.yaml line 3: components 'a' -> 'b' -> 'a' ask for each other in a cycle; expected each "
                        + "to be built from components built before it",
                failure("components:\n  a: {name: test-shared, partner: b}\n  b: {name: test-shared, partner: a}\n"
                        + "sampler: shuffle\nbatch: {name: fixed, size: 4}\nstages: [{ref: a}]\n"));
        assertTrue(failure("components: {s: {name: no-such}}\nsampler: {ref: s}\nbatch: {name: fixed, size: 4}\n")
                .startsWith("test.yaml line 2: unknown sampler 'no-such'; available: "));
        assertTrue(failure("components: {s: {name: test-shared, wieght: 2}}\nsampler: shuffle\n"
                + "batch: {name: fixed, size: 4}\nstages: [{ref: s}]\n")
                .startsWith("test.yaml line 2: unknown key 'components.s.wieght' for stage 'test-shared'"));
    }

    @Test
    void mergeableSummariesMergeByThemselvesWithOneRankAndMustBeGatheredWithSeveral() {
        String yaml = "sampler: shuffle\nbatch: {name: fixed, size: 4}\nstages: [{name: test-shared}]\n";
        Pipeline one = pipeline(yaml);
        trainEpoch(one);
        RecordingProviders.Shared s = (RecordingProviders.Shared) one.stages().get(0);
        assertEquals(0, s.sinceMerge, "merged at the epoch end");
        assertEquals(10, s.seen);

        Pipeline r0 = pipeline(yaml, 0, 2);
        Pipeline r1 = pipeline(yaml, 1, 2);
        train(r0, r0.nextInEpoch().orElseThrow());
        train(r1, r1.nextInEpoch().orElseThrow());
        String m = assertThrows(IllegalStateException.class, r0::finishEpoch).getMessage();
        assertTrue(m.contains("call mergeSummaries before finishEpoch"), m);
        List<List<Object>> all = List.of(r0.summaries(), r1.summaries());
        r0.mergeSummaries(all);
        r1.mergeSummaries(all);
        assertEquals(8, ((RecordingProviders.Shared) r0.stages().get(0)).seen, "both ranks' outcomes");
        assertEquals(8, ((RecordingProviders.Shared) r1.stages().get(0)).seen);
        r0.finishEpoch();
        assertEquals(1, r0.epoch());
    }

    @Test
    void aConfigWithoutSharedComponentsKeepsItsStateShape() {
        Pipeline p = pipeline("sampler: shuffle\nbatch: {name: fixed, size: 4}\n");
        p.nextInEpoch();
        JsonNode state = p.saveState();
        assertTrue(!state.get("current").has("components") && !state.get("epoch_start").has("components"),
                state.toString());
        assertEquals(Arrays.asList("sampler", "stages", "batcher", "weighting", "mask", "observers"),
                iterable(state.get("current").fieldNames()));
    }

    private static List<String> iterable(java.util.Iterator<String> it) {
        List<String> out = new ArrayList<>();
        it.forEachRemaining(out::add);
        return out;
    }
}
