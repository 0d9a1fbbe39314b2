package dev.lookout.platform;

/**
 * Where one port of a running workload is reached. Prometheus and Lookout may reach it differently: on the local
 * Docker host Prometheus uses the container's name on the shared network, while Lookout (on the host) uses its
 * address there; on a remote host both use the published {@code host:port}.
 *
 * @param scrape where Prometheus scrapes it ({@code host:port})
 * @param read   where Lookout reads it back, e.g. to tell whether metrics flow ({@code host:port})
 */
public record Endpoint(String scrape, String read) {
}
