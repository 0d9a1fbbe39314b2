package dev.lookout.kubernetes.platform;

import dev.lookout.api.ObjectKey;
import dev.lookout.platform.Workload;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.fabric8.kubernetes.api.model.ServicePort;
import io.fabric8.kubernetes.api.model.ServicePortBuilder;
import io.fabric8.kubernetes.api.model.apps.DaemonSetBuilder;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.fabric8.kubernetes.api.model.IntOrString;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What should exist in the cluster for one workload, computed and nothing else (Strimzi's {@code generate*()}):
 * a GPU workload is a DaemonSet pinned to its host with a headless Service (one address per node's pod); any other a
 * single-replica Deployment with a ClusterIP Service; either with the ConfigMap and Secret of its files.
 *
 * @param objects   in the order they are written: the files before the pods that mount them, the Service last
 * @param workload  the DaemonSet or Deployment, whose status says whether it runs
 * @param service   its name, which is also the DNS name its endpoints are reached by
 * @param ownerless true when no owner reference was known (so Kubernetes will not collect them by itself)
 */
record DesiredObjects(List<HasMetadata> objects, HasMetadata workload, String service, boolean ownerless) {
    DesiredObjects {
        objects = List.copyOf(objects);
    }

    static DesiredObjects of(ObjectKey owner, String host, Workload w, Optional<OwnerReference> reference) {
        String name = ObjectNames.of(w.name());
        Map<String, String> labels = OwnerLabels.of(owner, name, w.labels());
        Map<String, String> selector = OwnerLabels.selector(owner, name);
        WorkloadFiles files = new WorkloadFiles(w);
        List<HasMetadata> objects = new ArrayList<>();
        files.configMap(meta(owner, WorkloadFiles.configMapName(name), labels, reference)).ifPresent(objects::add);
        files.secret(meta(owner, WorkloadFiles.secretName(name), labels, reference)).ifPresent(objects::add);
        PodTemplateSpec pod = PodTemplates.of(name, labels, w, files, host);
        boolean gpu = w.gpus() != null;
        HasMetadata workload = gpu
                ? new DaemonSetBuilder().withMetadata(meta(owner, name, labels, reference)).withNewSpec()
                        .withNewSelector().withMatchLabels(selector).endSelector().withTemplate(pod).endSpec().build()
                // One replica that a new one replaces only once it is ready: a file nginx rejects leaves the old pod
                // serving, as Docker's check before a reload does.
                : new DeploymentBuilder().withMetadata(meta(owner, name, labels, reference)).withNewSpec().withReplicas(1)
                        .withNewSelector().withMatchLabels(selector).endSelector()
                        .withNewStrategy().withType("RollingUpdate").withNewRollingUpdate()
                        .withMaxSurge(new IntOrString(1)).withMaxUnavailable(new IntOrString(0)).endRollingUpdate().endStrategy()
                        .withTemplate(pod).endSpec().build();
        objects.add(workload);
        objects.add(service(owner, name, labels, selector, w.ports(), gpu, reference));
        return new DesiredObjects(objects, workload, name, reference.isEmpty());
    }

    /**
     * Headless for a DaemonSet: its name resolves to every node's pod (Prometheus' DNS discovery finds each), where a
     * virtual IP would hand each scrape to a random node's exporter.
     */
    private static Service service(ObjectKey owner, String name, Map<String, String> labels, Map<String, String> selector,
                                   List<Integer> ports, boolean headless, Optional<OwnerReference> reference) {
        List<ServicePort> servicePorts = ports.stream().map(p -> new ServicePortBuilder().withName(PodTemplates.portName(p))
                .withPort(p).withTargetPort(new IntOrString(p)).withProtocol("TCP").build()).toList();
        return new ServiceBuilder().withMetadata(meta(owner, name, labels, reference)).withNewSpec()
                .withType("ClusterIP").withClusterIP(headless ? "None" : null).withSelector(selector).withPorts(servicePorts)
                .endSpec().build();
    }

    private static ObjectMeta meta(ObjectKey owner, String name, Map<String, String> labels, Optional<OwnerReference> reference) {
        return new ObjectMetaBuilder().withName(name).withNamespace(owner.namespace()).withLabels(labels)
                .withOwnerReferences(reference.map(List::of).orElse(null)).build();
    }
}
