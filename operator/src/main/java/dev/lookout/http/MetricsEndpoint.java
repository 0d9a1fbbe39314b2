package dev.lookout.http;

import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * {@code /metrics}: the registry in Prometheus text format 0.0.4, or OpenMetrics 1.0 when the scraper's
 * Accept header asks for it (Prometheus does by default). The registry's own writers do the work; this
 * only picks one, and never the protobuf format, which nothing here needs.
 */
final class MetricsEndpoint {
    static final String PROMETHEUS_TEXT = "text/plain; version=0.0.4; charset=utf-8";
    static final String OPENMETRICS_TEXT = "application/openmetrics-text; version=1.0.0; charset=utf-8";

    private final PrometheusMeterRegistry registry;

    MetricsEndpoint(PrometheusMeterRegistry registry) {
        this.registry = registry;
    }

    HttpReply handle(HttpRequest request) {
        String contentType = request.accept().contains("application/openmetrics-text") ? OPENMETRICS_TEXT : PROMETHEUS_TEXT;
        return new HttpReply(200, contentType, registry.scrape(contentType).getBytes(StandardCharsets.UTF_8), Map.of());
    }
}
