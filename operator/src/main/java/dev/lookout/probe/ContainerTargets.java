package dev.lookout.probe;

import dev.lookout.docker.ContainerInfo;
import dev.lookout.prometheus.DiscoveredTarget;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * Which containers of a host a ComfyProbe probes, and how Prometheus reaches them: by container name and port
 * on the network Prometheus and blackbox share (never 127.0.0.1 or a bridge IP, which change on every
 * recreate). A container that matches but is not on that network cannot be probed by name: it is reported,
 * not dropped in silence.
 */
public final class ContainerTargets {
    /** Compose's own labels: the project and service a container belongs to. */
    public static final String COMPOSE_PROJECT = "com.docker.compose.project";
    public static final String COMPOSE_SERVICE = "com.docker.compose.service";

    private ContainerTargets() {
    }

    /**
     * @param targets     what to probe, sorted by target
     * @param unreachable matching containers not on the shared network, with the networks they are on
     * @param matched     every matching container, whatever its state (restart counts follow a stopped one too)
     */
    public record Found(List<DiscoveredTarget> targets, List<ContainerInfo> unreachable, List<ContainerInfo> matched) {
    }

    /**
     * Running containers count, and so do restarting and paused ones: a ComfyUI that crash-loops must stay a
     * target so that its failing probe raises ComfyUIDown. A stopped container is not a target (someone stopped it).
     */
    static boolean probed(ContainerInfo c) {
        return c.running() || "restarting".equals(c.state()) || "paused".equals(c.state());
    }

    public static Found find(DockerDiscovery discovery, String path, String sharedNetwork, List<ContainerInfo> containers) {
        List<DiscoveredTarget> targets = new ArrayList<>();
        List<ContainerInfo> unreachable = new ArrayList<>();
        List<ContainerInfo> matched = new ArrayList<>();
        for (ContainerInfo c : containers) {
            if (!matches(discovery, c)) {
                continue;
            }
            matched.add(c);
            if (!probed(c)) {
                continue;
            }
            if (!c.networks().containsKey(sharedNetwork)) {
                unreachable.add(c);
                continue;
            }
            String url = discovery.scheme().name().toLowerCase(Locale.ROOT) + "://" + c.name() + ":" + discovery.port() + path;
            targets.add(new DiscoveredTarget(url, labels(c)));
        }
        targets.sort(null);
        unreachable.sort(java.util.Comparator.comparing(ContainerInfo::name));
        matched.sort(java.util.Comparator.comparing(ContainerInfo::name));
        return new Found(targets, unreachable, matched);
    }

    public static boolean matches(DockerDiscovery discovery, ContainerInfo c) {
        if (!c.hasLabels(discovery.labelSelector())) {
            return false;
        }
        String project = c.label(COMPOSE_PROJECT);
        return discovery.composeProjects().isEmpty() || project != null && discovery.composeProjects().contains(project);
    }

    /** The series' labels: which container it is, and its compose project and service when it has them. */
    private static Map<String, String> labels(ContainerInfo c) {
        Map<String, String> labels = new TreeMap<>();
        labels.put("container", c.name());
        if (c.label(COMPOSE_PROJECT) != null) {
            labels.put("compose_project", c.label(COMPOSE_PROJECT));
        }
        if (c.label(COMPOSE_SERVICE) != null) {
            labels.put("compose_service", c.label(COMPOSE_SERVICE));
        }
        return labels;
    }

    /** The message of a TargetsUnreachable condition. */
    public static String unreachableMessage(List<ContainerInfo> unreachable, String sharedNetwork) {
        StringBuilder sb = new StringBuilder();
        for (ContainerInfo c : unreachable) {
            sb.append(sb.isEmpty() ? "" : "; ").append(c.name()).append(" is on ")
                    .append(c.networks().isEmpty() ? "no network" : String.join(", ", new java.util.TreeSet<>(c.networks().keySet())));
        }
        return sb + ", not on " + sharedNetwork + ", the network Prometheus and blackbox-exporter share, so it cannot be "
                + "probed by name. Add " + sharedNetwork + " to its compose file's networks (as an external network).";
    }
}
