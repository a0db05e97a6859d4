/**
 * Experiments as data: systems (a config with {@code --set} overrides) times seeds, each trained
 * and evaluated on one fixed test set, summarised per system as a mean with a 95% t-interval over
 * seeds and as paired differences to the first system.
 */
package io.speechsampler.run.experiment;
