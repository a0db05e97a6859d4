package io.speechsampler.audio.synth;

/**
 * What synthetic corpus to write. Speakers alternate male and female (speaker 1 male); the last
 * {@code testSpeakers} speakers form the test split, the {@code validSpeakers} before them the
 * valid split, the rest the train split, so the splits share no speaker.
 *
 * @param speakers             number of speakers, in [2, 100000]
 * @param utterancesPerSpeaker utterances of each speaker, in [1, 100000]
 * @param seconds              mean utterance length in seconds, in [0.5, 600]; each length is
 *                             uniform in [0.8, 1.2] times it
 * @param sampleRate           sample rate in Hz, in [8000, 48000]
 * @param seed                 the seed every random draw derives from
 * @param validSpeakers        speakers in the valid split, at least 0
 * @param testSpeakers         speakers in the test split, at least 0; at least 2 speakers stay in
 *                             train so that mixtures can be drawn from it
 */
public record SynthSpec(int speakers, int utterancesPerSpeaker, double seconds, int sampleRate, long seed,
                        int validSpeakers, int testSpeakers) {

    public SynthSpec {
        range("speakers", speakers, 2, 100_000);
        range("utterancesPerSpeaker", utterancesPerSpeaker, 1, 100_000);
        if (!(seconds >= 0.5 && seconds <= 600)) {
            throw new IllegalArgumentException("seconds is not in [0.5, 600]: " + seconds);
        }
        range("sampleRate", sampleRate, 8000, 48_000);
        if (validSpeakers < 0) {
            throw new IllegalArgumentException("validSpeakers is negative: " + validSpeakers);
        }
        if (testSpeakers < 0) {
            throw new IllegalArgumentException("testSpeakers is negative: " + testSpeakers);
        }
        if ((long) speakers - validSpeakers - testSpeakers < 2) {
            throw new IllegalArgumentException("train speakers (speakers - validSpeakers - testSpeakers) is not at "
                    + "least 2: " + speakers + " - " + validSpeakers + " - " + testSpeakers);
        }
    }

    private static void range(String name, int v, int lo, int hi) {
        if (v < lo || v > hi) {
            throw new IllegalArgumentException(name + " is not in [" + lo + ", " + hi + "]: " + v);
        }
    }

    /**
     * A spec with the default split: 10% of the speakers (at least 1) each for valid and test when
     * there are 6 speakers or more, otherwise every speaker in train.
     */
    public static SynthSpec of(int speakers, int utterancesPerSpeaker, double seconds, int sampleRate, long seed) {
        int heldOut = speakers < 6 ? 0 : Math.max(1, (int) Math.round(speakers * 0.1));
        return new SynthSpec(speakers, utterancesPerSpeaker, seconds, sampleRate, seed, heldOut, heldOut);
    }

    /** Speakers in the train split. */
    public int trainSpeakers() {
        return speakers - validSpeakers - testSpeakers;
    }

    /** Utterances in the whole corpus. */
    public long utterances() {
        return (long) speakers * utterancesPerSpeaker;
    }
}
