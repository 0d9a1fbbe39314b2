package dev.lookout.probe;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.lookout.config.OperatorConfig;
import dev.lookout.docker.ContainerInfo;
import dev.lookout.docker.DockerHosts;
import dev.lookout.docker.HostState;
import dev.lookout.docker.HostWatch;
import dev.lookout.engine.ReconcileResult;
import dev.lookout.engine.Reconciler;
import dev.lookout.load.ObjectKey;
import dev.lookout.prometheus.DiscoveredTarget;
import java.time.Duration;
import java.util.List;
import java.util.function.Function;

/**
 * ComfyProbe's reconciler: the targets it probes (static ones from the spec, and the containers
 * {@code discover.docker} finds on its host, read from that host's inventory, which the events stream keeps
 * current), their restart counts, and remediation of containers whose probe keeps failing.
 */
public final class ComfyProbeReconciler implements Reconciler<ComfyProbe> {
    private final DockerHosts hosts;
    private final HostWatch watch;
    private final OperatorConfig config;
    private final RestartCounts restarts;
    private final ProbeRemediator remediator;
    /** What the engine keeps of each probe's last discovery (persisted), listed in its status while the host is down. */
    private final Function<ObjectKey, List<DiscoveredTarget>> foundBefore;

    /**
     * @param remediator  null where no Prometheus can be asked (remediation is then reported as unavailable)
     * @param foundBefore the targets the engine keeps for a probe from its last discovery ({@code ResourceTable::discovered})
     */
    public ComfyProbeReconciler(DockerHosts hosts, HostWatch watch, OperatorConfig config, RestartCounts restarts,
                                ProbeRemediator remediator, Function<ObjectKey, List<DiscoveredTarget>> foundBefore) {
        this.hosts = hosts;
        this.watch = watch;
        this.config = config;
        this.restarts = restarts;
        this.remediator = remediator;
        this.foundBefore = foundBefore;
    }

    @Override
    public ReconcileResult reconcile(ComfyProbe probe, ObjectKey key) {
        ComfyProbeSpec spec = probe.getSpec();
        DockerDiscovery docker = spec.discover() == null ? null : spec.discover().docker();
        if (docker == null) {
            watch.unwatch(key);
            return ReconcileResult.status(status(spec, List.of()));
        }
        watch.watch(docker.host(), key, c -> ContainerTargets.matches(docker, c));
        HostState state = hosts.state(docker.host());
        if (state instanceof HostState.Down down) {
            // The containers may well still run: the targets found before stay in Prometheus (discovered null).
            return new ReconcileResult(status(spec, foundBefore.apply(key)), null, null, null)
                    .blocked("DockerUnavailable", "Docker host " + docker.host() + " does not answer (" + down.reason()
                            + "); retried with backoff. The targets found before stay in Prometheus.");
        }
        List<ContainerInfo> containers = hosts.containers(docker.host());
        String network = config.prometheus().network();
        ContainerTargets.Found found = ContainerTargets.find(docker, spec.http().path(), network, containers);
        if (spec.restarts() != null) {
            restarts.observe(key, found.matched());
        } else {
            restarts.forget(key); // restarts taken out of the spec: its series go
        }
        ReconcileResult result = ReconcileResult.status(status(spec, found.targets())).discovered(found.targets());
        if (spec.remediation() != null && spec.remediation().restartAfter() != null && remediator != null) {
            Duration next = remediator.check(key, spec, docker.host(), found.matched());
            result = result.requeueAfter(next);
        }
        if (!found.unreachable().isEmpty()) {
            result = result.blocked("TargetsUnreachable", ContainerTargets.unreachableMessage(found.unreachable(), network));
        }
        return result;
    }

    private static ObjectNode status(ComfyProbeSpec spec, List<DiscoveredTarget> discovered) {
        ObjectNode status = JsonNodeFactory.instance.objectNode();
        ArrayNode targets = status.putArray("targets");
        spec.targets().forEach(t -> targets.addObject().put("url", t.url()));
        discovered.forEach(t -> targets.addObject().put("url", t.target()).put("container", t.labels().get("container")));
        status.put("targetCount", targets.size());
        return status;
    }

    @Override
    public void cleanup(ObjectKey key) {
        watch.unwatch(key);
        restarts.forget(key);
        if (remediator != null) {
            remediator.forget(key);
        }
    }
}
