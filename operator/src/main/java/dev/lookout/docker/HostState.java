package dev.lookout.docker;

import java.time.Instant;

/** Whether Lookout can work on a Docker host now. */
public sealed interface HostState {
    /** Connected: its events stream is open and its inventory current. */
    record Up(Instant since, EngineInfo engine) implements HostState {
    }

    /**
     * Not reachable (or not yet reached, before its first connection): every resource on it waits.
     *
     * @param nextRetry when it is tried again
     */
    record Down(String reason, Instant since, Instant nextRetry) implements HostState {
    }

    default boolean up() {
        return this instanceof Up;
    }
}
