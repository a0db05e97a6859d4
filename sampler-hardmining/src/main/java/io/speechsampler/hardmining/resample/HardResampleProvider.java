package io.speechsampler.hardmining.resample;

import io.speechsampler.api.config.ParamSpec;
import io.speechsampler.api.config.Params;
import io.speechsampler.api.spi.BuildContext;
import io.speechsampler.api.spi.Stage;
import io.speechsampler.api.spi.StageProvider;
import io.speechsampler.hardmining.mining.HardPairTable;
import java.nio.file.Path;
import java.util.List;

/**
 * {@code hard-resample}: {@link HardResampleStage} with parameters {@code table} (the mined table,
 * TSV or binary, relative to the config; {@link HardPairTable#read} tells them apart) and {@code
 * p_s} (default 0.3, the paper's best).
 */
public final class HardResampleProvider implements StageProvider {

    @Override
    public String name() {
        return "hard-resample";
    }

    @Override
    public String description() {
        return "with probability p_s per mixture, replaces one source of the first pair by a uniform draw"
                + " from the other's mined hard partners (Wang et al. 2022), tagging it 'hard'";
    }

    @Override
    public List<ParamSpec> parameters() {
        return List.of(
                ParamSpec.string("table", "hard pair table written by 'sampler mine': TSV (utterance, partner, distance)"
                        + " or the binary table (.bin, told apart by its first bytes)"),
                ParamSpec.real("p_s", "probability that a mixture's pair is re-sampled from hard partners")
                        .min(0).max(1).defaultsTo(0.3));
    }

    @Override
    public Stage create(Params params, BuildContext context) {
        Path file = context.resolve(params.getString("table"));
        HardPairTable table = HardPairTable.read(file, context.corpus());
        if (table.pairCount() == 0) {
            throw params.error("table", "'" + params.pathOf("table") + "': " + file + " holds no hard pairs; expected "
                    + "pairs as 'sampler mine' writes them");
        }
        return HardResampleStage.of(table, context.corpus(), params.getDouble("p_s"));
    }
}
