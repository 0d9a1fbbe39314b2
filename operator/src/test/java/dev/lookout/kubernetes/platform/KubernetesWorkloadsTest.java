package dev.lookout.kubernetes.platform;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lookout.api.ObjectKey;
import dev.lookout.platform.Endpoint;
import dev.lookout.platform.Workload;
import dev.lookout.platform.WorkloadState;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.KeyToPath;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.NodeSelectorRequirement;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.OwnerReferenceBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.apps.DaemonSet;
import io.fabric8.kubernetes.api.model.apps.DaemonSetStatusBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentStatusBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.mockwebserver.http.RecordedRequest;
import java.util.ArrayList;
import java.util.concurrent.TimeUnit;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * {@link KubernetesWorkloads} against fabric8's mock API server in CRUD mode.
 *
 * <p>What it proves: the objects Lookout writes (DaemonSet, Deployment, Service, ConfigMap, Secret), their labels,
 * owner references, affinity, tolerations, volumes and annotations, as an API server stores them and hands them back;
 * that an unchanged workload writes nothing (same resourceVersion) and a changed one replaces; that leftovers and a
 * removed owner's objects are deleted by label, and another owner's are not; that Nodes are read to block a GPU
 * workload; and that the state follows the status a controller would report.
 *
 * <p>What it cannot: the mock has no scheduler, no kubelet and no controllers. No pod is ever created, so nothing
 * proves the affinity matches a real node, that the projected volume puts the files at their paths, that a changed
 * files hash rolls the pod, or that a container becomes ready: readiness here is a status the test writes itself.
 * It does no validation or defaulting either (an immutable field changed or a bad name would pass here and fail
 * on a real API server).
 */
@EnableKubernetesMockClient(crud = true)
class KubernetesWorkloadsTest {
    private static final ObjectKey GPU_OWNER = new ObjectKey("GpuNode", "lab", "gpu-node-01");
    private static final ObjectKey NGINX_OWNER = new ObjectKey("NginxVtsTarget", "web", "front");

    KubernetesClient client;
    KubernetesMockServer server;

    private KubernetesWorkloads workloads() {
        return new KubernetesWorkloads(client, OwnerReferences.NONE);
    }

    private void node(String name, Map<String, String> labels, String gpus) {
        client.nodes().resource(new NodeBuilder().withNewMetadata().withName(name).withLabels(labels).endMetadata()
                .withNewStatus().withCapacity(gpus == null ? Map.of() : Map.of("nvidia.com/gpu", new Quantity(gpus)))
                .endStatus().build()).create();
    }

    private static Workload dcgm(Workload.GpuRequest gpus) {
        return new Workload("lookout-dcgm-exporter-lab_gpu-node-01", "nvcr.io/nvidia/k8s/dcgm-exporter:4.2.3", List.of(),
                Map.of("DCGM_EXPORTER_LISTEN", ":9400"), Map.of("team", "ml"), "gpu-node-01", List.of(9400), gpus,
                List.of("SYS_ADMIN"), List.of(file("/etc/dcgm-exporter/lookout-counters.csv", "DCGM_FI_DEV_GPU_TEMP, gauge, t.\n", 0644)));
    }

    private static Workload nginx(String conf) {
        List<Workload.WorkloadFile> files = List.of(file("/etc/nginx/lookout/nginx.conf", conf, 0644),
                file("/etc/nginx/lookout/htpasswd", "scraper:$6$salt$hash\n", 0644),
                file("/etc/nginx/lookout/tls/tls.crt", "-----BEGIN CERTIFICATE-----\n", 0644),
                file("/etc/nginx/lookout/tls/tls.key", "-----BEGIN PRIVATE KEY-----\n", 0600));
        return new Workload("lookout-nginx-web_front", "registry.local/nginx-vts:1.27", List.of("nginx", "-g", "daemon off;"),
                Map.of(), Map.of(), null, List.of(8080, 9913), null, List.of(), List.of(), null, List.of(),
                new Workload.LiveConfig(files, List.of("nginx", "-t"), List.of("nginx", "-s", "reload")),
                List.of(new Workload.Sidecar("lookout-nginx-vts-exporter-web_front", "sophos/nginx-vts-exporter:v0.10.7",
                        List.of(), Map.of("METRICS_ADDR", ":9913"))));
    }

