/** See {@link io.speechsampler.api}. */
package io.speechsampler.api.config;
