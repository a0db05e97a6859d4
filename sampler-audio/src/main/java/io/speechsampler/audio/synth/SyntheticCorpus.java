package io.speechsampler.audio.synth;

import io.speechsampler.api.io.AtomicFiles;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.speechsampler.api.corpus.CorpusReader;
import io.speechsampler.api.random.RandomStreams;
import io.speechsampler.audio.wav.WavWriter;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import org.apache.commons.rng.UniformRandomProvider;

/**
 * Writes the built-in synthetic corpus. The layout under the output directory:
 * <pre>
 * wav/&lt;utt&gt;.wav                 16-bit PCM mono, one file per utterance
 * train/ valid/ test/             one Kaldi data dir per split (speaker-disjoint):
 *     wav.scp                     &lt;utt&gt; ../wav/&lt;utt&gt;.wav
 *     utt2spk, spk2utt
 *     manifest.jsonl              id, speaker, path, num_samples, sample_rate,
 *                                 tags ["synthetic", "male"|"female"], f0_median_hz
 * speakers.tsv                    speaker, sex, f0_median_hz, tract_factor, speaking_rate, split
 * </pre>
 * A manifest line's {@code f0_median_hz} is the median f0 of the utterance over the frames a
 * pitch tracker can measure, from the synthesizer's own glottal periods: 40 ms windows at a
 * 10 ms hop (the framing of {@code sampler pitch}) whose centre lies in a voiced segment, each
 * with the reciprocal of its mean glottal period over the voiced part of the window, rounded to
 * 0.01 Hz (see {@link SynthesizedUtterance#f0MedianHz()}). Frames of silence and fricatives do
 * not count. In {@code speakers.tsv}, {@code f0_median_hz} is the speaker's contour median,
 * around which the utterances' medians vary with declination and pitch accents.
 * Speaker {@code i} (from 0) has id {@code spk<i+1>} zero-padded to at least three digits and
 * is drawn by {@link SpeakerProfile#draw} from {@code RandomStreams.of(seed, "synth/speaker", i)};
 * its utterance {@code u} is {@code <speaker>-<u+1>} (same padding), synthesized from
 * {@code RandomStreams.of(seed, "synth/utterance/<speaker>", u)} after drawing its length. Every
 * file is a function of the spec alone and is written atomically, so one seed gives
 * byte-identical files, and a rerun over an old corpus replaces its files one by one.
 */
public final class SyntheticCorpus {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String[] SPLITS = {"train", "valid", "test"};

    private SyntheticCorpus() {
    }

