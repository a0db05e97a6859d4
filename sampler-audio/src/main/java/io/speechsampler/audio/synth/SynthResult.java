package io.speechsampler.audio.synth;

import java.nio.file.Path;
import java.util.List;

/**
 * What {@link SyntheticCorpus#write} wrote.
 *
 * @param outDir       the corpus directory
 * @param speakers     every speaker, in id order
 * @param utterances   number of utterances written
 * @param totalSamples samples over all utterances
 */
public record SynthResult(Path outDir, List<SpeakerProfile> speakers, long utterances, long totalSamples) {

    public SynthResult {
        speakers = List.copyOf(speakers);
    }
}