    private static Workload.WorkloadFile file(String path, String content, int mode) {
        return new Workload.WorkloadFile(path, content.getBytes(StandardCharsets.UTF_8), mode);
    }

    private DaemonSet daemonSet() {
        return client.apps().daemonSets().inNamespace("lab").withName("lookout-dcgm-exporter-lab-gpu-node-01").get();
    }

    private Deployment deployment() {
        return client.apps().deployments().inNamespace("web").withName("lookout-nginx-web-front").get();
    }

    @Test
    void gpuWorkloadIsADaemonSetPinnedToItsHostWithAHeadlessService() {
        node("gpu-node-01", Map.of("kubernetes.io/hostname", "gpu-node-01"), "2");

        WorkloadState state = workloads().apply(GPU_OWNER, "gpu-node-01", dcgm(new Workload.GpuRequest(true, List.of())));

        assertThat(state).isInstanceOf(WorkloadState.Starting.class);
        DaemonSet ds = daemonSet();
        assertThat(ds.getMetadata().getLabels()).containsEntry("app.kubernetes.io/managed-by", "lookout")
                .containsEntry("lookout.dev/owner", "gpunode.lab.gpu-node-01").containsEntry("team", "ml");
        assertThat(ds.getMetadata().getAnnotations()).containsKey("lookout.dev/spec-hash");
        NodeSelectorRequirement pinned = ds.getSpec().getTemplate().getSpec().getAffinity().getNodeAffinity()
                .getRequiredDuringSchedulingIgnoredDuringExecution().getNodeSelectorTerms().get(0).getMatchExpressions().get(0);
        assertThat(pinned.getKey()).isEqualTo("kubernetes.io/hostname");
        assertThat(pinned.getValues()).containsExactly("gpu-node-01");
        assertThat(ds.getSpec().getTemplate().getSpec().getTolerations())
                .anySatisfy(t -> assertThat(t.getKey()).isEqualTo("nvidia.com/gpu"));
        Container exporter = ds.getSpec().getTemplate().getSpec().getContainers().get(0);
        assertThat(exporter.getEnv()).anySatisfy(e -> {
            assertThat(e.getName()).isEqualTo("NVIDIA_VISIBLE_DEVICES");
            assertThat(e.getValue()).isEqualTo("all");
        });
        assertThat(exporter.getResources() == null || exporter.getResources().getLimits() == null
                || !exporter.getResources().getLimits().containsKey("nvidia.com/gpu")).isTrue();
        assertThat(exporter.getSecurityContext().getCapabilities().getAdd()).containsExactly("SYS_ADMIN");
        assertThat(exporter.getVolumeMounts()).singleElement().satisfies(m -> assertThat(m.getMountPath()).isEqualTo("/etc/dcgm-exporter"));
        assertThat(ds.getSpec().getTemplate().getSpec().getHostname()).isEqualTo("gpu-node-01");
        Service service = client.services().inNamespace("lab").withName("lookout-dcgm-exporter-lab-gpu-node-01").get();
        assertThat(service.getSpec().getClusterIP()).isEqualTo("None");
        assertThat(service.getSpec().getSelector()).isEqualTo(ds.getSpec().getSelector().getMatchLabels());
        assertThat(service.getSpec().getPorts()).singleElement().satisfies(p -> assertThat(p.getPort()).isEqualTo(9400));
    }

