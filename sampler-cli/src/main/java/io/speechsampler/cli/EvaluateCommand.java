package io.speechsampler.cli;

import io.speechsampler.run.Evaluation;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.speechsampler.api.io.AtomicFiles;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code sampler evaluate}: SI-SNRi / HSR for separation, EER for speaker models. */
@Command(name = "evaluate", header = "Evaluates a trained model: SI-SNRi, HSR5, HSR10 or EER.", mixinStandardHelpOptions = true,
        description = {"Evaluates a trained model on a corpus. Separation: per-mixture SI-SNRi (si_snri.csv),",
                "summary.json with si_snri_db, hsr5_percent, hsr10_percent, and si_snri_sorted.png.",
                "x-vector: EER over cosine-scored trials (trials.csv, summary.json with eer_percent)."})
final class EvaluateCommand implements Callable<Integer> {

    @Option(names = "--checkpoint", required = true, description = "run folder, its checkpoints folder or a step-N folder")
    Path checkpoint;

    @Option(names = "--data", required = true, description = "test corpus (Kaldi dir or JSONL manifest)")
    Path data;

    @Option(names = "--out", required = true, description = "output folder")
    Path out;

    @Override
    public Integer call() throws Exception {
        AtomicFiles.checkFolder(out);
        ObjectNode s = Evaluation.evaluate(checkpoint, data, out);
        if (s.has("si_snri_db")) {
            System.out.printf("SI-SNRi %.2f dB, HSR5 %.1f%%, HSR10 %.1f%% over %d mixtures%n", s.get("si_snri_db")
                    .asDouble(), s.get("hsr5_percent").asDouble(), s.get("hsr10_percent").asDouble(),
                    s.get("mixtures").asInt());
            if (s.has("merged_si_snri_db")) {
                System.out.printf(java.util.Locale.ROOT, "%d outputs: SI-SNRi %.2f dB with the best single outputs, %.2f dB"
                        + " merged; over-separated (3+ outputs above %.0f%% of the energy): %.1f%% of mixtures%n",
                        s.get("outputs").asInt(), s.get("si_snri_db").asDouble(), s.get("merged_si_snri_db").asDouble(),
                        100 * s.get("over_separation_energy_share").asDouble(), s.get("over_separation_percent").asDouble());
            }
        } else {
            System.out.printf("EER %.2f%% over %d trials%n", s.get("eer_percent").asDouble(), s.get("trials").asInt());
        }
        System.out.println("summary: " + out.resolve("summary.json").toAbsolutePath());
        return 0;
    }
}
