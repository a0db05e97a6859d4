/**
 * Pacing functions of curricula: training progress (the share of the run's planned global
 * batches done, from the run plan) to a competence in [0, 1] that moves a curriculum from its easy
 * to its hard settings.
 */
package io.speechsampler.curriculum.pacing;
