package io.speechsampler.run;

import io.speechsampler.api.config.ConfigException;
import io.speechsampler.api.io.AtomicFiles;
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
        Set<Object> seen = Collections.newSetFromMap(new IdentityHashMap<>());
        List<Object> all = new ArrayList<>();
        all.add(pipeline.sampler());
        all.addAll(pipeline.stages());
        all.add(pipeline.batcher());
        all.addAll(pipeline.weightings());
        pipeline.mask().ifPresent(all::add);
        all.addAll(pipeline.observers());
        all.addAll(pipeline.sharedComponents().values());
        for (Object c : all) {
            if (c instanceof RunRecord rec && seen.add(rec)) {
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
    public void close() throws IOException {
        for (BufferedWriter w : writers.values()) {
            w.close();
        }
        writers.clear();
    }
}
