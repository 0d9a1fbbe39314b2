package dev.lookout.gpu;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.TextNode;
import io.fabric8.generator.annotation.Default;
import java.util.Map;
import java.util.TreeMap;

/**
 * @param gpus kept as the raw YAML value because it is one of three shapes (see {@link GpuSelection});
 *             the CRD can only say "any value" for it, the validator says the rest.
 */
public record GpuNodeSpec(
        @JsonPropertyDescription("Compose: Docker host name; Kubernetes: node name, or * for every GPU node.") @Default("local") String host,
        @JsonPropertyDescription("all, a list of GPU indexes, or a list of GPU-<uuid>.") JsonNode gpus,
        GpuExporter exporter,
        @JsonPropertyDescription("Labels added to every series, e.g. node.") Map<String, String> labels,
        GpuAlerts alerts) {
    public GpuNodeSpec {
        host = host == null ? "local" : host;
        gpus = gpus == null || gpus.isNull() ? TextNode.valueOf(GpuSelection.ALL) : gpus;
        exporter = exporter == null ? GpuExporter.defaults() : exporter;
        labels = labels == null ? Map.of() : java.util.Collections.unmodifiableMap(new TreeMap<>(labels));
        alerts = alerts == null ? GpuAlerts.defaults() : alerts;
    }

    /** {@code gpus} as a typed selection; meaningful once the resource passed validation. */
    public GpuSelection selection() {
        return GpuSelection.of(gpus);
    }
}
