/**
 * Compact per-sample state (SPI 2, section 6): {@link io.speechsampler.api.state.SampleColumns},
 * named primitive columns indexed by corpus index with O(1) copy-on-write snapshots and a binary
 * form, and {@link io.speechsampler.api.state.BinarySideFile}, which moves the binary parts of a
 * saved state out of its JSON into a file beside it.
 */
package io.speechsampler.api.state;
