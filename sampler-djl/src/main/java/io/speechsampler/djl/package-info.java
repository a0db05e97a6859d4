/**
 * DJL training for the sampler pipeline: Conv-TasNet and x-vector models ({@code model}),
 * per-sample losses ({@code loss}), a DJL {@code Sampler} and dataset over a pipeline
 * ({@code data}) and one training loop for separation, extraction, MixIT and speaker
 * classification ({@code train}). Depends on {@code ai.djl:api} only; the engine is the
 * application's choice.
 */
package io.speechsampler.djl;
