package io.speechsampler.cli;

import io.speechsampler.api.config.ConfigException;
import io.speechsampler.api.io.AtomicFiles;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code sampler corpus}: corpus tools; {@code corpus synth} writes the built-in synthetic corpus. */
@Command(name = "corpus", mixinStandardHelpOptions = true,
        description = "Corpus tools. See 'sampler corpus synth --help', 'sampler corpus mix --help' and 'sampler corpus subset --help'.",
        subcommands = {CorpusSynthCommand.class, CorpusMixCommand.class, CorpusSubsetCommand.class})
final class CorpusCommand implements Runnable {

    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "corpus needs a subcommand: synth, mix or subset");
    }

    /** Refuses an {@code --out} that is a file or a folder with anything in it. */
    static void checkEmptyOut(Path out) {
        if (Files.exists(out) && !Files.isDirectory(out)) {
            throw new ConfigException("--out " + out + " is a file; expected a directory (absent or empty)");
        }
        if (!Files.isDirectory(out)) {
            return;
        }
        try (Stream<Path> entries = Files.list(out)) {
            if (entries.findAny().isPresent()) {
                throw new ConfigException("--out " + out + " is not empty; expected an absent or empty directory");
            }
        } catch (IOException e) {
            throw new ConfigException("--out " + out + ": cannot list the folder: " + AtomicFiles.reason(e), e);
        }
    }
}
