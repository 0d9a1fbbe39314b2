package dev.lookout.docker;

import java.util.Set;

/** What {@code GET /info} and {@code /version} say about an engine, as far as Lookout needs it. */
public record EngineInfo(String host, String serverVersion, String apiVersion, Set<String> runtimes,
                         String defaultRuntime) {
    public EngineInfo {
        runtimes = runtimes == null ? Set.of() : Set.copyOf(runtimes);
    }
}
