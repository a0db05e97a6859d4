/**
 * The built-in networks and tasks as plugins: {@code conv-tasnet}, {@code conv-tasnet-tse} and
 * {@code xvector}; {@code separation} (PIT), {@code mixit}, {@code extraction},
 * {@code classification} and {@code contrastive}.
 */
package io.speechsampler.djl.plugins;
