package io.speechsampler.core.stages;

import io.speechsampler.api.config.ParamSpec;
import io.speechsampler.api.config.Params;
import io.speechsampler.api.corpus.Corpus;
import io.speechsampler.api.draw.Draw;
import io.speechsampler.api.draw.MixtureDraw;
import io.speechsampler.api.spi.BuildContext;
import io.speechsampler.api.spi.EpochContext;
import io.speechsampler.api.spi.Stage;
import io.speechsampler.api.spi.StageProvider;
import java.util.Iterator;
import java.util.List;
import org.apache.commons.rng.UniformRandomProvider;

/**
 * Turns separation mixtures into target-speaker-extraction examples, as SpeakerBeam trains: for
 * each mixture a target source (uniform over the sources, or always the first) and an enrolment
 * utterance drawn uniformly from the target speaker's other utterances. Per mixture it draws one
 * bounded integer for the target (when random) and one for the enrolment, in stream order.
 * A target whose speaker has no other utterance is an error naming it.
 *
 * <p>A mixture whose {@link io.speechsampler.api.draw.MixtureFactors factors} state SNRs relative to
 * its target (the {@code multi-factor-curriculum} sampler's) keeps its target: the SNRs are part of
 * the recipe. It keeps its enrolment too when it has one; otherwise one is drawn as above, with no
 * draw for the target.
 */
public final class TargetSpeakerStage implements Stage {

    private final Corpus corpus;
    private final boolean randomTarget;

    private TargetSpeakerStage(Corpus corpus, boolean randomTarget) {
        this.corpus = corpus;
        this.randomTarget = randomTarget;
    }

    public static Stage of(Corpus corpus, boolean randomTarget) {
        return new TargetSpeakerStage(corpus, randomTarget);
    }

    @Override
    public boolean oneForOne() {
        return true;
    }

    @Override
    public Iterator<Draw> apply(Iterator<Draw> upstream, EpochContext context) {
        UniformRandomProvider rng = context.random();
        return Stage.map(upstream, d -> d instanceof MixtureDraw m ? withTarget(m, rng) : d);
    }

    private MixtureDraw withTarget(MixtureDraw m, UniformRandomProvider rng) {
        boolean stated = m.factors() != null && m.factors().statesSnr();
        if (stated && m.enrolment() != null) {
            return m;
        }
        int target = stated ? m.target() : randomTarget ? rng.nextInt(m.sources().size()) : 0;
        String targetId = m.sources().get(target).id();
        int utt = corpus.indexOf(targetId).orElseThrow(() -> new IllegalStateException(
                "tse-target: mixture source '" + targetId + "' is not in the corpus"));
        int[] same = corpus.utterancesOf(corpus.speakerOf(utt));
        if (same.length < 2) {
            throw new IllegalStateException("tse-target: speaker '" + corpus.get(utt).speaker()
                    + "' has no utterance other than '" + targetId + "' to enrol with");
        }
        int k = rng.nextInt(same.length - 1);
        int pick = same[k] == utt ? same[same.length - 1] : same[k];
        return m.withTarget(target, corpus.get(pick).id());
    }

    /** {@code tse-target}: {@code target} is {@code random} (default) or {@code first}. */
    public static final class Provider implements StageProvider {
        @Override
        public String name() {
            return "tse-target";
        }

        @Override
        public String description() {
            return "marks a target source (uniform or first) and draws an enrolment utterance of its speaker";
        }

        @Override
        public List<ParamSpec> parameters() {
            return List.of(ParamSpec.choice("target", "which source is the target", "random", "first")
                    .defaultsTo("random"));
        }

        @Override
        public Stage create(Params params, BuildContext context) {
            Corpus corpus = context.corpus();
            for (int s = 0; s < corpus.numSpeakers(); s++) {
                if (corpus.countOf(s) < 2) {
                    throw params.error("name", "'" + context.key() + "' (tse-target) needs at least 2 utterances "
                            + "of every speaker, one to mix and one to enrol with; speaker '"
                            + corpus.speakers().get(s) + "' of " + corpus.source() + " has 1");
                }
            }
            return of(corpus, params.getString("target").equals("random"));
        }
    }
}
