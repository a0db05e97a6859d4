package io.speechsampler.api.corpus;

import java.nio.file.Path;
import java.util.List;
import java.util.Objects;

/**
 * One utterance of a corpus.
 *
 * @param id          unique id
 * @param speaker     speaker id (the class for speaker training)
 * @param path        absolute path of its audio file
 * @param startSample first sample of the utterance in the file (Kaldi {@code segments}), else 0
 * @param numSamples  number of samples
 * @param sampleRate  sample rate in Hz
 * @param tags        free tags from the manifest (e.g. {@code synthetic}, {@code real}, {@code noise})
 */
public record Utterance(String id, String speaker, Path path, long startSample, long numSamples, int sampleRate,
                        List<String> tags) {

    public Utterance {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(speaker, "speaker");
        Objects.requireNonNull(path, "path");
        if (startSample < 0 || numSamples < 0) {
            throw new IllegalArgumentException("negative sample position in " + id);
        }
        if (sampleRate <= 0) {
            throw new IllegalArgumentException("sample rate is not positive in " + id + ": " + sampleRate);
        }
        tags = tags == null ? List.of() : List.copyOf(tags);
    }

    public double seconds() {
        return numSamples / (double) sampleRate;
    }
}
