/**
 * Global hard sample mining (Wang et al., "Mining hard samples locally and globally for improved
 * speech separation", ICASSP 2022, section 2.3): for every utterance, the fraction P_M of
 * other-speaker utterances closest in a speaker parameter, or its M nearest ({@link
 * io.speechsampler.hardmining.mining.PartnerCount}). {@link
 * io.speechsampler.hardmining.mining.ScalarParameterMiner} mines median f0 or energy by one sort
 * and two outward pointers; {@link io.speechsampler.hardmining.mining.EmbeddingMiner} mines
 * x-vectors by cosine distance with blocked matrix products (DJL's engine, or plain Java) and a
 * bounded selection per row; {@link io.speechsampler.hardmining.mining.HnswEmbeddingMiner} (a graph
 * index) and {@link io.speechsampler.hardmining.mining.IvfEmbeddingMiner} (an inverted-file index:
 * k-means lists, engine products per list, exact distances for the candidates) mine them
 * approximately; {@link io.speechsampler.hardmining.mining.HardPairTable} holds and
 * stores the result, as TSV or as a compact binary table; {@link
 * io.speechsampler.hardmining.mining.MatMulRate} measures the matrix rates (the Java kernel's, the
 * engine's) that benchmarks compare mining with.
 */
package io.speechsampler.hardmining.mining;
