package dev.lookout.reload;

/**
 * What a server answered to {@code POST /-/reload}. The four cases ask different things of the run loop,
 * which is why they are kept apart: only {@link Rejected} says the written files are at fault.
 */
public sealed interface ReloadOutcome {
    /** The server loaded the configuration on disk (HTTP 200). */
    record Applied() implements ReloadOutcome {
    }

    /**
     * The server read the configuration and refused it (HTTP 500): roll back to the last good set.
     * {@code message} is the server's own text, trimmed. Prometheus names the file only when the error is
     * in prometheus.yml itself; for an included scrape or rule file it says only "one or more errors
     * occurred while applying the new configuration" (the file is in its log), so blame comes from
     * {@link PromtoolCheck}, not from here.
     */
    record Rejected(String message) implements ReloadOutcome {
    }

    /**
     * The server answered but does not accept reloads (Prometheus without {@code --web.enable-lifecycle}
     * answers 403 "Lifecycle API is not enabled."). No file is at fault and rolling back would not help:
     * the fix is in how the server is started.
     */
    record Disabled(String message) implements ReloadOutcome {
    }

    /**
     * No usable answer: connection refused, timeout, unknown host, or an HTTP status that says the URL is
     * wrong rather than the configuration (404, 401, a proxy's 502). A short human reason, never a stack
     * trace. The files may be fine: retry later.
     */
    record Unreachable(String reason) implements ReloadOutcome {
    }
}
