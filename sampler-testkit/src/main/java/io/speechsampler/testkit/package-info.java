/**
 * Reusable test support for samplers: the {@link io.speechsampler.testkit.SamplerContract} jqwik
 * contract (determinism, resume, sharding), small in-memory corpora ({@link
 * io.speechsampler.testkit.TestCorpora}) and chi-square goodness-of-fit assertions ({@link
 * io.speechsampler.testkit.GoodnessOfFit}). Depends on the API module only, so any module's tests
 * can use it.
 */
package io.speechsampler.testkit;
