package io.speechsampler.djl.train;

import ai.djl.Device;
import ai.djl.MalformedModelException;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Block;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.io.JsonEOFException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.speechsampler.api.config.ConfigException;
import io.speechsampler.api.io.AtomicFiles;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/**
 * The files inside one checkpoint folder ({@link Checkpoints} writes the folders whole): the model
 * parameters, Adam's moments and the state JSON, written and read here for the loop and for
 * {@link io.speechsampler.djl.run.TrainedModel}, each refused with one message naming the file and
 * what is wrong when it is missing, truncated or damaged.
 */
public final class CheckpointFiles {

    /** The loop's state: steps, position, best score, validations, the pipeline's state. */
    public static final String STATE_FILE = "state.json";
    /** The binary parts of the pipeline state (per-sample columns), beside {@link #STATE_FILE}. */
    public static final String STATE_BINARY_FILE = "state.bin";
    /** The model parameters, in DJL's format. */
    public static final String PARAMS_FILE = "model.params";
    /** Adam's moments. */
    public static final String OPTIMIZER_FILE = "optimizer.bin";

    private static final ObjectMapper JSON = new ObjectMapper();

    private CheckpointFiles() {
    }

    /** Writes the block's parameters into checkpoint folder {@code dir}. */
    public static void saveParameters(Block block, Path dir) throws IOException {
        try (DataOutputStream out = new DataOutputStream(new BufferedOutputStream(
                Files.newOutputStream(dir.resolve(PARAMS_FILE))))) {
            block.saveParameters(out);
        }
    }

    /** Loads the parameters of checkpoint folder {@code dir} into {@code block}. */
    public static void loadParameters(Block block, NDManager manager, Path dir) {
        Path f = dir.resolve(PARAMS_FILE);
        try (DataInputStream in = new DataInputStream(new BufferedInputStream(Files.newInputStream(f)))) {
            block.loadParameters(manager, in);
        } catch (NoSuchFileException e) {
            throw new ConfigException(f + ": not found; expected the checkpoint's model parameters");
        } catch (IOException | MalformedModelException e) {
            throw new ConfigException(f + ": cannot load model parameters (" + damage(e) + "); expected the "
                    + "parameters 'sampler train' writes for this model", e);
        }
    }

    static void saveOptimizer(StatefulAdam adam, Block block, Path dir) throws IOException {
        try (DataOutputStream out = new DataOutputStream(new BufferedOutputStream(
                Files.newOutputStream(dir.resolve(OPTIMIZER_FILE))))) {
            adam.save(out, block.getParameters());
        }
    }

    static void loadOptimizer(StatefulAdam adam, Block block, NDManager manager, Device device, Path dir) {
        Path f = dir.resolve(OPTIMIZER_FILE);
        try (DataInputStream in = new DataInputStream(new BufferedInputStream(Files.newInputStream(f)))) {
            adam.loadState(in, block.getParameters(), manager, device);
        } catch (NoSuchFileException e) {
            throw new ConfigException(f + ": not found; expected the checkpoint's optimizer state (Adam moments)");
        } catch (IOException e) {
            throw new ConfigException(f + ": cannot load the optimizer state (" + damage(e) + "); expected the "
                    + "Adam moments 'sampler train' writes for this model", e);
        }
    }

    /** Writes the state JSON into checkpoint folder {@code dir}, after stamping its format. */
    static void writeState(Path dir, ObjectNode state) throws IOException {
        ObjectNode s = JSON.createObjectNode();
        s.put("format", "speech-sampler-checkpoint");
        s.put("version", 1);
        s.setAll(state);
        AtomicFiles.write(dir.resolve(STATE_FILE), JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(s));
    }

    /** A checkpoint's state file, read whole and checked for its format. */
    static JsonNode readState(Path f) {
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(f);
        } catch (NoSuchFileException e) {
            throw new ConfigException(f + ": not found; expected the checkpoint's state (the checkpoint is damaged)");
        } catch (IOException e) {
            throw new ConfigException(f + ": cannot read: " + AtomicFiles.reason(e), e);
        }
        JsonNode s;
        try (JsonParser p = JSON.createParser(bytes)) {
            s = JSON.readTree(p);
            if (s != null && p.nextToken() != null) {
                throw new ConfigException(f + ": has text after the state at line " + p.currentLocation().getLineNr()
                        + "; expected one JSON document as 'sampler train' writes it");
            }
        } catch (JsonProcessingException e) {
            var at = e.getLocation();
            String where = at == null ? "" : " at line " + at.getLineNr() + ", column " + at.getColumnNr();
            boolean atEnd = e instanceof JsonEOFException || (at != null && at.getByteOffset() >= bytes.length)
                    || String.valueOf(e.getOriginalMessage()).contains("end-of-input");
            throw new ConfigException(f + ": " + (atEnd ? "ends early" : "is not valid JSON")
                    + where + " (truncated or damaged); expected the whole state 'sampler train' writes", e);
        } catch (IOException e) {
            throw new ConfigException(f + ": cannot read: " + AtomicFiles.reason(e), e);
        }
        if (s == null || !s.isObject()) {
            throw new ConfigException(f + ": is empty or not a JSON map; expected the state 'sampler train' writes");
        }
        if (!"speech-sampler-checkpoint".equals(s.path("format").asText()) || s.path("version").asInt() != 1) {
            throw new ConfigException(f + ": not a version 1 speech-sampler checkpoint state; expected "
                    + "\"format\": \"speech-sampler-checkpoint\" and \"version\": 1");
        }
        return s;
    }

    /** What is wrong with a file that did not load, in words. */
    static String damage(Exception e) {
        if (e instanceof EOFException) {
            return "it ends early: truncated";
        }
        if (e instanceof FileSystemException fs) {
            return AtomicFiles.reason(fs);
        }
        String m = e.getMessage();
        return m == null || m.isBlank() ? "damaged" : m;
    }
}
