package io.speechsampler.audio.synth;

/** Told how far a long job has got, e.g. to drive a progress bar. Called on the working thread. */
@FunctionalInterface
public interface ProgressListener {

    /** A listener that ignores progress. */
    ProgressListener NONE = (done, total) -> { };

    /** {@code done} of {@code total} units are finished; {@code done} never decreases. */
    void progress(long done, long total);
}
