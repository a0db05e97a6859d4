/**
 * The preprocessing of hard-sample mining as Apache Spark jobs, for corpora past one machine: the
 * pitch table ({@link io.speechsampler.spark.SparkPitch}), x-vector embeddings ({@link
 * io.speechsampler.spark.SparkEmbed}) and the exact hard pair table ({@link
 * io.speechsampler.spark.SparkXvectorMining}), whose outputs equal the single-machine commands'.
 * {@link io.speechsampler.spark.SparkMain} is the command line ({@code ./sampler-spark}, or
 * {@code spark-submit --class io.speechsampler.spark.SparkMain}).
 */
package io.speechsampler.spark;
