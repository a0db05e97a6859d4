package io.speechsampler.spark;

import io.speechsampler.api.corpus.Utterance;
import java.io.Serializable;
import java.nio.file.Path;
import java.util.List;

/**
 * An {@link Utterance} as Spark ships it to executors ({@link Path} is not serializable): the
 * same fields, the path as a string. The audio must be readable at that path on every executor
 * (a shared file system on a cluster).
 */
record UtteranceRef(String id, String speaker, String path, long startSample, long numSamples, int sampleRate,
                    List<String> tags) implements Serializable {

    static UtteranceRef of(Utterance u) {
        return new UtteranceRef(u.id(), u.speaker(), u.path().toString(), u.startSample(), u.numSamples(),
                u.sampleRate(), List.copyOf(u.tags()));
    }

    static List<UtteranceRef> of(List<Utterance> utterances) {
        return utterances.stream().map(UtteranceRef::of).toList();
    }

    Utterance utterance() {
        return new Utterance(id, speaker, Path.of(path), startSample, numSamples, sampleRate, tags);
    }
}
