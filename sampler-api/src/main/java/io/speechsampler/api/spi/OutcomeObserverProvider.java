package io.speechsampler.api.spi;

/** Service interface for outcome observers (config key observers): list implementations in {@code META-INF/services/io.speechsampler.api.spi.OutcomeObserverProvider}. */
public interface OutcomeObserverProvider extends Provider<OutcomeObserver> {
}
