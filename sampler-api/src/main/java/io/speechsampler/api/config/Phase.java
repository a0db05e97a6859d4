package io.speechsampler.api.config;

import java.util.List;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * One phase of a {@link Recipe} as it runs: the base config merged with the phase's overlay (and,
 * in a round, the repeating phase's), its values for its round, where its weights come from and
 * when it ends.
 *
 * @param index    position in {@link Recipe#phases()}, the order phases run in (from 0)
 * @param name     the phase's own name ({@code gated}); {@code main} for a config without phases
 * @param path     the phase in the recipe: {@code contrastive}, {@code lgl/round-2/gated}, or
 *                 {@code solo/round-2} for a repeating phase without sub-phases
 * @param round    the round (from 1), or 0 outside a repeat
 * @param config   the phase's merged, shape-checked config; its origin names the file's paths and
 *                 lines ({@code phases[3].train.epochs}) and the phase
 * @param initFrom the weights the phase starts from
 * @param freeze   regular expressions over parameter names; a parameter any of them finds (anywhere
 *                 in its name: anchor with ^ and $ for the whole name) is not trained
 * @param end      when the phase ends
 * @param before   hooks to run before the phase starts, in order, each a provider name and raw
 *                 parameters (a round's hooks are listed on its first phase, before its own)
 * @param folder   the phase's folder under the run's {@code phases/}: {@code 00-contrastive},
 *                 {@code 01-lgl/round-2/01-gated}, {@code 02-solo/round-2}; the numbers are the
 *                 positions in the recipe file (top-level phase, sub-phase), two digits from 00
 */
public record Phase(int index, String name, String path, int round, RunConfig config, InitFrom initFrom,
                    List<String> freeze, EndRule end, List<ComponentConfig> before, String folder) {

    public Phase {
        if (index < 0 || round < 0) {
            throw new IllegalArgumentException("index and round must not be negative: " + index + ", " + round);
        }
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(path, "path");
        Objects.requireNonNull(config, "config");
        Objects.requireNonNull(initFrom, "initFrom");
        freeze = List.copyOf(freeze);
        Objects.requireNonNull(end, "end");
        before = List.copyOf(before);
        Objects.requireNonNull(folder, "folder");
        if (initFrom instanceof InitFrom.FromPhase p && p.phaseIndex() >= index) {
            throw new IllegalArgumentException("phase " + index + " starts from phase " + p.phaseIndex()
                    + ", which is not earlier");
        }
    }

    /** The {@link #freeze} expressions, compiled. */
    public List<Pattern> freezePatterns() {
        return freeze.stream().map(Pattern::compile).toList();
    }

    /** True when a {@link #freeze} expression finds {@code parameterName}. */
    public boolean frozen(String parameterName) {
        for (String regex : freeze) {
            if (Pattern.compile(regex).matcher(parameterName).find()) {
                return true;
            }
        }
        return false;
    }
}
