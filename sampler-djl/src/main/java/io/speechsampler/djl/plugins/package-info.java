/**
 * The built-in networks and tasks as plugins: {@code conv-tasnet}, {@code conv-tasnet-tse} and
 * {@code xvector}; {@code separation} (PIT), {@code mixit}, {@code extraction} and
 * {@code classification}.
 */
package io.speechsampler.djl.plugins;
