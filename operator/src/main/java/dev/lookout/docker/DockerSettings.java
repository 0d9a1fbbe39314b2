package dev.lookout.docker;

import java.time.Duration;

/**
 * How Lookout talks to every Docker engine: timeouts, retries of a dropped connection, and how the events
 * stream of a host is supervised.
 *
 * @param connectTimeout   opening a connection (tcp; a unix socket connects at once or fails at once)
 * @param responseTimeout  how long one call may wait for the engine's answer (stop and restart add their grace)
 * @param retries          how often a call that lost its connection is tried again (docker-java has no reconnect
 *                         logic: a pooled connection the daemon closed fails the next call that uses it)
 * @param retryBackoff     the pause before the first retry, doubling for each further one
 * @param resyncInterval   how often a connected host is pinged and its inventory compared with a fresh list,
 *                         which is what notices an events stream that went silent
 * @param reconnectInitial the first pause before a host that is down is tried again, doubling with jitter …
 * @param reconnectMax     … up to this
 */
public record DockerSettings(Duration connectTimeout, Duration responseTimeout, int retries, Duration retryBackoff,
                             Duration resyncInterval, Duration reconnectInitial, Duration reconnectMax) {
    public DockerSettings {
        connectTimeout = orDefault(connectTimeout, Duration.ofSeconds(3));
        responseTimeout = orDefault(responseTimeout, Duration.ofSeconds(30));
        retries = Math.max(0, retries);
        retryBackoff = orDefault(retryBackoff, Duration.ofMillis(100));
        resyncInterval = orDefault(resyncInterval, Duration.ofSeconds(30));
        reconnectInitial = orDefault(reconnectInitial, Duration.ofMillis(250));
        reconnectMax = orDefault(reconnectMax, Duration.ofSeconds(30));
    }

    /** 3 s to connect, 30 s to answer, 2 retries from 100 ms, a resync every 30 s, reconnects from 250 ms to 30 s. */
    public static DockerSettings defaults() {
        return new DockerSettings(null, null, 2, null, null, null, null);
    }

    public DockerSettings withTimeouts(Duration connect, Duration response) {
        return new DockerSettings(connect, response, retries, retryBackoff, resyncInterval, reconnectInitial,
                reconnectMax);
    }

    public DockerSettings withResyncInterval(Duration interval) {
        return new DockerSettings(connectTimeout, responseTimeout, retries, retryBackoff, interval, reconnectInitial,
                reconnectMax);
    }

    public DockerSettings withReconnect(Duration initial, Duration max) {
        return new DockerSettings(connectTimeout, responseTimeout, retries, retryBackoff, resyncInterval, initial, max);
    }

    private static Duration orDefault(Duration value, Duration fallback) {
        return value == null || value.isNegative() || value.isZero() ? fallback : value;
    }
}
