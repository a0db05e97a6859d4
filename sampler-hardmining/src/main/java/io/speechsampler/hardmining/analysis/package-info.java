/**
 * Correlation analysis (Wang et al., ICASSP 2022, section 2.2): Pearson's correlation between
 * per-mixture SI-SNRi and the pair's pitch difference, x-vector distance and energy ratio.
 */
package io.speechsampler.hardmining.analysis;
