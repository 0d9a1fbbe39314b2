package dev.lookout.probe;

import dev.lookout.api.ObjectKey;
import dev.lookout.kind.ReconcileResult;
import dev.lookout.kind.Reconciler;
import dev.lookout.platform.InstanceQuery;
import dev.lookout.platform.Instances;
import dev.lookout.prometheus.DiscoveredTarget;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * ComfyProbe's reconciler: the targets it probes (static ones from the spec, and the instances
 * {@code discover.docker} finds through the platform, which requeues the probe when they change), their restart
 * counts, and remediation of instances whose probe keeps failing.
 */
public final class ComfyProbeReconciler implements Reconciler<ComfyProbe> {
    private final Instances instances;
    private final RestartCounts restarts;
    private final ProbeRemediator remediator;
    /** How often {@code discover.kubernetes} lists the pods again (no watch on them yet). */
    static final Duration POD_RECHECK = Duration.ofSeconds(15);

    /** What the engine keeps of each probe's last discovery (persisted), listed in its status while the host is down. */
    private final Function<ObjectKey, List<DiscoveredTarget>> foundBefore;
    private final RestartGrace restartGrace;

    /**
     * @param remediator  null where no Prometheus can be asked (remediation is then not done)
     * @param foundBefore the targets the engine keeps for a probe from its last discovery ({@code ResourceTable::discovered})
     * @param clock       times how long a stopped container has been stopped ({@link RestartGrace})
     */
    public ComfyProbeReconciler(Instances instances, RestartCounts restarts, ProbeRemediator remediator,
                                Function<ObjectKey, List<DiscoveredTarget>> foundBefore, Clock clock) {
        this.instances = instances;
        this.restarts = restarts;
        this.remediator = remediator;
        this.foundBefore = foundBefore;
        this.restartGrace = new RestartGrace(clock);
    }

    @Override
    public ReconcileResult reconcile(ComfyProbe probe, ObjectKey key) {
        ComfyProbeSpec spec = probe.getSpec();
        DockerDiscovery docker = spec.discover() == null ? null : spec.discover().docker();
        KubernetesDiscovery cluster = spec.discover() == null ? null : spec.discover().kubernetes();
        if (docker == null && cluster == null) {
            instances.forget(key);
            return ReconcileResult.status(status(spec, List.of()));
        }
        // One of the two (the validator allows no more): a Docker host's containers, or the cluster's pods (no host).
        String host = docker != null ? docker.host() : null;
        Instances.Found found = instances.find(key, docker != null
                ? new InstanceQuery(docker.host(), docker.labelSelector(), docker.composeProjects())
                : new InstanceQuery(null, cluster.labelSelector(), List.of(), cluster.namespaces()));
        if (found instanceof Instances.Found.Unavailable down) {
            // The instances may well still run: the targets found before stay in Prometheus (discovered null).
            return new ReconcileResult(status(spec, foundBefore.apply(key)), null, null, null)
                    .blocked(down.reason(), down.message() + ". The targets found before stay in Prometheus.");
        }
        Instances.Found.Listed listed = (Instances.Found.Listed) found;
        ProbeTargets.Found targets = docker != null ? ProbeTargets.find(docker, spec.http().path(), listed.instances())
                : ProbeTargets.find(cluster.scheme(), cluster.port(), spec.http().path(), listed.instances());
        if (spec.restarts() != null) {
            restarts.observe(key, targets.matched());
        } else {
            restarts.forget(key); // restarts taken out of the spec: its series go
        }
        RestartGrace.Kept restarting = restartGrace.keep(key, targets.matched(), foundBefore.apply(key));
        List<DiscoveredTarget> probed = new ArrayList<>(targets.targets());
        probed.addAll(restarting.targets());
        probed.sort(null);
        ReconcileResult result = ReconcileResult.status(status(spec, probed)).discovered(probed);
        Duration lookAgain = restarting.lookAgain();
        if (spec.remediation() != null && spec.remediation().restartAfter() != null && remediator != null) {
            Duration next = remediator.check(key, spec, host, targets.matched());
            lookAgain = lookAgain == null || next != null && next.compareTo(lookAgain) < 0 ? next : lookAgain;
        }
        if (cluster != null) {
            // Pods come and go without an event reaching Lookout yet (no pod watch): looked at again on a short clock.
            lookAgain = lookAgain == null || POD_RECHECK.compareTo(lookAgain) < 0 ? POD_RECHECK : lookAgain;
        }
        result = result.requeueAfter(lookAgain);
        if (!targets.unreachable().isEmpty()) {
            result = result.blocked("TargetsUnreachable", ProbeTargets.unreachableMessage(targets.unreachable(), listed.advice()));
        }
        return result;
    }

    private static ComfyProbeStatus status(ComfyProbeSpec spec, List<DiscoveredTarget> discovered) {
        List<ComfyProbeStatus.ProbeTargetStatus> targets = new ArrayList<>();
        spec.targets().forEach(t -> targets.add(new ComfyProbeStatus.ProbeTargetStatus(t.url(), null, null, null)));
        discovered.forEach(t -> targets.add(new ComfyProbeStatus.ProbeTargetStatus(t.target(), t.labels().get("container"), null, null)));
        ComfyProbeStatus status = new ComfyProbeStatus();
        status.setTargets(targets);
        status.setTargetCount(targets.size());
        return status;
    }

    @Override
    public void cleanup(ObjectKey key) {
        instances.forget(key);
        restartGrace.forget(key);
        restarts.forget(key);
        if (remediator != null) {
            remediator.forget(key);
        }
    }
}
