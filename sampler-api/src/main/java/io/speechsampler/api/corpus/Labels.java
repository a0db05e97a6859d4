package io.speechsampler.api.corpus;

import io.speechsampler.api.config.ConfigException;
import io.speechsampler.api.io.AtomicFiles;
import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.TreeSet;

/**
 * Class labels of a corpus's utterances read from a label file (pseudo-labels from clustering, or
 * any labelling other than the speakers): lines {@code utterance<TAB>label}, blank lines skipped.
 * The classes are the file's distinct labels in sorted order (as {@link Corpus#speakers()} are),
 * and a label's position is its class index. The file may leave utterances out; a draw of one of
 * them is refused where it is used ({@link #require}).
 */
public final class Labels {

    private final Path file;
    private final List<String> names;
    private final int[] classByUtterance;
    private final int labelled;

    private Labels(Path file, List<String> names, int[] classByUtterance, int labelled) {
        this.file = file;
        this.names = names;
        this.classByUtterance = classByUtterance;
        this.labelled = labelled;
    }

    /**
     * Reads {@code file} against {@code corpus}.
     *
     * @throws ConfigException one line naming the file and line: not found or unreadable, a line
     *                         that is not two fields, an utterance that is not in the corpus, an
     *                         utterance labelled twice, no labels at all
     */
    public static Labels read(Path file, Corpus corpus) {
        int[] classOf = new int[corpus.size()];
        Arrays.fill(classOf, -1);
        String[] labelOf = new String[corpus.size()];
        Map<String, Integer> lineOf = new HashMap<>();
        TreeSet<String> distinct = new TreeSet<>();
        try (BufferedReader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            String line;
            int no = 0;
            while ((line = r.readLine()) != null) {
                no++;
                if (line.isBlank()) {
                    continue;
                }
                String[] f = line.strip().split("\\s+");
                if (f.length != 2) {
                    throw new ConfigException(file + " line " + no + ": expected 'utterance<TAB>label', got '" + line
                            + "'");
                }
                OptionalInt i = corpus.indexOf(f[0]);
                if (i.isEmpty()) {
                    throw new ConfigException(file + " line " + no + ": utterance '" + f[0] + "' is not in the corpus "
                            + corpus.source());
                }
                Integer prev = lineOf.put(f[0], no);
                if (prev != null) {
                    throw new ConfigException(file + " line " + no + ": utterance '" + f[0] + "' is labelled twice "
                            + "(first on line " + prev + ")");
                }
                labelOf[i.getAsInt()] = f[1];
                distinct.add(f[1]);
            }
        } catch (NoSuchFileException e) {
            throw new ConfigException(file + ": label file not found; expected lines 'utterance<TAB>label'");
        } catch (IOException e) {
            throw new ConfigException(file + ": cannot read the label file: " + AtomicFiles.reason(e), e);
        }
        if (distinct.isEmpty()) {
            throw new ConfigException(file + ": the label file has no lines; expected 'utterance<TAB>label' lines");
        }
        List<String> names = List.copyOf(distinct);
        Map<String, Integer> index = new HashMap<>();
        for (int c = 0; c < names.size(); c++) {
            index.put(names.get(c), c);
        }
        for (int u = 0; u < labelOf.length; u++) {
            if (labelOf[u] != null) {
                classOf[u] = index.get(labelOf[u]);
            }
        }
        return new Labels(file, names, classOf, lineOf.size());
    }

    /** The file they were read from. */
    public Path file() {
        return file;
    }

    /** The labels in sorted order; a label's position is its class index. */
    public List<String> names() {
        return names;
    }

    /** The number of classes. */
    public int size() {
        return names.size();
    }

    /** How many of the corpus's utterances the file labels. */
    public int labelled() {
        return labelled;
    }

    /** The class of corpus utterance {@code index}, or -1 when the file leaves it out. */
    public int classOf(int index) {
        return classByUtterance[index];
    }

    /**
     * The class of utterance {@code id} of {@code corpus}.
     *
     * @throws ConfigException naming the file when the utterance has no label in it
     */
    public int require(Corpus corpus, String id) {
        OptionalInt i = corpus.indexOf(id);
        int c = i.isPresent() ? classByUtterance[i.getAsInt()] : -1;
        if (c < 0) {
            throw new ConfigException(file + ": utterance '" + id + "' was drawn but has no label in this file"
                    + (i.isPresent() ? "" : " (it is not in the corpus " + corpus.source() + ")")
                    + "; expected a line '" + id + "<TAB>label'");
        }
        return c;
    }

    /** Corpus indexes of each class's utterances, in corpus order. */
    public int[][] utterancesByClass() {
        List<List<Integer>> by = new ArrayList<>(names.size());
        for (int c = 0; c < names.size(); c++) {
            by.add(new ArrayList<>());
        }
        for (int u = 0; u < classByUtterance.length; u++) {
            if (classByUtterance[u] >= 0) {
                by.get(classByUtterance[u]).add(u);
            }
        }
        int[][] out = new int[names.size()][];
        for (int c = 0; c < out.length; c++) {
            out[c] = by.get(c).stream().mapToInt(Integer::intValue).toArray();
        }
        return out;
    }
}
