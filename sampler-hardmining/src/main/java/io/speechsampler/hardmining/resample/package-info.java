/**
 * Hard re-sampling (Wang et al., ICASSP 2022, section 2.4): the {@code hard-resample} stage
 * replaces, with probability P_S, one source of a mixture's pair by a hard partner of the other.
 */
package io.speechsampler.hardmining.resample;
