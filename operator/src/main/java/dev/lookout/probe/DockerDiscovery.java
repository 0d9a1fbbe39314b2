package dev.lookout.probe;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import dev.lookout.api.Scheme;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** Targets among the containers of one Docker host: every label must match, and the container must
 *  belong to one of the compose projects when any are listed. */
public record DockerDiscovery(
        @JsonPropertyDescription("Docker host name from the operator configuration.") @Default("local") String host,
        @JsonPropertyDescription("Container labels that must all match.") Map<String, String> labelSelector,
        @JsonPropertyDescription("Compose projects whose containers are probed.") List<String> composeProjects,
        @JsonPropertyDescription("Container port ComfyUI listens on.") @Min(1) @Max(65535) Integer port,
        @JsonPropertyDescription("http or https.") Scheme scheme) {
    public DockerDiscovery {
        host = host == null ? "local" : host;
        labelSelector = labelSelector == null ? Map.of() : java.util.Collections.unmodifiableMap(new TreeMap<>(labelSelector));
        composeProjects = composeProjects == null ? List.of() : List.copyOf(composeProjects);
        port = port == null ? 8188 : port;
        scheme = scheme == null ? Scheme.HTTP : scheme;
    }
}
