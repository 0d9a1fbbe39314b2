package dev.lookout.kubernetes.platform;

import dev.lookout.platform.Workload;
import io.fabric8.kubernetes.api.model.Affinity;
import io.fabric8.kubernetes.api.model.AffinityBuilder;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerBuilder;
import io.fabric8.kubernetes.api.model.ContainerPort;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.PodTemplateSpecBuilder;
import io.fabric8.kubernetes.api.model.Toleration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * The pod of a workload: its container, its sidecars as the pod's further containers (which is what a sidecar is on
 * Kubernetes: same network, so they reach it on 127.0.0.1), its files, and for a GPU workload where it may run.
 */
final class PodTemplates {
    /** The label NVIDIA's GPU feature discovery (part of the GPU operator) puts on every node with a GPU. */
    static final String GPU_PRESENT = "nvidia.com/gpu.present";
    static final String HOSTNAME = "kubernetes.io/hostname";
    /** The extended resource of NVIDIA's device plugin, and the taint GPU node pools commonly carry. */
    static final String GPU_RESOURCE = "nvidia.com/gpu";
    /** A host name a pod may take (DNS-1123 label). */
    private static final Pattern DNS_LABEL = Pattern.compile("[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?");

    private PodTemplates() {
    }

    /**
     * @param host the node a GPU workload runs on ({@code "*"}: every node with a GPU); unused otherwise
     */
    static PodTemplateSpec of(String objectName, Map<String, String> labels, Workload w, WorkloadFiles files, String host) {
        List<Container> containers = new ArrayList<>();
        containers.add(main(objectName, w, files));
        for (Workload.Sidecar s : w.sidecars()) {
            // No files and no secrets, as on Docker: a sidecar gets configuration only.
            containers.add(new ContainerBuilder().withName(ObjectNames.limit(ObjectNames.of(s.name()), 63)).withImage(s.image())
                    .withArgs(s.args().isEmpty() ? null : s.args()).withEnv(env(s.env())).build());
        }
        Map<String, String> annotations = new TreeMap<>();
        if (!files.isEmpty()) {
            annotations.put(OwnerLabels.FILES_HASH, files.digest());
        }
        PodTemplateSpecBuilder pod = new PodTemplateSpecBuilder().withNewMetadata().withLabels(labels)
                .withAnnotations(annotations.isEmpty() ? null : annotations).endMetadata()
                .withNewSpec().withContainers(containers).withVolumes(files.volumes(objectName))
                .withHostname(w.hostname() != null && DNS_LABEL.matcher(w.hostname()).matches() ? w.hostname() : null)
                .endSpec();
        if (w.gpus() != null) {
            pod.editSpec().withAffinity(gpuAffinity(host)).withTolerations(gpuToleration()).endSpec();
        }
        return pod.build();
    }

    private static Container main(String objectName, Workload w, WorkloadFiles files) {
        Map<String, String> env = new TreeMap<>(w.env());
        if (w.gpus() != null) {
            // No nvidia.com/gpu limit: the device plugin would hand those GPUs to this pod alone, taking them from the
            // workloads it is meant to watch, and picks them itself. NVIDIA's own dcgm-exporter DaemonSet does the same:
            // the NVIDIA container runtime shows the devices named here (all, or indexes/UUIDs).
            env.put("NVIDIA_VISIBLE_DEVICES", w.gpus().all() ? "all" : String.join(",", w.gpus().deviceIds()));
        }
        List<ContainerPort> ports = w.ports().stream()
                .map(p -> new ContainerPort(p, null, null, portName(p), "TCP")).toList();
        ContainerBuilder c = new ContainerBuilder().withName(ObjectNames.limit(objectName, 63)).withImage(w.image())
                .withArgs(w.args().isEmpty() ? null : w.args()).withEnv(env(env)).withPorts(ports)
                .withVolumeMounts(files.mounts());
        if (!w.capabilities().isEmpty()) {
            c.withNewSecurityContext().withNewCapabilities().withAdd(w.capabilities()).endCapabilities().endSecurityContext();
        }
        return c.build();
    }

    /** {@code tcp-9400}: a port name is at most 15 characters, unique in the pod. */
    static String portName(int port) {
        return "tcp-" + port;
    }

    private static List<EnvVar> env(Map<String, String> env) {
        return env.entrySet().stream().map(e -> new EnvVar(e.getKey(), e.getValue(), null)).toList();
    }

    /** On the named node (its hostname label), or for {@code "*"} on every node that has a GPU. */
    static Affinity gpuAffinity(String host) {
        boolean everyGpuNode = "*".equals(host);
        return new AffinityBuilder().withNewNodeAffinity().withNewRequiredDuringSchedulingIgnoredDuringExecution()
                .addNewNodeSelectorTerm().addNewMatchExpression()
                .withKey(everyGpuNode ? GPU_PRESENT : HOSTNAME).withOperator("In").withValues(everyGpuNode ? "true" : host)
                .endMatchExpression().endNodeSelectorTerm()
                .endRequiredDuringSchedulingIgnoredDuringExecution().endNodeAffinity().build();
    }

    /** GPU nodes are often tainted so that only GPU work lands there; an exporter of their GPUs is GPU work. */
    static Toleration gpuToleration() {
        return new Toleration("NoSchedule", GPU_RESOURCE, "Exists", null, null);
    }
}
