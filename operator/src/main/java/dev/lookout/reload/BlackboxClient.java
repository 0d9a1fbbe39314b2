package dev.lookout.reload;

import java.net.URI;
import java.time.Duration;
import java.util.Optional;

/**
 * Talks to a running blackbox-exporter: reloads the modules Lookout merged into its config file. Same
 * contract as {@link PrometheusClient}: the base URL may carry a path prefix, every call is bounded, none
 * throws for a network failure.
 */
public final class BlackboxClient {
    /** blackbox-exporter's gauge: 1 when its config last loaded successfully. */
    public static final String LAST_RELOAD_METRIC = "blackbox_exporter_config_last_reload_successful";

    private final HttpEndpoint endpoint;

    public BlackboxClient(URI baseUrl, Duration timeout) {
        this(baseUrl, timeout, timeout);
    }

    /** @param reloadTimeout how long a reload may take to answer */
    public BlackboxClient(URI baseUrl, Duration timeout, Duration reloadTimeout) {
        this.endpoint = new HttpEndpoint(baseUrl, timeout, reloadTimeout);
    }

    /** The base URL as used, with its trailing slash. */
    public URI baseUrl() {
        return endpoint.base();
    }

    /**
     * {@code POST -/reload}. blackbox_exporter 0.28 answers 200 with an empty body when it loaded the
     * file, and 500 {@code failed to reload config: error parsing config file: …} (YAML line or the bad
     * regex) when it kept the old one. It needs no flag to allow reloads. It does not check that a module's
     * prober exists or that a password_file is there: those fail at probe time.
     */
    public ReloadOutcome reload() {
        return endpoint.reload("blackbox-exporter refused the reload (HTTP 403)");
    }

    /** Whether blackbox-exporter's config last loaded successfully; empty when it cannot be asked. */
    public Optional<Boolean> lastReloadSuccessful() {
        return endpoint.flag(LAST_RELOAD_METRIC);
    }

    /**
     * {@code GET -/healthy} answers 200. (blackbox has no {@code -/ready}: that path falls through to its
     * landing page and answers 200 whatever the state.)
     */
    public boolean ready() {
        return endpoint.answers200("-/healthy");
    }
}
