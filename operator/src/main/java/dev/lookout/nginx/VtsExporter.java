package dev.lookout.nginx;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;

public record VtsExporter(
        @JsonPropertyDescription("native: Prometheus scrapes VTS's own format; sidecar: the nginx-vts-exporter container.") ExporterMode mode) {
    public VtsExporter {
        mode = mode == null ? ExporterMode.NATIVE : mode;
    }
}
