package dev.lookout.platform;

import java.util.List;
import java.util.Map;

/**
 * Which instances a kind asks for.
 *
 * @param host   the Docker host name (Kubernetes: ignored; namespaces say where)
 * @param labels every one must match
 * @param groups compose projects on Docker; empty: any
 */
public record InstanceQuery(String host, Map<String, String> labels, List<String> groups) {
    public InstanceQuery {
        labels = labels == null ? Map.of() : Map.copyOf(labels);
        groups = groups == null ? List.of() : List.copyOf(groups);
    }
}
