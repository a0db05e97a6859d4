package io.speechsampler.api.spi;

import java.util.BitSet;

/**
 * The classes (speakers, indexed by the corpus's sorted speaker list) a sampler may draw at this
 * point of the run: a shared component a sampler reaches through
 * {@link BuildContext#component(String, Class)} (docs/spi2.md, section 4). When the same object is
 * also the run's {@link ClassMask}, the data and the output layer can never disagree: DropClass's
 * {@code drop-class} is both.
 *
 * <p>A component whose set changes inside an epoch is {@link Segmented}; the pipeline applies its
 * decision before the first draw of the segment is pulled, so a sampler reads this set when it
 * starts a batch, never ahead.
 */
public interface AllowedClasses {

    /**
     * The classes allowed now (those of the segment applied last). The set is never modified once
     * returned, and every segment returns a new object, even one with equal classes, so a reader
     * tells a new segment by identity (the class-balanced sampler refills its pool then, as the
     * authors' data loader does when it is given new classes). Callers must not modify it.
     *
     * @throws IllegalStateException before the component's first segment was applied
     */
    BitSet allowedClasses();

    /** The fewest classes the component ever allows in this run, for checks at build time (a batch of B distinct classes needs B). */
    int fewestAllowed();
}
