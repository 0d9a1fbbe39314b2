package dev.lookout.platform;

import java.util.List;
import java.util.Map;

/**
 * Which instances a kind asks for.
 *
 * @param host       the Docker host name (Kubernetes: ignored; namespaces say where)
 * @param labels     every one must match
 * @param groups     compose projects on Docker; empty: any
 * @param namespaces where to look on Kubernetes; empty: the owner's namespace (Docker: ignored)
 */
public record InstanceQuery(String host, Map<String, String> labels, List<String> groups, List<String> namespaces) {
    public InstanceQuery {
        labels = labels == null ? Map.of() : Map.copyOf(labels);
        groups = groups == null ? List.of() : List.copyOf(groups);
        namespaces = namespaces == null ? List.of() : List.copyOf(namespaces);
    }

    /** A query of a Docker host. */
    public InstanceQuery(String host, Map<String, String> labels, List<String> groups) {
        this(host, labels, groups, List.of());
    }
}
