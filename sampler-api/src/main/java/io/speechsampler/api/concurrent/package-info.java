/** Small concurrency helpers shared by the modules. */
package io.speechsampler.api.concurrent;
