package dev.lookout.dashboards;

import dev.lookout.api.ObjectKey;
import dev.lookout.platform.Instance;
import dev.lookout.probe.RestartCounts;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Instant;
import java.util.List;

/**
 * Lookout's own /metrics for the restart counts of discovered ComfyUI containers: the real {@link RestartCounts} that
 * {@code lookout run} exports {@code lookout_container_restarts_total{probe, container}} with, fed a container that
 * the restart policy restarted once more before every scrape.
 */
final class RestartingContainers {
    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final RestartCounts counts = new RestartCounts(registry);
    private final List<ObjectKey> probes;
    private final Instance container;
    private int restarts;

    RestartingContainers(List<ObjectKey> probes, Instance container) {
        this.probes = List.copyOf(probes);
        this.container = container;
    }

    /** The text a scrape of Lookout's /metrics gets, after one more restart of the container. */
    synchronized String scrape(String requestPath) {
        Instance restarted = new Instance(container.id(), container.name(), container.state(), restarts++,
                container.startedAt(), container.address(), container.unreachable(), container.targetLabels());
        probes.forEach(probe -> counts.observe(probe, List.of(restarted)));
        return registry.scrape();
    }

    /** A running ComfyUI container of compose project {@code project} that Prometheus reaches at {@code address}. */
    static Instance comfyContainer(String name, String project, String address) {
        return new Instance("id-" + name, name, "running", 0, Instant.parse("2024-12-02T18:00:00Z"), address, null,
                java.util.Map.of("container", name, "compose_project", project));
    }
}
