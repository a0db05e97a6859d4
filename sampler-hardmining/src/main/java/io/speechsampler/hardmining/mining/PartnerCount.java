package io.speechsampler.hardmining.mining;

/**
 * How many hard partners an utterance gets, given {@code others}, the number of mined utterances
 * of other speakers it can be paired with. Either the paper's share P_M of them (Wang et al.,
 * ICASSP 2022, section 2.3: the output grows as O(N^2)) or a fixed number M of nearest partners
 * (the output grows as O(N M)).
 */
public sealed interface PartnerCount permits PartnerCount.Fraction, PartnerCount.Nearest {

    /** The share P_M: {@code max(1, ceil(P_M * others))}. */
    static PartnerCount fraction(double fraction) {
        return new Fraction(fraction);
    }

    /** The M nearest: {@code min(M, others)}. */
    static PartnerCount nearest(int partners) {
        return new Nearest(partners);
    }

    /** Partners of an utterance with {@code others} candidates, in [0, others]; 0 when there are none. */
    int of(int others);

    /**
     * The paper's rule.
     *
     * @param fraction P_M in (0, 1]
     */
    record Fraction(double fraction) implements PartnerCount {
        public Fraction {
            HardCount.checkFraction(fraction);
        }

        @Override
        public int of(int others) {
            return HardCount.of(fraction, others);
        }

        @Override
        public String toString() {
            return "P_M " + fraction;
        }
    }

    /**
     * The M nearest other-speaker partners of every utterance; an utterance with fewer candidates
     * gets all of them (a command line refuses such an M before mining: see {@code mine --partners}).
     *
     * @param partners M, at least 1
     */
    record Nearest(int partners) implements PartnerCount {
        public Nearest {
            if (partners < 1) {
                throw new IllegalArgumentException("partners M is not at least 1: " + partners);
            }
        }

        @Override
        public int of(int others) {
            return Math.max(0, Math.min(partners, others));
        }

        @Override
        public String toString() {
            return "M " + partners;
        }
    }
}
