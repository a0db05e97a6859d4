package io.speechsampler.audio.mix;

import io.speechsampler.api.config.ParamSpec;
import io.speechsampler.api.config.Params;
import io.speechsampler.api.corpus.Corpus;
import io.speechsampler.api.corpus.Utterance;
import io.speechsampler.api.draw.Draw;
import io.speechsampler.api.draw.MixtureDraw;
import io.speechsampler.api.draw.Source;
import io.speechsampler.api.spi.BuildContext;
import io.speechsampler.api.spi.EpochContext;
import io.speechsampler.api.spi.SourceSampler;
import io.speechsampler.api.spi.SourceSamplerProvider;
import java.util.Iterator;
import java.util.List;
import org.apache.commons.rng.UniformRandomProvider;

/**
 * {@code recordings}: every recording of a corpus as it is, a mixture of one source, for a task
 * whose targets do not come from the draw: the student of teacher-student MixIT (Zhang et al.
 * 2021) hears the recordings of an unlabelled corpus of mixtures ({@code sampler corpus mix}'s, or
 * a user's) and learns its frozen teacher's outputs.
 *
 * <p><b>Distribution.</b> Each epoch every recording is drawn exactly once, in an order shuffled
 * by Fisher-Yates with {@code context.random()}; with a segment length S &gt; 0 a recording longer
 * than S is cropped at an offset uniform in [0, n - S] ({@code nextLong} from
 * {@code context.random("crops")}, drawn only for such recordings), a shorter one starts at 0 and
 * is zero-padded; with S = 0 whole recordings. Gain 0 dB. The draws of an epoch are a function of
 * (seed, epoch, component key), so the sampler is stateless, resumable and sharded as dynamic
 * mixing is.
 */
public final class RecordingsProvider implements SourceSamplerProvider {

    @Override
    public String name() {
        return "recordings";
    }

    @Override
    public String description() {
        return "every recording of a corpus once per epoch (shuffled), cropped to segment_seconds at a uniform offset, "
                + "as a mixture of one source: the input of teacher-student MixIT's student, whose targets come "
                + "from its teacher";
    }

    @Override
    public List<ParamSpec> parameters() {
        return List.of(ParamSpec.real("segment_seconds", "crop of each recording, seconds; 0: whole recordings")
                .defaultsTo(4.0).min(0).max(3600));
    }

    @Override
    public SourceSampler create(Params params, BuildContext context) {
        Corpus corpus = context.corpus();
        long segment = Math.round(params.getDouble("segment_seconds") * corpus.sampleRate());
        return new SourceSampler() {
            @Override
            public Iterator<Draw> epoch(EpochContext ctx) {
                UniformRandomProvider crops = ctx.random("crops");
                return ShuffledEpoch.of(corpus.size(), ctx.random(), "recordings", i -> {
                    Utterance u = corpus.get(i);
                    long offset = segment > 0 && u.numSamples() > segment
                            ? crops.nextLong(u.numSamples() - segment + 1) : 0;
                    return MixtureDraw.of(List.of(Source.of(u.id(), 0, offset)), segment);
                });
            }

            @Override
            public long epochSize() {
                return corpus.size();
            }
        };
    }
}