    @Test
    void chosenGpusAreTheVisibleDevicesOnEveryGpuNode() {
        node("a", Map.of("nvidia.com/gpu.present", "true"), "8");

        workloads().apply(GPU_OWNER, "*", dcgm(new Workload.GpuRequest(false, List.of("0", "3"))));

        DaemonSet ds = daemonSet();
        NodeSelectorRequirement pinned = ds.getSpec().getTemplate().getSpec().getAffinity().getNodeAffinity()
                .getRequiredDuringSchedulingIgnoredDuringExecution().getNodeSelectorTerms().get(0).getMatchExpressions().get(0);
        assertThat(pinned.getKey()).isEqualTo("nvidia.com/gpu.present");
        assertThat(pinned.getValues()).containsExactly("true");
        assertThat(ds.getSpec().getTemplate().getSpec().getContainers().get(0).getEnv())
                .anySatisfy(e -> assertThat(e.getValue()).isEqualTo("0,3"));
    }

    @Test
    void noNodeWithThatHostnameIsBlockedAndWritesNothing() {
        node("cpu-node", Map.of("kubernetes.io/hostname", "cpu-node"), null);

        WorkloadState state = workloads().apply(GPU_OWNER, "gpu-node-01", dcgm(new Workload.GpuRequest(true, List.of())));

        assertThat(state).isInstanceOfSatisfying(WorkloadState.Blocked.class, b -> {
            assertThat(b.reason()).isEqualTo("NoMatchingNode");
            assertThat(b.message()).contains("kubernetes.io/hostname=gpu-node-01");
            assertThat(b.lookAgain()).isEqualTo(GpuNodes.RECHECK);
        });
        assertThat(daemonSet()).isNull();
    }

    @Test
    void matchingNodeWithoutGpuCapacityIsBlocked() {
        node("gpu-node-01", Map.of("kubernetes.io/hostname", "gpu-node-01"), null);

        WorkloadState state = workloads().apply(GPU_OWNER, "gpu-node-01", dcgm(new Workload.GpuRequest(true, List.of())));

        assertThat(state).isInstanceOfSatisfying(WorkloadState.Blocked.class, b -> {
            assertThat(b.reason()).isEqualTo("NoGpuCapacity");
            assertThat(b.facts()).containsEntry("nodes", List.of("gpu-node-01"));
        });
    }

    @Test
    void otherWorkloadIsADeploymentWithItsFilesInAConfigMapAndSecretsInASecret() {
        WorkloadState state = workloads().apply(NGINX_OWNER, "ignored", nginx("events {}\n"));

        assertThat(state).isInstanceOf(WorkloadState.Starting.class);
        Deployment d = deployment();
        assertThat(d.getSpec().getReplicas()).isEqualTo(1);
        assertThat(d.getSpec().getStrategy().getRollingUpdate().getMaxUnavailable().getIntVal()).isZero();
        assertThat(d.getSpec().getTemplate().getMetadata().getAnnotations()).containsKey("lookout.dev/files-hash");
        List<Container> containers = d.getSpec().getTemplate().getSpec().getContainers();
        assertThat(containers).extracting(Container::getName)
                .containsExactly("lookout-nginx-web-front", "lookout-nginx-vts-exporter-web-front");
        assertThat(containers.get(0).getArgs()).containsExactly("nginx", "-g", "daemon off;");
        assertThat(containers.get(0).getVolumeMounts()).singleElement().satisfies(m -> {
            assertThat(m.getMountPath()).isEqualTo("/etc/nginx/lookout");
            assertThat(m.getSubPath()).isNull();
        });
        assertThat(containers.get(1).getVolumeMounts()).isEmpty();
        Volume files = d.getSpec().getTemplate().getSpec().getVolumes().get(0);
        List<KeyToPath> plain = files.getProjected().getSources().get(0).getConfigMap().getItems();
        List<KeyToPath> secret = files.getProjected().getSources().get(1).getSecret().getItems();
        assertThat(plain).extracting(KeyToPath::getPath).containsExactly("nginx.conf", "tls/tls.crt");
        assertThat(secret).extracting(KeyToPath::getPath).containsExactly("htpasswd", "tls/tls.key");
        assertThat(secret).extracting(KeyToPath::getMode).containsExactly(0644, 0600);

        ConfigMap configMap = client.configMaps().inNamespace("web").withName("lookout-nginx-web-front-files").get();
        assertThat(configMap.getData()).containsOnlyKeys("etc_nginx_lookout_nginx.conf", "etc_nginx_lookout_tls_tls.crt")
                .containsEntry("etc_nginx_lookout_nginx.conf", "events {}\n");
        Secret secretFiles = client.secrets().inNamespace("web").withName("lookout-nginx-web-front-secret").get();
        assertThat(new String(Base64.getDecoder().decode(secretFiles.getData().get("etc_nginx_lookout_tls_tls.key")), StandardCharsets.UTF_8))
                .isEqualTo("-----BEGIN PRIVATE KEY-----\n");
        assertThat(secretFiles.getData()).containsOnlyKeys("etc_nginx_lookout_htpasswd", "etc_nginx_lookout_tls_tls.key");
        Service service = client.services().inNamespace("web").withName("lookout-nginx-web-front").get();
        assertThat(service.getSpec().getType()).isEqualTo("ClusterIP");
        assertThat(service.getSpec().getClusterIP()).isNotEqualTo("None");
        assertThat(service.getSpec().getPorts()).extracting(p -> p.getPort()).containsExactly(8080, 9913);
    }

