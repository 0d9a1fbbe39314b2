package dev.lookout.gpu;

import dev.lookout.api.ObjectKey;
import dev.lookout.config.OperatorConfig;
import dev.lookout.exposition.ParseIssue;
import dev.lookout.kind.ReconcileResult;
import dev.lookout.kind.Reconciler;
import dev.lookout.platform.Endpoint;
import dev.lookout.platform.Workload;
import dev.lookout.platform.WorkloadState;
import dev.lookout.platform.Workloads;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;

/**
 * GpuNode: dcgm-exporter runs on the node with the GPUs requested, and Ready means its metrics flow: the status
 * lists the GPUs read back from the exporter's own {@code /metrics}, at the endpoint the platform reports (the same
 * address Prometheus scrapes, or the one Lookout can reach where they differ). A platform that cannot give GPUs says
 * so once ({@code NoGpuRuntime}) and is looked at again when it changes, not in a loop.
 */
public final class GpuNodeReconciler implements Reconciler<GpuNode> {
    /** How often a working exporter is read again (GPUs can fall off the bus; MIG can be reconfigured). */
    static final Duration RECHECK = Duration.ofMinutes(1);
    /** How soon an exporter that does not answer yet is asked again (it takes seconds to start DCGM). */
    static final Duration STARTING = Duration.ofSeconds(5);

    private final Workloads workloads;
    private final OperatorConfig config;
    private final Function<String, ExporterMetrics.Reading> metrics;

    /** @param metrics reads an exporter's {@code /metrics} at {@code host:port} ({@link ExporterMetrics#read}) */
    public GpuNodeReconciler(Workloads workloads, OperatorConfig config, Function<String, ExporterMetrics.Reading> metrics) {
        this.workloads = workloads;
        this.config = config;
        this.metrics = metrics;
    }

    @Override
    public ReconcileResult reconcile(GpuNode node, ObjectKey key) {
        Workload desired = DcgmExporterWorkload.of(node, key, config);
        GpuNodeStatus status = new GpuNodeStatus();
        status.setImage(desired.image());
        WorkloadState state = workloads.apply(key, node.getSpec().host(), desired);
        if (state instanceof WorkloadState.Planned) {
            return ReconcileResult.status(status); // a dry run: nothing runs to read back
        }
        if (state instanceof WorkloadState.Blocked blocked) {
            status.setRuntimes(blocked.facts().getOrDefault("runtimes", List.of()));
            return ReconcileResult.status(status).blocked(blocked.reason(), blocked.message()).requeueAfter(blocked.lookAgain());
        }
        if (state instanceof WorkloadState.Starting starting) {
            status.setContainer(new GpuNodeStatus.ContainerStatus(starting.name(), starting.id(), starting.state()));
            return ReconcileResult.status(status).blocked("ExporterNotRunning", starting.message()).requeueAfter(STARTING);
        }
        WorkloadState.Running running = (WorkloadState.Running) state;
        status.setContainer(new GpuNodeStatus.ContainerStatus(running.name(), running.id(), running.state()));
        Endpoint endpoint = running.endpoints().get(node.getSpec().exporter().port());
        ExporterMetrics.Reading reading = metrics.apply(endpoint.read());
        if (reading instanceof ExporterMetrics.Unreadable unreadable) {
            return ReconcileResult.status(status).blocked("MetricsNotFlowing", "dcgm-exporter in " + running.name() + " on host "
                    + running.host() + ": " + unreadable.reason()).requeueAfter(STARTING);
        }
        ExporterMetrics.Flowing flowing = (ExporterMetrics.Flowing) reading;
        GpuInventory inventory = flowing.inventory();
        status.setGpus(inventory.gpus().stream().map(gpu -> new GpuNodeStatus.GpuStatus(gpu.index(), gpu.uuid(), gpu.model(),
                gpu.memoryMiB(), gpu.mig().isEmpty() ? null : gpu.mig().stream()
                        .map(m -> new GpuNodeStatus.MigStatus(m.instanceId(), m.profile())).toList())).toList());
        status.setHostname(inventory.hostname());
        if (!flowing.refused().isEmpty()) {
            // Lookout's parser skips such lines; Prometheus's fails the whole scrape on the first one.
            return ReconcileResult.status(status).blocked("MetricsRejected", rejectedMessage(running, flowing.refused()))
                    .requeueAfter(RECHECK);
        }
        return ReconcileResult.status(status).requeueAfter(RECHECK);
    }

    /**
     * Names the fields whose lines Prometheus refuses (dcgm-exporter 3.x writes {@code ERROR - FAILED TO CONVERT TO
     * STRING} as the value of a field it cannot read) and the way out: a counters list without them.
     */
    static String rejectedMessage(WorkloadState.Running running, List<ParseIssue> refused) {
        Set<String> fields = new TreeSet<>();
        refused.forEach(issue -> fields.add(issue.excerpt().split("[{ ]", 2)[0]));
        return "dcgm-exporter in " + running.name() + " on host " + running.host() + " serves " + refused.size()
                + " line(s) that Prometheus refuses, so every scrape of it fails (up == 0); first " + refused.get(0)
                + ". Fields: " + String.join(", ", fields) + ". List the fields to collect in spec.exporter.counters, "
                + "without these (Lookout adds the ones its alerts read)";
    }

    @Override
    public void cleanup(ObjectKey key) {
        workloads.remove(key);
    }
}
