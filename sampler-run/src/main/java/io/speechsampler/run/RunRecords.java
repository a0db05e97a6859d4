package io.speechsampler.run;

import io.speechsampler.api.config.ConfigException;
import io.speechsampler.api.io.AtomicFiles;
import io.speechsampler.api.spi.EpochReport;
import io.speechsampler.api.spi.RunRecord;
import io.speechsampler.core.pipeline.Pipeline;
import io.speechsampler.djl.train.StepListener;
import io.speechsampler.djl.train.StepReport;
import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The records the pipeline's components keep in the run folder ({@link RunRecord}: {@code drop-class}'s
 * {@code drops.jsonl}), kept as {@link RunLog}s beside {@code metrics.jsonl}: a line appended after
 * each trained step that has one, and on resume the file cut back to the lines of steps before the
 * checkpoint. A listener around the run's own, so the loop calls both.
 */
final class RunRecords implements StepListener, AutoCloseable {

    private final StepListener inner;
    private final Map<Path, RunRecord> records = new LinkedHashMap<>();
    private final Map<Path, Long> kept = new LinkedHashMap<>();
    private final Map<Path, BufferedWriter> writers = new LinkedHashMap<>();

    private RunRecords(StepListener inner) {
        this.inner = inner;
    }

    /**
     * The records of every component of {@code pipeline} (each once) in {@code runDir}, around {@code inner}.
     *
     * @throws ConfigException when two components keep the same file, or a name is not a plain {@code .jsonl} name
     */
    static RunRecords of(Pipeline pipeline, Path runDir, StepListener inner) {
        RunRecords r = new RunRecords(inner);
        for (Object c : components(pipeline)) {
            if (c instanceof RunRecord rec) {
                String name = rec.recordFile();
                if (!name.matches("[a-z0-9_-]+\\.jsonl")) {
                    throw new ConfigException(c.getClass().getName() + " keeps a record named '" + name
                            + "'; expected a plain file name ending in .jsonl");
                }
                if (r.records.put(runDir.resolve(name), rec) != null) {
                    throw new ConfigException("two components of the run keep " + name + "; expected one file each");
                }
            }
        }
        return r;
    }

    /** Every component of {@code pipeline}, each once, in a fixed order. */
    static List<Object> components(Pipeline pipeline) {
        Set<Object> seen = Collections.newSetFromMap(new IdentityHashMap<>());
        List<Object> all = new ArrayList<>();
        all.add(pipeline.sampler());
        all.addAll(pipeline.stages());
        all.add(pipeline.batcher());
        all.addAll(pipeline.weightings());
        pipeline.mask().ifPresent(all::add);
        all.addAll(pipeline.observers());
        all.addAll(pipeline.sharedComponents().values());
        List<Object> out = new ArrayList<>();
        for (Object c : all) {
            if (seen.add(c)) {
                out.add(c);
            }
        }
        return out;
    }

    /**
     * The components of {@code pipeline} that report per epoch into {@code metrics.jsonl}.
     *
     * @throws ConfigException when two of them report the same type, or a type is not a plain name
     */
    static List<EpochReport> epochReports(Pipeline pipeline) {
        List<EpochReport> out = new ArrayList<>();
        Set<String> types = new java.util.HashSet<>();
        for (Object c : components(pipeline)) {
            if (c instanceof EpochReport rep) {
                String type = rep.reportType();
                if (!type.matches("[a-z][a-z0-9_]*") || type.equals("step") || type.equals("validation")) {
                    throw new ConfigException(c.getClass().getName() + " reports per epoch as type '" + type
                            + "'; expected a plain lowercase name other than step and validation");
                }
                if (!types.add(type)) {
                    throw new ConfigException("two components of the run report per epoch as '" + type
                            + "'; expected one each");
                }
                out.add(rep);
            }
        }
        return out;
    }

    /** Measures, before anything changes, the lines of each record that steps before {@code doneSteps} wrote. */
    void keepBefore(long doneSteps) {
        for (Path f : records.keySet()) {
            kept.put(f, RunLog.kept(f, o -> o.path("step").asLong(Long.MAX_VALUE) < doneSteps));
        }
    }

    /** Cuts each record to what {@link #keepBefore} measured and opens it to append. */
    void open() {
        for (Path f : records.keySet()) {
            AtomicFiles.removeTemporaries(f);
            RunLog.cutTo(f, kept.getOrDefault(f, 0L));
            writers.put(f, RunLog.append(f));
        }
    }

    @Override
    public void onStep(StepReport report) {
        inner.onStep(report);
        for (var e : records.entrySet()) {
            String line = e.getValue().recordLine(report.batch());
            if (line != null) {
                RunLog.writeLine(writers.get(e.getKey()), e.getKey(), line);
            }
        }
    }

    @Override
    public void onValidation(int epoch, double score, boolean best) {
        inner.onValidation(epoch, score, best);
    }

    @Override
    public void onEpochEnd(int epoch) {
        inner.onEpochEnd(epoch);
    }

    @Override
    public void close() throws IOException {
        for (BufferedWriter w : writers.values()) {
            w.close();
        }
        writers.clear();
    }
}