    @Test
    void everyObjectCarriesTheOwnerReferenceWhenTheControllerKnowsIt() {
        OwnerReference reference = new OwnerReferenceBuilder().withApiVersion("lookout.dev/v1alpha1").withKind("NginxVtsTarget")
                .withName("front").withUid("uid-1").withController(true).withBlockOwnerDeletion(true).build();
        KubernetesWorkloads withOwner = new KubernetesWorkloads(client, owner -> owner.equals(NGINX_OWNER) ? Optional.of(reference) : Optional.empty());

        WorkloadState state = withOwner.apply(NGINX_OWNER, "ignored", nginx("events {}\n"));

        assertThat(deployment().getMetadata().getOwnerReferences()).containsExactly(reference);
        assertThat(client.services().inNamespace("web").withName("lookout-nginx-web-front").get().getMetadata().getOwnerReferences())
                .containsExactly(reference);
        assertThat(client.secrets().inNamespace("web").withName("lookout-nginx-web-front-secret").get().getMetadata().getOwnerReferences())
                .containsExactly(reference);
        assertThat(((WorkloadState.Starting) state).message()).doesNotContain("owner reference");
    }

    @Test
    void withoutAKnownOwnerTheObjectsAreMadeAnywayAndTheStateSaysSo() {
        WorkloadState state = workloads().apply(NGINX_OWNER, "ignored", nginx("events {}\n"));

        assertThat(deployment().getMetadata().getOwnerReferences()).isEmpty();
        assertThat(((WorkloadState.Starting) state).message()).contains("without an owner reference");
    }

    /** The requests the server received during {@code action} other than reads, as {@code METHOD path}. */
    private List<String> writesDuring(Runnable action) throws InterruptedException {
        while (server.takeRequest(10, TimeUnit.MILLISECONDS) != null) {
            // what came before is not the action's
        }
        action.run();
        List<String> writes = new ArrayList<>();
        for (RecordedRequest r = server.takeRequest(10, TimeUnit.MILLISECONDS); r != null; r = server.takeRequest(10, TimeUnit.MILLISECONDS)) {
            if (!r.getMethod().equals("GET")) {
                writes.add(r.getMethod() + " " + r.getPath());
            }
        }
        return writes;
    }

