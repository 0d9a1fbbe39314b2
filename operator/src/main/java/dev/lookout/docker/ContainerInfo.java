package dev.lookout.docker;

import java.time.Instant;
import java.util.Map;

/**
 * What Lookout knows of one container on a host: from a list plus an inspect, kept current by events.
 *
 * @param name         without Docker's leading slash
 * @param state        Docker's state: created, running, paused, restarting, removing, exited, dead
 * @param restartCount Docker's own count of restarts by the restart policy (inspect's RestartCount)
 * @param networks     network name → the container's IPv4 address on it ("" while it has none)
 * @param startedAt    when it last started (null if never)
 */
public record ContainerInfo(String id, String name, String image, Map<String, String> labels, String state,
                            int restartCount, Map<String, String> networks, Instant startedAt) {
    public ContainerInfo {
        labels = labels == null ? Map.of() : Map.copyOf(labels);
        networks = networks == null ? Map.of() : Map.copyOf(networks);
    }

    public boolean running() {
        return "running".equals(state);
    }

    public String label(String key) {
        return labels.get(key);
    }

    /** Whether it carries every one of {@code wanted} with that value: Docker's {@code label=k=v} filter, in memory. */
    public boolean hasLabels(Map<String, String> wanted) {
        return labels.entrySet().containsAll(wanted.entrySet());
    }
}
