/** The {@code sampler} command line (picocli). */
package io.speechsampler.cli;
