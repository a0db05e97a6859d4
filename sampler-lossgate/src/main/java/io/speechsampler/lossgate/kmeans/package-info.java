/**
 * k-means that scales, for loss-gated learning's pseudo-labels: {@link
 * io.speechsampler.lossgate.kmeans.EngineKMeans} (Lloyd's iterations from {@link
 * io.speechsampler.lossgate.kmeans.KMeansPlusPlus} seeding), whose assignment step {@link
 * io.speechsampler.lossgate.kmeans.EngineAssignment} is a blocked matrix product on DJL's engine
 * with exact labels, over an {@link io.speechsampler.lossgate.kmeans.EmbeddingMatrix}; the result
 * is a {@link io.speechsampler.lossgate.kmeans.KMeansResult}.
 */
package io.speechsampler.lossgate.kmeans;
