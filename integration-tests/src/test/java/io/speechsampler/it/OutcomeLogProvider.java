package io.speechsampler.it;

import io.speechsampler.api.config.ParamSpec;
import io.speechsampler.api.config.Params;
import io.speechsampler.api.spi.BuildContext;
import io.speechsampler.api.spi.Outcome;
import io.speechsampler.api.spi.OutcomeObserver;
import io.speechsampler.api.spi.OutcomeObserverProvider;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * {@code it-outcome-log} (tests only): keeps every outcome it observes in memory under its
 * {@code key}, so that an in-process run's test sees what reached the pipeline's observers.
 */
public final class OutcomeLogProvider implements OutcomeObserverProvider {

    /** The outcomes observed, by key, in order. */
    static final Map<String, List<Outcome>> OBSERVED = new ConcurrentHashMap<>();

    @Override
    public String name() {
        return "it-outcome-log";
    }

    @Override
    public String description() {
        return "tests only: keeps the outcomes it observes in memory under its key";
    }

    @Override
    public List<ParamSpec> parameters() {
        return List.of(ParamSpec.string("key", "the key its outcomes are kept under").defaultsTo("outcomes"));
    }

    @Override
    public OutcomeObserver create(Params params, BuildContext context) {
        List<Outcome> log = OBSERVED.computeIfAbsent(params.getString("key"), k -> new ArrayList<>());
        return new OutcomeObserver() {
            @Override
            public void observe(List<Outcome> outcomes) {
                synchronized (log) {
                    log.addAll(outcomes);
                }
            }
        };
    }
}
