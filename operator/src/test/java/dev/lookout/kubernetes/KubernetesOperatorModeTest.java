package dev.lookout.kubernetes;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.lookout.config.OperatorConfig;
import dev.lookout.probe.ComfyProbe;
import dev.lookout.testing.Cleanup;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.openshift.api.model.monitoring.v1.Probe;
import io.fabric8.openshift.api.model.monitoring.v1.PrometheusRule;
import io.fabric8.openshift.api.model.monitoring.v1alpha1.ScrapeConfig;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code lookout run --kubernetes} with {@code prometheus.mode: operator}, on fabric8's mock API server in CRUD mode:
 * a ComfyProbe created, edited and deleted through the API becomes, changes and loses its Probe and PrometheusRule
 * (owner reference to the resource as the API server stored it), blackbox's module reaches the ConfigMap, and the
 * resource's status says what was done: objects applied, not a Prometheus reload; a GpuNode placed in the cluster and
 * a probe's discovered pods become ScrapeConfigs. No prometheus-operator runs here,
 * so nothing proves what it makes of the objects (MonitoringObjectsTest and PrometheusRuleAlertsTest pin that part).
 */
class KubernetesOperatorModeTest {
    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final ObjectMapper JSON = new ObjectMapper();

    private static String probe(String interval) {
        return """
                apiVersion: lookout.dev/v1alpha1
                kind: ComfyProbe
                metadata: {name: comfy, namespace: ml}
                spec:
                  targets: [{url: "http://comfy.ml.svc:8188/", labels: {model: flux}}]
                  interval: %s
                  timeout: 1s
                """.formatted(interval);
    }

    @Test
    void aComfyProbesProbeAndRuleFollowTheResource(@TempDir Path tmp) throws Exception {
        MockCluster cluster = MockCluster.start(tmp);
        KubernetesClient client = cluster.client;
        KubernetesOperator lookout = null;
        try {
            OperatorConfig config = operatorMode(cluster);
            create(client, ComfyProbe.class, probe("15s"));
            String uid = client.resources(ComfyProbe.class).inNamespace("ml").withName("comfy").get().getMetadata().getUid();
            lookout = cluster.lookout(true, "state", null, Set.of(), config);
            int port = lookout.httpPort();

            await("the Probe").atMost(WAIT).untilAsserted(() -> {
                Probe probe = client.resources(Probe.class).inNamespace("ml").withName("lookout-comfyprobe-comfy").get();
                assertThat(probe).isNotNull();
                assertThat(probe.getSpec().getInterval()).isEqualTo("15s");
                assertThat(probe.getSpec().getJobName()).isEqualTo("lookout/comfyprobe/ml/comfy");
                assertThat(probe.getSpec().getTargets().getStaticConfig().getStatic()).containsExactly("http://comfy.ml.svc:8188/");
                assertThat(probe.getMetadata().getLabels()).containsEntry("release", "kps");
                assertThat(probe.getMetadata().getOwnerReferences()).singleElement()
                        .satisfies(r -> assertThat(r.getUid()).isEqualTo(uid));
            });
            await("the PrometheusRule, written after the Probe").atMost(WAIT).untilAsserted(() -> {
                PrometheusRule rule = client.resources(PrometheusRule.class).inNamespace("ml").withName("lookout-comfyprobe-comfy").get();
                assertThat(rule).isNotNull();
                assertThat(rule.getSpec().getGroups().get(0).getRules()).extracting(r -> r.getAlert()).containsExactly("ComfyUIDown");
            });
            ConfigMap blackbox = client.configMaps().inNamespace("monitoring").withName("lookout-blackbox").get();
            assertThat(blackbox).as("written before the Probe that names its module").isNotNull();
            assertThat(blackbox.getData().get("blackbox.yml")).contains("lookout/ml/comfy:");
            await("Ready, saying what was done").atMost(WAIT).untilAsserted(() -> {
                JsonNode ready = ready(port);
                assertThat(ready.path("reason").asText()).isEqualTo("Applied");
                assertThat(ready.path("message").asText()).contains("prometheus-operator's objects are applied");
            });
            assertThat(Files.exists(cluster.folders.out().resolve("prometheus/rules/comfyprobe.ml.comfy.yml")))
                    .as("the files are rendered too (checks, status page)").isTrue();
            assertThat(client.resources(ScrapeConfig.class).inAnyNamespace().list().getItems()).as("static targets only").isEmpty();

            ComfyProbe edited = client.getKubernetesSerialization().unmarshal(probe("45s"), ComfyProbe.class);
            client.resources(ComfyProbe.class).inNamespace("ml").withName("comfy").edit(p -> {
                p.setSpec(edited.getSpec());
                return p;
            });
            await("the edit").atMost(WAIT).until(() -> "45s".equals(client.resources(Probe.class).inNamespace("ml")
                    .withName("lookout-comfyprobe-comfy").get().getSpec().getInterval()));

            client.resources(ComfyProbe.class).inNamespace("ml").withName("comfy").delete();
            await("removed with the resource").atMost(WAIT).untilAsserted(() -> {
                assertThat(client.resources(Probe.class).inNamespace("ml").withName("lookout-comfyprobe-comfy").get()).isNull();
                assertThat(client.resources(PrometheusRule.class).inNamespace("ml").withName("lookout-comfyprobe-comfy").get()).isNull();
                assertThat(client.configMaps().inNamespace("monitoring").withName("lookout-blackbox").get().getData().get("blackbox.yml"))
                        .doesNotContain("lookout/ml/comfy");
            });
        } finally {
            Cleanup.quietly(lookout, cluster);
        }
    }

