package io.speechsampler.core.stages;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import io.speechsampler.api.corpus.Corpus;
import io.speechsampler.api.draw.Draw;
import io.speechsampler.api.draw.MixtureDraw;
import io.speechsampler.api.draw.MixtureFactors;
import io.speechsampler.api.draw.Source;
import io.speechsampler.api.spi.EpochContext;
import io.speechsampler.api.spi.Stage;
import io.speechsampler.testkit.TestCorpora;
import java.util.Iterator;
import java.util.List;
import org.junit.jupiter.api.Test;

class TargetSpeakerStageTest {

    private static final Corpus CORPUS = TestCorpora.synthetic(3, 3, 5);

    private static MixtureDraw through(Stage stage, MixtureDraw d) {
        Iterator<Draw> out = stage.apply(List.<Draw>of(d).iterator(), new EpochContext(7, 0, 0, 1, "stages[0]"));
        return (MixtureDraw) out.next();
    }

    @Test
    void aMixtureThatStatesSnrsRelativeToItsTargetKeepsTargetAndEnrolment() {
        List<Source> sources = List.of(Source.of("spk000-utt0000", 0, 0), Source.of("spk001-utt0000", 0, 0),
                Source.of("spk002-utt0000", 0, 0));
        MixtureFactors f = new MixtureFactors(List.of(1.0, -2.0), 1.0, null);
        MixtureDraw full = new MixtureDraw(sources, 100, null, 2, "spk002-utt0001", List.of(), f);
        assertSame(full, through(TargetSpeakerStage.of(CORPUS, true), full));
        MixtureDraw noEnrolment = new MixtureDraw(sources, 100, null, 2, null, List.of(), f);
        MixtureDraw drawn = through(TargetSpeakerStage.of(CORPUS, true), noEnrolment);
        assertEquals(2, drawn.target());
        assertEquals("spk002", CORPUS.require(drawn.enrolment()).speaker());
        assertNotEquals("spk002-utt0000", drawn.enrolment());
    }
}
