/**
 * Local hard sample mining (Wang et al., ICASSP 2022, section 3): the {@code rank-weighted} loss
 * weighting (wSI-SNR), for training batches and for model selection on a validation set.
 */
package io.speechsampler.hardmining.weighting;
