package dev.lookout.reload;

import java.net.URI;
import java.time.Duration;
import java.util.Optional;

/**
 * Talks to a running Prometheus: asks it to reload what Lookout wrote, and confirms whether the last
 * reload held. The base URL may carry a path prefix ({@code http://h:9090/prom} for a Prometheus started
 * with {@code --web.route-prefix=/prom}); every endpoint is resolved under it. Every call is bounded by
 * the timeout and none throws for a network failure.
 */
public final class PrometheusClient {
    /** Prometheus' own gauge: 1 when the last reload attempt (from any source: HTTP, SIGHUP) succeeded. */
    public static final String LAST_RELOAD_METRIC = "prometheus_config_last_reload_successful";
    static final String DISABLED = "reload endpoint disabled: start Prometheus with --web.enable-lifecycle";

    private final HttpEndpoint endpoint;

    public PrometheusClient(URI baseUrl, Duration timeout) {
        this.endpoint = new HttpEndpoint(baseUrl, timeout);
    }

    /** The base URL as used, with its trailing slash. */
    public URI baseUrl() {
        return endpoint.base();
    }

    /**
     * {@code POST -/reload}. Prometheus 3.5 answers 200 with an empty body when it applied the config;
     * 500 with {@code failed to reload config: …} when it refused it; 403 "Lifecycle API is not enabled."
     * without {@code --web.enable-lifecycle}, reported as {@link ReloadOutcome.Disabled}. A 500 is not
     * all-or-nothing: scrape pools keep their old config, but other parts (rules) may have moved on.
     */
    public ReloadOutcome reload() {
        return endpoint.reload(DISABLED);
    }

    /**
     * Whether Prometheus' last reload attempt succeeded, from its {@code /metrics}; empty when it cannot
     * be asked. Confirms a reload that something else triggered, or one whose answer was lost.
     */
    public Optional<Boolean> lastReloadSuccessful() {
        return endpoint.flag(LAST_RELOAD_METRIC);
    }

    /** {@code GET -/ready} answers 200: started and serving (503 while it replays its WAL). */
    public boolean ready() {
        return endpoint.answers200("-/ready");
    }
}
