package dev.lookout.kubernetes.platform;

import dev.lookout.api.ClusterNames;

/**
 * Kubernetes names for what the kinds name for Docker. A workload is called {@code lookout-nginx-default_web} (a
 * container name); a Service must be a DNS-1035 label: lower case letters, digits and '-', 63 at most, starting
 * with a letter. The mapping is deterministic, so the same workload always finds its objects again.
 */
final class ObjectNames {
    private ObjectNames() {
    }

    /** The name of the Deployment or DaemonSet, its Service, ConfigMap and Secret stem ({@link ClusterNames#of}). */
    static String of(String workloadName) {
        return ClusterNames.of(workloadName);
    }

    static String limit(String value, int max) {
        return ClusterNames.limit(value, max);
    }

    /** Hex SHA-256 of {@code text}. */
    static String digest(String text) {
        return ClusterNames.digest(text.getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }

    static String digest(byte[] bytes) {
        return ClusterNames.digest(bytes);
    }
}
