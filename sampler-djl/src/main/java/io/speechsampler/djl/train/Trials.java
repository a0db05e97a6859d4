package io.speechsampler.djl.train;

import java.util.Arrays;

/**
 * A fixed trial list over validation utterances: trial {@code t} compares utterance {@code a[t]}
 * with {@code b[t]} (indexes into the validation draws, in order), a target trial when both are of
 * one speaker. The loop scores each trial by the cosine of the two embeddings and validates by
 * minus the equal error rate in percent (larger is better, as every validation score).
 *
 * @param a      first utterance of each trial
 * @param b      second utterance of each trial
 * @param target whether the trial's two utterances share a speaker
 */
public record Trials(int[] a, int[] b, boolean[] target) {

    public Trials {
        if (a.length != b.length || a.length != target.length || a.length == 0) {
            throw new IllegalArgumentException("trials need as many a, b and target entries, at least one: " + a.length
                    + ", " + b.length + ", " + target.length);
        }
        a = a.clone();
        b = b.clone();
        target = target.clone();
    }

    public int size() {
        return a.length;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Trials t && Arrays.equals(a, t.a) && Arrays.equals(b, t.b) && Arrays.equals(target, t.target);
    }

    @Override
    public int hashCode() {
        return 31 * (31 * Arrays.hashCode(a) + Arrays.hashCode(b)) + Arrays.hashCode(target);
    }
}
