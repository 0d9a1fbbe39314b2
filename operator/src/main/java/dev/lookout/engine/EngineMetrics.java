package dev.lookout.engine;

import java.time.Duration;

/** What the engine reports as it works; the HTTP side exports it as Prometheus metrics. */
public interface EngineMetrics {
    EngineMetrics NONE = new EngineMetrics() {
    };

    default void reconciled(String kind, Duration took, boolean ok) {
    }

    default void rendered(Duration took, int files, boolean changed) {
    }

    /** @param outcome applied, rejected, unreachable, rolled_back or rollback_failed */
    default void reload(String target, String outcome) {
    }

    default void changeToReload(Duration latency) {
    }
}
