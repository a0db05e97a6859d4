/**
 * Validation and test sets as fixed lists of draws made once by a named protocol from a corpus,
 * independent of the training sampler and its stages, with a condition per draw (speaker count)
 * so that results are reported per condition.
 */
package io.speechsampler.run.validation;
