package dev.lookout.api;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Locale;

/**
 * Kubernetes names for what the kinds name for Docker, shared by the cluster platform (which names its objects so)
 * and the renderer (which writes where Prometheus scrapes them). A workload is called {@code lookout-nginx-default_web}
 * (a container name); a Service must be a DNS-1035 label: lower case letters, digits and '-', 63 at most, starting
 * with a letter. The mapping is deterministic, so the same workload always finds its objects again.
 */
public final class ClusterNames {
    private ClusterNames() {
    }

    /** The name of the workload's Deployment or DaemonSet, its Service, ConfigMap and Secret stem. */
    public static String of(String workloadName) {
        String name = workloadName.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9-]", "-").replaceAll("^-+|-+$", "");
        if (name.isEmpty() || !Character.isLetter(name.charAt(0))) {
            name = "w-" + name;
        }
        // 55 leaves room for the "-secret" of the Secret's name within the 63 a label value (the workload label) holds.
        return limit(name, 55).replaceAll("-+$", "");
    }

    /** Where Prometheus, inside the cluster, reaches port {@code port} of a workload's Service in {@code namespace}. */
    public static String serviceAddress(String workloadName, String namespace, int port) {
        return serviceName(workloadName, namespace) + ":" + port;
    }

    /** The DNS name of a workload's Service in {@code namespace}: of a headless one, one A record per ready pod. */
    public static String serviceName(String workloadName, String namespace) {
        return of(workloadName) + "." + namespace + ".svc";
    }

    /** {@code value} itself when it fits in {@code max}, else its start, '-' and 8 hex digits of its SHA-256. */
    public static String limit(String value, int max) {
        if (value.length() <= max) {
            return value;
        }
        return value.substring(0, max - 9) + "-" + digest(value.getBytes(StandardCharsets.UTF_8)).substring(0, 8);
    }

    /** Hex SHA-256. */
    public static String digest(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JDK always has SHA-256", e);
        }
    }
}