    @Test
    void anUnchangedWorkloadWritesNothing() throws InterruptedException {
        workloads().apply(NGINX_OWNER, "ignored", nginx("events {}\n"));

        // Counted at the server: its resourceVersion would not show a write of identical content (nor would a real one's).
        assertThat(writesDuring(() -> workloads().apply(NGINX_OWNER, "ignored", nginx("events {}\n")))).isEmpty();
    }

    @Test
    void aChangedFileReplacesOnlyWhatChanged() throws InterruptedException {
        workloads().apply(NGINX_OWNER, "ignored", nginx("events {}\n"));

        assertThat(writesDuring(() -> workloads().apply(NGINX_OWNER, "ignored", nginx("events { worker_connections 512; }\n"))))
                .containsExactly("PUT /api/v1/namespaces/web/configmaps/lookout-nginx-web-front-files",
                        "PUT /apis/apps/v1/namespaces/web/deployments/lookout-nginx-web-front");
    }

    @Test
    void aChangedLiveFileReplacesTheConfigMapAndChangesThePodTemplateSoThePodRolls() {
        workloads().apply(NGINX_OWNER, "ignored", nginx("events {}\n"));
        String filesHash = deployment().getSpec().getTemplate().getMetadata().getAnnotations().get("lookout.dev/files-hash");
        String deploymentVersion = deployment().getMetadata().getResourceVersion();

        workloads().apply(NGINX_OWNER, "ignored", nginx("events { worker_connections 512; }\n"));

        assertThat(client.configMaps().inNamespace("web").withName("lookout-nginx-web-front-files").get().getData())
                .containsEntry("etc_nginx_lookout_nginx.conf", "events { worker_connections 512; }\n");
        assertThat(deployment().getSpec().getTemplate().getMetadata().getAnnotations().get("lookout.dev/files-hash"))
                .isNotEqualTo(filesHash);
        assertThat(deployment().getMetadata().getResourceVersion()).isNotEqualTo(deploymentVersion);
    }

    @Test
    void aWorkloadThatNoLongerHasSecretFilesLosesItsSecret() {
        workloads().apply(NGINX_OWNER, "ignored", nginx("events {}\n"));
        Workload withoutSecrets = new Workload("lookout-nginx-web_front", "registry.local/nginx-vts:1.27", List.of(), Map.of(),
                Map.of(), null, List.of(8080), null, List.of(), List.of(file("/etc/nginx/lookout/nginx.conf", "events {}\n", 0644)));

        workloads().apply(NGINX_OWNER, "ignored", withoutSecrets);

        assertThat(client.secrets().inNamespace("web").withName("lookout-nginx-web-front-secret").get()).isNull();
        assertThat(client.configMaps().inNamespace("web").withName("lookout-nginx-web-front-files").get()).isNotNull();
    }

    @Test
    void removeDeletesEverythingOfThatOwnerAndNothingOfAnother() {
        ObjectKey other = new ObjectKey("NginxVtsTarget", "web", "back");
        workloads().apply(NGINX_OWNER, "ignored", nginx("events {}\n"));
        workloads().apply(other, "ignored", new Workload("lookout-nginx-web_back", "nginx:1.27", List.of(), Map.of(), Map.of(),
                null, List.of(8080), null, List.of(), List.of(file("/etc/nginx/lookout/nginx.conf", "events {}\n", 0644))));

        workloads().remove(NGINX_OWNER);

        assertThat(deployment()).isNull();
        assertThat(client.services().inNamespace("web").withName("lookout-nginx-web-front").get()).isNull();
        assertThat(client.configMaps().inNamespace("web").withName("lookout-nginx-web-front-files").get()).isNull();
        assertThat(client.secrets().inNamespace("web").withName("lookout-nginx-web-front-secret").get()).isNull();
        assertThat(client.apps().deployments().inNamespace("web").withName("lookout-nginx-web-back").get()).isNotNull();
        assertThat(client.configMaps().inNamespace("web").withName("lookout-nginx-web-back-files").get()).isNotNull();
    }

