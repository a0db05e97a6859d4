package io.speechsampler.cli;

import io.speechsampler.run.Progress;
import io.speechsampler.api.config.ConfigException;
import io.speechsampler.api.corpus.Corpus;
import io.speechsampler.api.corpus.Utterance;
import io.speechsampler.audio.pitch.Energy;
import io.speechsampler.audio.pitch.Yin;
import io.speechsampler.audio.wav.WavReader;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.ToDoubleFunction;
import me.tongfei.progressbar.ProgressBar;

/**
 * One scalar speaker parameter per utterance, computed from the audio with a progress bar: the
 * YIN median f0 (the hard-mining paper's pitch) or the energy in dB. Each utterance is computed
 * on its own, so the values do not depend on the thread count.
 */
final class UtteranceFeatures {

    private UtteranceFeatures() {
    }

    /** Median f0 in Hz over voiced YIN frames (default settings), NaN for an unvoiced utterance. */
    static Map<String, Double> medianF0(List<Utterance> utterances, int threads) {
        Yin yin = Yin.withDefaults();
        if (!utterances.isEmpty() && !yin.supports(utterances.get(0).sampleRate())) {
            throw new ConfigException(utterances.get(0).path() + ": audio at " + utterances.get(0).sampleRate()
                    + " Hz; " + pitchRateRule(yin));
        }
        return compute("pitch", utterances, threads, u -> yin.stats(WavReader.read(u), u.sampleRate()).medianF0Hz());
    }

    /**
     * {@code 10 log10(sum x^2)} in dB (total energy, as {@link Energy#of}), so that the
     * difference of two values is the energy ratio {@code 10 |log10(E1 / E2)|}; NaN for a silent
     * utterance, which has no ratio to anything.
     */
    static Map<String, Double> energyDb(List<Utterance> utterances, int threads) {
        return compute("energy", utterances, threads, u -> {
            double e = Energy.of(WavReader.read(u));
            return e > 0 ? 10 * Math.log10(e) : Double.NaN;
        });
    }

    /** Refuses, before any work, a corpus whose sample rate YIN cannot track pitch at. */
    static void checkPitchRate(Yin yin, Corpus corpus) {
        if (!yin.supports(corpus.sampleRate())) {
            throw new ConfigException(corpus.source() + ": the corpus is at " + corpus.sampleRate() + " Hz; "
                    + pitchRateRule(yin));
        }
    }

    private static String pitchRateRule(Yin yin) {
        return String.format(Locale.ROOT, "YIN's f0 range [%.0f, %.0f] Hz needs a sample rate of at least %.0f Hz",
                yin.settings().minF0Hz(), yin.settings().maxF0Hz(), 2 * yin.settings().maxF0Hz());
    }

    /** The utterances of {@code corpus} with the given ids, in corpus order. */
    static List<Utterance> select(Corpus corpus, Collection<String> ids) {
        Set<String> wanted = new HashSet<>(ids);
        List<Utterance> out = new ArrayList<>();
        for (Utterance u : corpus.utterances()) {
            if (wanted.contains(u.id())) {
                out.add(u);
            }
        }
        return out;
    }

    private static Map<String, Double> compute(String task, List<Utterance> utterances, int threads,
                                               ToDoubleFunction<Utterance> f) {
        ExecutorService pool = Executors.newFixedThreadPool(Math.max(1, threads));
        try (ProgressBar bar = Progress.bar(task, utterances.size(), "utterances")) {
            List<Future<Double>> futures = new ArrayList<>(utterances.size());
            for (Utterance u : utterances) {
                futures.add(pool.submit(() -> {
                    double v = f.applyAsDouble(u);
                    bar.step();
                    return v;
                }));
            }
            Map<String, Double> out = new LinkedHashMap<>();
            for (int i = 0; i < utterances.size(); i++) {
                out.put(utterances.get(i).id(), futures.get(i).get());
            }
            return out;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(task + " interrupted");
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException r) {
                throw r;
            }
            throw new IllegalStateException(task + " failed: " + e.getCause(), e.getCause());
        } finally {
            pool.shutdownNow();
        }
    }
}
