package dev.lookout.http;

import java.util.List;

/**
 * Whether the operator is doing its job, for {@code /readyz}: the engine answers from what it last
 * observed, never by probing on the HTTP thread.
 */
public interface Readiness {
    /**
     * Empty when ready; otherwise one reason a person can act on per entry, e.g. {@code prometheus
     * http://127.0.0.1:9090: unreachable (connection refused); outputs written, reload retried}.
     */
    List<String> notReady();
}