    @Test
    void aGpuNodeInTheClusterAndItsDiscoveredPodsBecomeScrapeConfigs(@TempDir Path tmp) throws Exception {
        MockCluster cluster = MockCluster.start(tmp);
        KubernetesClient client = cluster.client;
        KubernetesOperator lookout = null;
        try {
            cluster.gpuNode("gpu-node-01");
            cluster.readyComfyPod("ml", "comfyui-1", "10.1.0.7", 0);
            create(client, dev.lookout.gpu.GpuNode.class, """
                    apiVersion: lookout.dev/v1alpha1
                    kind: GpuNode
                    metadata: {name: a100, namespace: ml}
                    spec: {host: gpu-node-01, gpus: all, exporter: {image: "registry.example/dcgm-exporter:4.2.3"}}
                    """);
            create(client, ComfyProbe.class, """
                    apiVersion: lookout.dev/v1alpha1
                    kind: ComfyProbe
                    metadata: {name: pods, namespace: ml}
                    spec:
                      discover:
                        kubernetes: {labelSelector: {app: comfyui}, port: 8188}
                      interval: 15s
                      timeout: 1s
                    """);
            lookout = cluster.lookout(false, "state", null, Set.of(), operatorMode(cluster));

            await("the GpuNode's ScrapeConfig: DNS discovery on its exporters' headless Service").atMost(WAIT).untilAsserted(() -> {
                ScrapeConfig gpu = client.resources(ScrapeConfig.class).inNamespace("ml").withName("lookout-gpunode-a100").get();
                assertThat(gpu).isNotNull();
                assertThat(gpu.getSpec().getJobName()).isEqualTo("lookout/gpunode/ml/a100");
                assertThat(gpu.getSpec().getDnsSDConfigs()).singleElement().satisfies(d -> {
                    assertThat(d.getNames()).containsExactly("lookout-dcgm-exporter-ml-a100.ml.svc");
                    assertThat(d.getPort()).isEqualTo(9400);
                });
                assertThat(gpu.getMetadata().getOwnerReferences()).singleElement().satisfies(r -> assertThat(r.getKind()).isEqualTo("GpuNode"));
                assertThat(client.resources(PrometheusRule.class).inNamespace("ml").withName("lookout-gpunode-a100").get()).isNotNull();
            });
            await("the discovered pod, a static target through blackbox").atMost(WAIT).untilAsserted(() -> {
                ScrapeConfig pods = client.resources(ScrapeConfig.class).inNamespace("ml").withName("lookout-comfyprobe-pods").get();
                assertThat(pods).isNotNull();
                assertThat(pods.getSpec().getStaticConfigs()).singleElement().satisfies(c -> {
                    assertThat(c.getTargets()).singleElement().satisfies(t -> assertThat(t).contains("10.1.0.7:8188"));
                    assertThat(c.getLabels()).containsEntry("namespace", "ml").containsEntry("pod", "comfyui-1");
                });
                assertThat(pods.getSpec().getParams()).containsEntry("module", java.util.List.of("lookout/ml/pods"));
            });
        } finally {
            Cleanup.quietly(lookout, cluster);
        }
    }

    private static <R extends io.fabric8.kubernetes.client.CustomResource<?, ?>> void create(KubernetesClient client, Class<R> type,
                                                                                           String yaml) {
        client.resources(type).inNamespace("ml").resource(client.getKubernetesSerialization().unmarshal(yaml, type)).create();
    }

    /** The test's folders and servers, in prometheus.mode: operator, blackbox in the monitoring namespace. */
    private static OperatorConfig operatorMode(MockCluster cluster) {
        OperatorConfig files = cluster.folders.config(cluster.prometheus, cluster.blackbox);
        return new OperatorConfig(files.docker(), new OperatorConfig.Prometheus(files.prometheus().url(),
                files.prometheus().outputDir(), OperatorConfig.Mode.OPERATOR, null, null, null,
                new OperatorConfig.PrometheusOperator(Map.of("release", "kps"), "monitoring", null, null)),
                new OperatorConfig.Blackbox(null, "lookout-blackbox.monitoring.svc:9115", "/etc/blackbox/config/blackbox.yml",
                        "/etc/blackbox/secrets"), files.lookout(), files.images());
    }

    private static JsonNode ready(int port) throws Exception {
        HttpResponse<String> response = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + port + "/api/v1/resources")).build(), HttpResponse.BodyHandlers.ofString());
        for (JsonNode item : JSON.readTree(response.body()).path("items")) {
            for (JsonNode condition : item.path("status").path("conditions")) {
                if (condition.path("type").asText().equals("Ready")) {
                    return condition;
                }
            }
        }
        return JSON.missingNode();
    }
}
