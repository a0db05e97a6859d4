/**
 * InfoBatch (Qin et al., ICLR 2024) as one stage, {@code info-batch}: the first plugin on SPI 2
 * (a stage that also weighs and observes, per-sample scores in {@link io.speechsampler.api.state.SampleColumns},
 * summaries merged over ranks).
 */
package io.speechsampler.infobatch;
