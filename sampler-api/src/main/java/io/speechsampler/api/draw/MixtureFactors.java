package io.speechsampler.api.draw;

import java.util.List;
import java.util.Objects;

/**
 * The difficulty factors a mixture recipe states (paper 000's multi-factor curriculum), so that
 * plans, traces, datamaps and reports can group draws by them. A draw with factors is rendered as
 * the factors say: each interferer at its stated SNR relative to the target, by energy (see
 * {@code MixtureRenderer}); the speaker count is the recipe's number of sources.
 *
 * @param interfererSnrDb the target-to-interferer SNR in dB of each non-target source, in recipe
 *                        order with the target left out (so one fewer than the sources); empty when
 *                        the gains are the sources' {@code gain_db} as written
 * @param overlap         the fraction of the target's span (its samples inside the mixture) that at
 *                        least one interferer overlaps, in [0, 1], as the offsets and delays realise
 *                        it; NaN when not stated
 * @param domain          the corpus the mixture's sources come from ({@code synthetic}, {@code real}),
 *                        or null when not stated
 */
public record MixtureFactors(List<Double> interfererSnrDb, double overlap, String domain) {

    public MixtureFactors {
        Objects.requireNonNull(interfererSnrDb, "interfererSnrDb");
        interfererSnrDb = List.copyOf(interfererSnrDb);
        for (double s : interfererSnrDb) {
            if (!Double.isFinite(s)) {
                throw new IllegalArgumentException("snr_db is not finite: " + s);
            }
        }
        if (!Double.isNaN(overlap) && !(overlap >= 0 && overlap <= 1)) {
            throw new IllegalArgumentException("overlap is not in [0, 1]: " + overlap);
        }
        if (domain != null && domain.isBlank()) {
            throw new IllegalArgumentException("domain is blank");
        }
    }

    /** True when the factors state SNRs (the renderer then realises them by energy). */
    public boolean statesSnr() {
        return !interfererSnrDb.isEmpty();
    }

    /** True when the factors state an overlap ratio. */
    public boolean statesOverlap() {
        return !Double.isNaN(overlap);
    }
}
