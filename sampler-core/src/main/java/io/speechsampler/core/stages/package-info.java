/** Core stages: transformations of an epoch's draw stream. */
package io.speechsampler.core.stages;
