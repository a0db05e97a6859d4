package io.speechsampler.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code sampler corpus}: corpus tools; {@code corpus synth} writes the built-in synthetic corpus. */
@Command(name = "corpus", mixinStandardHelpOptions = true,
        description = "Corpus tools. See 'sampler corpus synth --help' and 'sampler corpus mix --help'.",
        subcommands = {CorpusSynthCommand.class, CorpusMixCommand.class})
final class CorpusCommand implements Runnable {

    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "corpus needs a subcommand: synth or mix");
    }
}
