package dev.lookout.kubernetes;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.lookout.gpu.GpuNode;
import dev.lookout.probe.ComfyProbe;
import dev.lookout.testing.Cleanup;
import dev.lookout.testing.OutputFolders;
import io.fabric8.kubernetes.api.model.apps.DaemonSet;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Kubernetes mode hands the kinds' work to the cluster when {@code spec.host} names no Docker host of lookout.yaml,
 * on fabric8's mock API server in CRUD mode (CRs, Nodes, Pods, DaemonSets in one store): a GpuNode pinned to a node
 * becomes a DaemonSet that the GpuNode owns (owner reference with its uid), which goes when the GpuNode is deleted;
 * a ComfyProbe's {@code discover.kubernetes} probes the ready pods its selector matches.
 *
 * <p>What the mock proves: the routing, the owner references from the informer cache, the objects written and
 * removed, the pods listed, through the client calls a cluster gets. What it cannot: no scheduler or kubelet (the
 * DaemonSet never runs a pod here, so the GpuNode stays Starting; the pods' IPs and readiness are the test's), no
 * garbage collector acting on the owner references, no CRD semantics (KubernetesModeTest has those, on a real server).
 */
class KubernetesPlatformRoutingTest {
    private static final Duration WAIT = Duration.ofSeconds(30);

    @Test
    void aNodeHostGoesToTheClusterAndPodsAreProbed(@TempDir Path tmp) throws Exception {
        MockCluster cluster = MockCluster.start(tmp);
        KubernetesClient client = cluster.client;
        OutputFolders folders = cluster.folders;
        KubernetesOperator lookout = null;
        try {
            cluster.gpuNode("gpu-node-01");
            for (int i = 1; i <= 2; i++) {
                cluster.readyComfyPod("default", "comfyui-" + i, "10.1.0." + i, i);
            }
            client.resources(GpuNode.class).inNamespace("default").resource(client.getKubernetesSerialization().unmarshal("""
                    apiVersion: lookout.dev/v1alpha1
                    kind: GpuNode
                    metadata: {name: gpu-node-01, namespace: default}
                    spec:
                      host: gpu-node-01
                      gpus: all
                      exporter: {image: "registry.example/dcgm-exporter:4.2.3", port: 9400}
                    """, GpuNode.class)).create();
            client.resources(ComfyProbe.class).inNamespace("default").resource(client.getKubernetesSerialization().unmarshal("""
                    apiVersion: lookout.dev/v1alpha1
                    kind: ComfyProbe
                    metadata: {name: pods, namespace: default}
                    spec:
                      discover:
                        kubernetes: {labelSelector: {app: comfyui}, port: 8188}
                      interval: 5s
                      timeout: 1s
                    """, ComfyProbe.class)).create();

            lookout = cluster.lookout(false); // GpuNode: a finalizer

            DaemonSet exporter = await("the GpuNode's DaemonSet").atMost(WAIT).until(() -> client.apps().daemonSets()
                    .inNamespace("default").list().getItems().stream().findFirst().orElse(null), d -> d != null);
            String gpuUid = client.resources(GpuNode.class).inNamespace("default").withName("gpu-node-01").get().getMetadata().getUid();
            assertThat(exporter.getMetadata().getOwnerReferences()).singleElement().satisfies(ref -> {
                assertThat(ref.getKind()).isEqualTo("GpuNode");
                assertThat(ref.getUid()).isEqualTo(gpuUid);
                assertThat(ref.getController()).isTrue();
            });
            assertThat(exporter.getSpec().getTemplate().getSpec().getAffinity().toString()).contains("gpu-node-01");
            // Prometheus finds the exporters where the platform put them: each pod behind the headless Service in the
            // GpuNode's namespace (DNS discovery, one A record per pod).
            String service = exporter.getMetadata().getName();
            // The Service is written after the DaemonSet (the platform writes it last).
            io.fabric8.kubernetes.api.model.Service headless = await("the exporter's Service").atMost(WAIT)
                    .until(() -> client.services().inNamespace("default").withName(service).get(), svc -> svc != null);
            assertThat(headless.getSpec().getClusterIP()).isEqualTo("None");
            Path scrapeFile = folders.out().resolve("prometheus/scrape/gpunode.default.gpu-node-01.yml");
            await("the GpuNode's scrape job").atMost(WAIT).until(() -> Files.exists(scrapeFile));
            assertThat(Files.readString(scrapeFile)).contains("dns_sd_configs").contains(service + ".default.svc").contains("port: 9400");

            // Someone deletes the DaemonSet: the watch on Lookout's workloads requeues its GpuNode, which makes it again
            // at once, well inside the 10 s the platform would otherwise wait before it looked again.
            String firstUid = exporter.getMetadata().getUid();
            client.apps().daemonSets().inNamespace("default").withName(exporter.getMetadata().getName()).delete();
            await("made again at once").atMost(Duration.ofSeconds(5)).until(() -> client.apps().daemonSets().inNamespace("default")
                    .list().getItems().stream().anyMatch(d -> !d.getMetadata().getUid().equals(firstUid)));

            Path targets = folders.out().resolve("prometheus/targets");
            await("the pods are the probe's targets").atMost(WAIT).until(() -> text(targets).contains("10.1.0.1:8188")
                    && text(targets).contains("10.1.0.2:8188"));

            client.resources(GpuNode.class).inNamespace("default").withName("gpu-node-01").delete();
            await("the DaemonSet goes with its GpuNode").atMost(WAIT).until(() -> client.apps().daemonSets().inNamespace("default")
                    .list().getItems().isEmpty());
        } finally {
            Cleanup.quietly(lookout, cluster);
        }
    }

    static String text(Path folder) throws java.io.IOException {
        if (!Files.isDirectory(folder)) {
            return "";
        }
        StringBuilder all = new StringBuilder();
        try (Stream<Path> files = Files.list(folder)) {
            for (Path f : files.filter(Files::isRegularFile).toList()) {
                all.append(Files.readString(f));
            }
        }
        return all.toString();
    }
}
