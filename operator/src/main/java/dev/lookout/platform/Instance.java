package dev.lookout.platform;

import java.time.Instant;
import java.util.Collections;
import java.util.Map;
import java.util.TreeMap;

/**
 * One running thing a selector found (a container on Docker, a pod on Kubernetes), as a kind needs to see it.
 *
 * @param state        running, restarting, paused, created, exited or dead (Docker's words; a Kubernetes
 *                     platform maps its pods onto them)
 * @param restartCount restarts by the platform's restart policy
 * @param address      where Prometheus and blackbox reach it (a name or address, no port); null when they cannot
 * @param unreachable  why they cannot ("is on p_default, not on dnet1"); null when {@code address} is set
 * @param targetLabels the labels its series carry to say which instance it is (e.g. container, compose_project)
 */
public record Instance(String id, String name, String state, int restartCount, Instant startedAt, String address,
                       String unreachable, Map<String, String> targetLabels) {
    public Instance {
        targetLabels = targetLabels == null ? Map.of() : Collections.unmodifiableMap(new TreeMap<>(targetLabels));
    }

    public boolean running() {
        return "running".equals(state);
    }
}