    @Test
    void aReadyDeploymentIsRunningAtItsServiceName() {
        workloads().apply(NGINX_OWNER, "ignored", nginx("events {}\n"));
        Deployment d = deployment();
        d.setStatus(new DeploymentStatusBuilder().withObservedGeneration(d.getMetadata().getGeneration())
                .withReplicas(1).withUpdatedReplicas(1).withReadyReplicas(1).withAvailableReplicas(1).build());
        client.resource(d).updateStatus();

        WorkloadState state = workloads().apply(NGINX_OWNER, "ignored", nginx("events {}\n"));

        assertThat(state).isInstanceOfSatisfying(WorkloadState.Running.class, r -> {
            assertThat(r.endpoints()).containsEntry(8080, new Endpoint("lookout-nginx-web-front.web.svc:8080",
                    "lookout-nginx-web-front.web.svc:8080"));
            assertThat(r.image()).isEqualTo("registry.local/nginx-vts:1.27");
        });
    }

    @Test
    void aDaemonSetIsRunningOnlyOnceEveryPodOfItsTemplateIsReady() {
        node("gpu-node-01", Map.of("kubernetes.io/hostname", "gpu-node-01"), "1");
        Workload exporter = dcgm(new Workload.GpuRequest(true, List.of()));
        workloads().apply(GPU_OWNER, "gpu-node-01", exporter);
        DaemonSet ds = daemonSet();
        ds.setStatus(new DaemonSetStatusBuilder().withObservedGeneration(ds.getMetadata().getGeneration())
                .withDesiredNumberScheduled(1).withUpdatedNumberScheduled(1).withNumberReady(0).build());
        client.resource(ds).updateStatus();

        assertThat(workloads().apply(GPU_OWNER, "gpu-node-01", exporter)).isInstanceOfSatisfying(WorkloadState.Starting.class,
                s -> assertThat(s.message()).contains("has 0 of 1 pods ready"));

        ds = daemonSet();
        ds.getStatus().setNumberReady(1);
        client.resource(ds).updateStatus();

        assertThat(workloads().apply(GPU_OWNER, "gpu-node-01", exporter)).isInstanceOfSatisfying(WorkloadState.Running.class,
                r -> assertThat(r.endpoints().get(9400).scrape()).isEqualTo("lookout-dcgm-exporter-lab-gpu-node-01.lab.svc:9400"));
    }

    @Test
    void anImageToBuildIsBlockedForAClusterHasNoEngine() {
        Workload.ImageBuild build = new Workload.ImageBuild("lookout/nginx-vts", "nginx:1.27", Map.of(), "abc", "0.1");
        Workload w = new Workload("lookout-nginx-web_front", "nginx:1.27", List.of(), Map.of(), Map.of(), null, List.of(8080),
                null, List.of(), List.of(), build, List.of(), null);

        assertThat(workloads().apply(NGINX_OWNER, "ignored", w)).isInstanceOfSatisfying(WorkloadState.Blocked.class,
                b -> assertThat(b.reason()).isEqualTo("ImageBuildUnsupported"));
        assertThat(deployment()).isNull();
    }

    @Test
    void anObjectOfTheSameNameThatIsNotTheOwnersIsLeftAlone() {
        client.configMaps().inNamespace("web").resource(new ConfigMapBuilder().withNewMetadata()
                .withName("lookout-nginx-web-front-files").endMetadata().withData(Map.of("a", "b")).build()).create();

        WorkloadState state = workloads().apply(NGINX_OWNER, "ignored", nginx("events {}\n"));

        assertThat(state).isInstanceOfSatisfying(WorkloadState.Blocked.class, b -> assertThat(b.reason()).isEqualTo("ObjectNameTaken"));
        assertThat(client.configMaps().inNamespace("web").withName("lookout-nginx-web-front-files").get().getData())
                .containsExactly(Map.entry("a", "b"));
    }
}
