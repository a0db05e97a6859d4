/**
 * TSE-Datamap (paper 000, after dataset cartography): the {@code datamap} outcome observer, its
 * saved table and the easy / ambiguous / hard regions.
 */
package io.speechsampler.curriculum.datamap;
