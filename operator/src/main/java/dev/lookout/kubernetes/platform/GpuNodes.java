package dev.lookout.kubernetes.platform;

import dev.lookout.platform.WorkloadState;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.net.HttpURLConnection;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * Whether a GPU workload's DaemonSet would run anywhere: a node that matches its affinity, and on it the
 * {@code nvidia.com/gpu} capacity that NVIDIA's device plugin reports once the driver and runtime work. Without
 * either, a DaemonSet schedules no pod and says nothing about why; this says it, as a condition.
 */
final class GpuNodes {
    /**
     * A node that joins, or a device plugin that starts, brings no event for the owner: looked at again after this,
     * which is a safety net and no loop.
     */
    static final Duration RECHECK = Duration.ofMinutes(10);

    private final KubernetesClient client;

    GpuNodes(KubernetesClient client) {
        this.client = client;
    }

    /** Blocked when no node matches {@code host} or none that does has GPU capacity; empty when it may run. */
    Optional<WorkloadState.Blocked> check(String host) {
        boolean everyGpuNode = "*".equals(host);
        List<Node> matching;
        try {
            matching = client.nodes().withLabel(everyGpuNode ? PodTemplates.GPU_PRESENT : PodTemplates.HOSTNAME,
                    everyGpuNode ? "true" : host).list().getItems();
        } catch (KubernetesClientException e) {
            if (e.getCode() == HttpURLConnection.HTTP_FORBIDDEN) {
                return Optional.empty(); // no RBAC to list nodes: the DaemonSet's own status is all there is to go by
            }
            throw e;
        }
        SortedMap<String, List<String>> facts = new TreeMap<>();
        if (matching.isEmpty()) {
            String wanted = everyGpuNode ? PodTemplates.GPU_PRESENT + "=true" : PodTemplates.HOSTNAME + "=" + host;
            return Optional.of(new WorkloadState.Blocked("NoMatchingNode", "no node has the label " + wanted
                    + (everyGpuNode ? " (NVIDIA's GPU feature discovery sets it on nodes with a GPU)" : "")
                    + "; the DaemonSet would run nowhere", RECHECK, facts));
        }
        List<String> names = matching.stream().map(n -> n.getMetadata().getName()).sorted().toList();
        facts.put("nodes", names);
        if (matching.stream().noneMatch(GpuNodes::hasGpus)) {
            return Optional.of(new WorkloadState.Blocked("NoGpuCapacity", "node(s) " + String.join(", ", names)
                    + " report no " + PodTemplates.GPU_RESOURCE + " capacity: NVIDIA's device plugin (the GPU operator) does not "
                    + "run there, or sees no GPU", RECHECK, facts));
        }
        return Optional.empty();
    }

    private static boolean hasGpus(Node node) {
        Quantity gpus = node.getStatus() == null || node.getStatus().getCapacity() == null ? null
                : node.getStatus().getCapacity().get(PodTemplates.GPU_RESOURCE);
        return gpus != null && gpus.getNumericalAmount().signum() > 0;
    }
}
