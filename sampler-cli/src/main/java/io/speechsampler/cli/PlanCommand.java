package io.speechsampler.cli;

import io.speechsampler.api.io.AtomicFiles;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.speechsampler.api.config.ConfigException;
import io.speechsampler.api.draw.Batch;
import io.speechsampler.api.draw.DrawJson;
import io.speechsampler.api.state.BinarySideFile;
import io.speechsampler.core.pipeline.Pipeline;
import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code sampler plan}: a dry run that writes every batch as one JSON line, without training. */
@Command(name = "plan", header = "Dry run: writes every batch of the pipeline as one JSON line.", mixinStandardHelpOptions = true,
        description = {"Dry run: writes each batch this rank would train on as one JSON line",
                "{\"epoch\":e,\"step\":k,\"batch\":i,\"rank\":r,\"draws\":[...]} (i: the global batch's index",
                "in its epoch), without touching audio."})
final class PlanCommand implements Callable<Integer> {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Option(names = "--config", required = true, description = "run config (YAML)")
    Path config;

    @Option(names = "--data", description = "corpus (Kaldi dir or JSONL manifest); overrides the config's corpus")
    Path data;

    @Option(names = "--epochs", required = true, description = "epochs to plan, counted from 0")
    int epochs;

    @Option(names = "--rank", defaultValue = "0", description = "this rank (default ${DEFAULT-VALUE})")
    int rank;

    @Option(names = "--world", defaultValue = "1", description = "world size (default ${DEFAULT-VALUE})")
    int world;

    @Option(names = "--save-state-at", description = "write only the first K batches, then the state to --state")
    Long saveStateAt;

    @Option(names = "--state", description = "where --save-state-at writes the state (JSON; per-sample columns "
            + "of components such as info-batch go to FILE.bin beside it)")
    Path state;

    @Option(names = "--resume", description = "a state file from --save-state-at: write the batches after it")
    Path resume;

    @Option(names = "--out", required = true, description = "output JSONL file")
    Path out;

    @Override
    public Integer call() throws IOException {
        if (epochs < 1) {
            throw new ConfigException("--epochs must be at least 1, got " + epochs);
        }
        if (saveStateAt != null && (saveStateAt < 0 || state == null)) {
            throw new ConfigException("--save-state-at needs a count >= 0 and --state FILE");
        }
        if (state != null && saveStateAt == null) {
            throw new ConfigException("--state " + state + " is written only with --save-state-at K (the state after "
                    + "the first K batches); add --save-state-at or drop --state (to continue from a state: --resume)");
        }
        AtomicFiles.checkTarget(out);
        if (state != null) {
            AtomicFiles.checkTarget(state);
            AtomicFiles.checkTarget(binaryBeside(state));
        }
        Pipeline pipeline = Pipelines.open(config, data, rank, world);
        pipeline.plan(epochs, 0);
        if (resume != null) {
            try {
                pipeline.restoreState(readState(resume));
            } catch (IllegalStateException e) {
                throw new ConfigException(resume + ": " + e.getMessage());
            }
        }
        Path tmp = AtomicFiles.temporaryFor(out);
        long written = 0;
        boolean stopped = false;
        try (BufferedWriter w = Files.newBufferedWriter(tmp)) {
            while (pipeline.epoch() < epochs && !stopped) {
                if (saveStateAt != null && written == saveStateAt) {
                    stopped = true;
                    break;
                }
                Optional<Batch> b = pipeline.nextInEpoch();
                if (b.isEmpty()) {
                    pipeline.finishEpoch();
                    continue;
                }
                w.write(DrawJson.toLine(b.get()));
                w.write('\n');
                written++;
            }
        } catch (IOException e) {
            AtomicFiles.deleteQuietly(tmp);
            throw AtomicFiles.failure(out, e);
        } catch (RuntimeException e) {
            AtomicFiles.deleteQuietly(tmp);
            throw e;
        }
        if (saveStateAt != null) {
            // the binary parts first: the JSON names them (with their CRC32), so a JSON is never ahead of them
            JsonNode saved = BinarySideFile.externalise(pipeline.saveState(), binaryBeside(state).getParent(),
                    binaryBeside(state).getFileName().toString());
            AtomicFiles.writeString(state, JSON.writerWithDefaultPrettyPrinter().writeValueAsString(saved));
        }
        AtomicFiles.commit(tmp, out);
        System.err.printf("plan: %d batches written to %s%s%n", written, out,
                saveStateAt != null ? "; state after them in " + state : "");
        return 0;
    }

    /** The side file of a state's binary parts: {@code FILE.bin}. */
    private static Path binaryBeside(Path stateFile) {
        Path abs = stateFile.toAbsolutePath();
        return abs.resolveSibling(abs.getFileName() + ".bin");
    }

    private static JsonNode readState(Path file) {
        try {
            return BinarySideFile.internalise(JSON.readTree(Files.readString(file)), file.toAbsolutePath().getParent());
        } catch (NoSuchFileException e) {
            throw new ConfigException(file + ": state file not found");
        } catch (JsonProcessingException e) {
            throw new ConfigException(file + ": not a valid state file: " + Main.oneLine(e.getOriginalMessage()));
        } catch (IOException e) {
            throw new ConfigException(file + ": cannot read state file: " + AtomicFiles.reason(e));
        }
    }
}
