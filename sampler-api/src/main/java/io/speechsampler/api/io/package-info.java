/**
 * Output files written whole or not at all, through one helper: {@link
 * io.speechsampler.api.io.AtomicFiles} (a temporary file beside the target, then a rename; a set
 * of files renamed only after all are written) and {@link io.speechsampler.api.io.OutputException}
 * (an output that cannot be written, named with the reason).
 */
package io.speechsampler.api.io;
