package io.speechsampler.djl.data;

import ai.djl.ndarray.NDManager;
import ai.djl.training.dataset.RandomAccessDataset;
import ai.djl.training.dataset.Record;
import ai.djl.util.Progress;
import java.util.Objects;

/**
 * A {@link RandomAccessDataset} whose indices come from a {@link PipelineSampler}: {@code get}
 * resolves an index to its draw and encodes it with a {@link DrawEncoder}. Build with
 * {@code new DrawDataset.Builder().setSampling(pipelineSampler).setEncoder(encoder).build()}.
 */
public final class DrawDataset extends RandomAccessDataset {

    private final PipelineSampler draws;
    private final DrawEncoder encoder;

    private DrawDataset(Builder builder) {
        super(builder);
        this.draws = (PipelineSampler) builder.getSampler();
        this.encoder = builder.encoder;
    }

    @Override
    public Record get(NDManager manager, long index) {
        return encoder.encode(manager, draws.resolve(index));
    }

    /** The corpus size (a mixture epoch may hold more or fewer draws). */
    @Override
    protected long availableSize() {
        return draws.pipeline().corpus().size();
    }

    @Override
    public void prepare(Progress progress) {
        // Draws are encoded on demand; there is nothing to download or index.
    }

    /** Builder: {@code setSampling(PipelineSampler)} and {@code setEncoder} are required. */
    public static final class Builder extends BaseBuilder<Builder> {

        private DrawEncoder encoder;

        public Builder setEncoder(DrawEncoder encoder) {
            this.encoder = Objects.requireNonNull(encoder, "encoder");
            return this;
        }

        @Override
        protected Builder self() {
            return this;
        }

        public DrawDataset build() {
            if (!(getSampler() instanceof PipelineSampler)) {
                throw new IllegalArgumentException("DrawDataset needs setSampling(PipelineSampler), got "
                        + (getSampler() == null ? "none" : getSampler().getClass().getName()));
            }
            if (encoder == null) {
                throw new IllegalArgumentException("DrawDataset needs setEncoder(DrawEncoder)");
            }
            return new DrawDataset(this);
        }
    }
}
