package dev.lookout.docker;

import dev.lookout.api.ObjectKey;
import dev.lookout.config.OperatorConfig;
import dev.lookout.platform.Instance;
import dev.lookout.platform.InstanceQuery;
import dev.lookout.platform.Instances;
import java.time.Duration;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Instances as the containers of a Docker host, read from its inventory (which the events stream keeps current).
 * A container is reached by its name on the shared network; one that is not on it is reported with the networks
 * it is on, so that a person can add it.
 */
public final class DockerInstances implements Instances {
    /** Compose's own labels: the project and service a container belongs to. */
    public static final String COMPOSE_PROJECT = "com.docker.compose.project";
    public static final String COMPOSE_SERVICE = "com.docker.compose.service";

    private final EngineAccess hosts;
    private final HostWatch watch;
    private final OperatorConfig config;
    private final PlanRecorder dryRun;

    DockerInstances(DockerPlatform platform) {
        this.hosts = platform.hosts();
        this.watch = platform.watch();
        this.config = platform.config();
        this.dryRun = platform.dryRun();
    }

    /** Whether {@code c} is one the query asks for: every label, and one of the compose projects when any is named. */
    public static boolean matches(InstanceQuery query, ContainerInfo c) {
        if (!c.hasLabels(query.labels())) {
            return false;
        }
        String project = c.label(COMPOSE_PROJECT);
        return query.groups().isEmpty() || project != null && query.groups().contains(project);
    }

    @Override
    public Found find(ObjectKey owner, InstanceQuery query) {
        if (dryRun != null) {
            dryRun.searched(owner, query.host());
        } else {
            watch.watch(query.host(), owner, c -> matches(query, c));
        }
        if (hosts.state(query.host()) instanceof HostState.Down down) {
            return new Found.Unavailable("DockerUnavailable", "Docker host " + query.host() + " does not answer ("
                    + down.reason() + "); retried with backoff");
        }
        String network = config.prometheus().network();
        return new Found.Listed(hosts.containers(query.host()).stream().filter(c -> matches(query, c))
                .map(c -> instance(c, network)).toList(), network + " is the network Prometheus and blackbox-exporter share, so a "
                + "container off it cannot be probed by name. Add " + network + " to its compose file's networks (as an "
                + "external network)");
    }

    static Instance instance(ContainerInfo c, String sharedNetwork) {
        boolean reachable = c.networks().containsKey(sharedNetwork);
        String unreachable = reachable ? null : "is on " + (c.networks().isEmpty() ? "no network"
                : String.join(", ", new TreeSet<>(c.networks().keySet()))) + ", not on " + sharedNetwork;
        return new Instance(c.id(), c.name(), c.state(), c.restartCount(), c.startedAt(), reachable ? c.name() : null,
                unreachable, targetLabels(c));
    }

    /** The series' labels: which container it is, and its compose project and service when it has them. */
    private static Map<String, String> targetLabels(ContainerInfo c) {
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

    @Override
    public void forget(ObjectKey owner) {
        if (watch != null) {
            watch.unwatch(owner);
        }
    }

    @Override
    public void restart(String host, Instance instance, Duration grace) {
        if (dryRun != null) {
            dryRun.note(host, "would restart " + instance.name());
            return;
        }
        DockerApi api = hosts.api(host).orElseThrow(() -> new IllegalStateException("no Docker host named '" + host + "'"));
        api.restart(instance.id(), grace); // by id: the very container that was found
    }
}
