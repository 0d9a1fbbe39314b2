package dev.lookout.probe;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import dev.lookout.api.Scheme;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** Targets among pods of a cluster (Kubernetes mode). */
public record KubernetesDiscovery(
        @JsonPropertyDescription("Pod labels that must all match.") Map<String, String> labelSelector,
        @JsonPropertyDescription("Namespaces searched; empty means the resource's own.") List<String> namespaces,
        @JsonPropertyDescription("Pod port ComfyUI listens on.") @Min(1) @Max(65535) Integer port,
        @JsonPropertyDescription("http or https.") Scheme scheme) {
    public KubernetesDiscovery {
        labelSelector = labelSelector == null ? Map.of() : java.util.Collections.unmodifiableMap(new TreeMap<>(labelSelector));
        namespaces = namespaces == null ? List.of() : List.copyOf(namespaces);
        port = port == null ? 8188 : port;
        scheme = scheme == null ? Scheme.HTTP : scheme;
    }
}
