/**
 * DropClass (Luu et al. 2021, "DropClass and DropAdapt: Dropping classes for deep speaker
 * representation learning"; cvqluu/dropclass_speaker) on SPI 2: {@code drop-class}, one shared
 * component that is the class-balanced sampler's allowed classes and the output layer's mask
 * ({@link io.speechsampler.dropclass.DroppedClasses}), changed at step boundaries with a decision
 * log that replays on resume. Where the dropped classes come from is a
 * {@link io.speechsampler.dropclass.DropSource}: {@code drop-class} draws them at random
 * ({@link io.speechsampler.dropclass.RandomDropSource}); DropAdapt's choice from enrolment
 * posteriors is meant to be another source over the same set.
 */
package io.speechsampler.dropclass;