    /**
     * Writes the corpus {@code spec} describes into {@code outDir}, telling {@code listener} after
     * each utterance.
     *
     * @throws io.speechsampler.api.io.OutputException naming the file when one cannot be written
     */
    public static SynthResult write(SynthSpec spec, Path outDir, ProgressListener listener) {
        Objects.requireNonNull(spec, "spec");
        Objects.requireNonNull(outDir, "outDir");
        Objects.requireNonNull(listener, "listener");
        Path wavDir = outDir.resolve("wav");
        try {
            Files.createDirectories(wavDir);
        } catch (IOException e) {
            throw AtomicFiles.failure(wavDir, e);
        }
        SourceFilterSynthesizer synth = SourceFilterSynthesizer.of(spec.sampleRate());
        List<SpeakerProfile> speakers = speakers(spec);
        StringBuilder[][] files = new StringBuilder[SPLITS.length][4];
        for (StringBuilder[] split : files) {
            for (int k = 0; k < split.length; k++) {
                split[k] = new StringBuilder();
            }
        }
        StringBuilder tsv = new StringBuilder("speaker\tsex\tf0_median_hz\ttract_factor\tspeaking_rate\tsplit\n");
        String uttFormat = "%s-%0" + Math.max(3, digits(spec.utterancesPerSpeaker())) + "d";
        long total = spec.utterances();
        long done = 0;
        long samples = 0;
        for (int s = 0; s < speakers.size(); s++) {
            SpeakerProfile sp = speakers.get(s);
            int split = splitOf(spec, s);
            StringBuilder[] out = files[split];
            tsv.append(String.format(Locale.ROOT, "%s\t%s\t%.2f\t%.4f\t%.4f\t%s\n", sp.id(), sp.sex().tag(),
                    sp.f0MedianHz(), sp.tractFactor(), sp.speakingRate(), SPLITS[split]));
            out[2].append(sp.id());
            for (int u = 0; u < spec.utterancesPerSpeaker(); u++) {
                String id = String.format(Locale.ROOT, uttFormat, sp.id(), u + 1);
                UniformRandomProvider rng = RandomStreams.of(spec.seed(), "synth/utterance/" + sp.id(), u);
                int n = (int) Math.round(spec.seconds() * spec.sampleRate() * (0.8 + 0.4 * rng.nextDouble()));
                SynthesizedUtterance utt = synth.synthesize(sp, n, rng);
                WavWriter.write(wavDir.resolve(id + ".wav"), utt.samples(), spec.sampleRate());
                String rel = "../wav/" + id + ".wav";
                out[0].append(id).append(' ').append(rel).append('\n');
                out[1].append(id).append(' ').append(sp.id()).append('\n');
                out[2].append(' ').append(id);
                out[3].append(manifestLine(id, sp, rel, n, spec.sampleRate(), utt.f0MedianHz())).append('\n');
                samples += n;
                listener.progress(++done, total);
            }
            out[2].append('\n');
        }
        for (int k = 0; k < SPLITS.length; k++) {
            Path dir = outDir.resolve(SPLITS[k]);
            AtomicFiles.writeString(dir.resolve("wav.scp"), files[k][0].toString());
            AtomicFiles.writeString(dir.resolve("utt2spk"), files[k][1].toString());
            AtomicFiles.writeString(dir.resolve("spk2utt"), files[k][2].toString());
            AtomicFiles.writeString(dir.resolve(CorpusReader.MANIFEST), files[k][3].toString());
        }
        AtomicFiles.writeString(outDir.resolve("speakers.tsv"), tsv.toString());
        return new SynthResult(outDir, speakers, done, samples);
    }

    /** The corpus's speakers, in id order, as {@link #write} draws them. */
    public static List<SpeakerProfile> speakers(SynthSpec spec) {
        String format = "spk%0" + Math.max(3, digits(spec.speakers())) + "d";
        List<SpeakerProfile> out = new ArrayList<>(spec.speakers());
        for (int i = 0; i < spec.speakers(); i++) {
            Sex sex = i % 2 == 0 ? Sex.MALE : Sex.FEMALE;
            String id = String.format(Locale.ROOT, format, i + 1);
            out.add(SpeakerProfile.draw(id, sex, RandomStreams.of(spec.seed(), "synth/speaker", i)));
        }
        return out;
    }

    /** 0 train, 1 valid, 2 test, for speaker index {@code s}. */
    private static int splitOf(SynthSpec spec, int s) {
        if (s >= spec.speakers() - spec.testSpeakers()) {
            return 2;
        }
        return s >= spec.trainSpeakers() ? 1 : 0;
    }

    private static String manifestLine(String id, SpeakerProfile sp, String path, int n, int rate, double f0) {
        ObjectNode o = JSON.createObjectNode();
        o.put("id", id);
        o.put("speaker", sp.id());
        o.put("path", path);
        o.put("num_samples", n);
        o.put("sample_rate", rate);
        o.putArray("tags").add("synthetic").add(sp.sex().tag());
        o.put("f0_median_hz", Math.round(f0 * 100) / 100.0);
        try {
            return JSON.writeValueAsString(o);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot serialise a manifest line for " + id, e);
        }
    }

    private static int digits(int n) {
        return Integer.toString(n).length();
    }
}
