package dev.lookout.kubernetes.platform;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.lookout.api.ObjectKey;
import dev.lookout.platform.Instance;
import dev.lookout.platform.InstanceQuery;
import dev.lookout.platform.Instances;
import dev.lookout.platform.PlatformException;
import io.fabric8.kubernetes.api.model.ContainerStatusBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * {@link KubernetesInstances} against fabric8's mock API server in CRUD mode, seeded with pods as a kubelet would
 * report them.
 *
 * <p>What it proves: the label selector and namespaces reach the API server as a list query (pods of other labels or
 * namespaces are not found), a pod's status (Ready condition, containerStatuses[].restartCount, pod IP, start time) is
 * read into an {@link Instance}, and a restart deletes an owned pod and refuses a bare one.
 *
 * <p>What it cannot: there is no kubelet and no ReplicaSet controller, so the statuses are the test's own, and a
 * deleted pod never comes back; that a controller recreates it is Kubernetes' promise, not something shown here.
 */
@EnableKubernetesMockClient(crud = true)
class KubernetesInstancesTest {
    private static final ObjectKey PROBE = new ObjectKey("ComfyProbe", "ml", "comfy");
    private static final Map<String, String> COMFY = Map.of("app", "comfyui");

    KubernetesClient client;

    private Pod pod(String namespace, String name, Map<String, String> labels, boolean ready, int restarts, boolean owned) {
        PodBuilder pod = new PodBuilder().withNewMetadata().withNamespace(namespace).withName(name).withLabels(labels).endMetadata()
                .withNewSpec().addNewContainer().withName("comfyui").withImage("comfyui:1").endContainer()
                .addNewContainer().withName("log-shipper").withImage("vector:1").endContainer().endSpec()
                .withNewStatus().withPhase("Running").withPodIP(ready ? "10.0.0." + (restarts + 10) : null)
                .addNewCondition().withType("Ready").withStatus(ready ? "True" : "False").endCondition()
                .withContainerStatuses(new ContainerStatusBuilder().withName("comfyui").withRestartCount(restarts)
                                .withNewState().withNewRunning().withStartedAt("2026-12-06T10:00:00Z").endRunning().endState().build(),
                        new ContainerStatusBuilder().withName("log-shipper").withRestartCount(40).build())
                .endStatus();
        if (owned) {
            pod.editMetadata().addNewOwnerReference().withApiVersion("apps/v1").withKind("ReplicaSet").withName("comfy-abc")
                    .withUid("rs-uid").withController(true).endOwnerReference().endMetadata();
        }
        return client.resource(pod.build()).create();
    }

    private Instances.Found.Listed find(List<String> namespaces) {
        return (Instances.Found.Listed) new KubernetesInstances(client).find(PROBE, new InstanceQuery(null, COMFY, List.of(), namespaces));
    }

    @Test
    void findsThePodsThatMatchInTheOwnersNamespaceWithTheirRestartCounts() {
        pod("ml", "comfy-1", COMFY, true, 3, true);
        pod("ml", "comfy-2", COMFY, false, 0, true);
        pod("ml", "jupyter", Map.of("app", "jupyter"), true, 0, true);
        pod("other", "comfy-9", COMFY, true, 0, true);

        List<Instance> found = find(List.of()).instances();

        assertThat(found).extracting(Instance::name).containsExactly("ml/comfy-1", "ml/comfy-2");
        Instance ready = found.get(0);
        assertThat(ready.running()).isTrue();
        assertThat(ready.restartCount()).isEqualTo(3); // the default container's, not the log shipper's 40
        assertThat(ready.address()).isEqualTo("10.0.0.13");
        assertThat(ready.startedAt()).isEqualTo(Instant.parse("2026-12-06T10:00:00Z"));
        assertThat(ready.targetLabels()).containsExactlyInAnyOrderEntriesOf(Map.of("namespace", "ml", "pod", "comfy-1", "container", "comfyui"));
        Instance notReady = found.get(1);
        assertThat(notReady.running()).isFalse();
        assertThat(notReady.address()).isNull();
        assertThat(notReady.unreachable()).contains("no pod IP");
    }

    @Test
    void searchesTheNamespacesAskedInstead() {
        pod("ml", "comfy-1", COMFY, true, 0, true);
        pod("gpu-a", "comfy-a", COMFY, true, 0, true);
        pod("gpu-b", "comfy-b", COMFY, true, 0, true);

        assertThat(find(List.of("gpu-b", "gpu-a")).instances()).extracting(Instance::name).containsExactly("gpu-a/comfy-a", "gpu-b/comfy-b");
    }

    @Test
    void theKubectlDefaultContainerIsTheInstance() {
        Pod pod = pod("ml", "comfy-1", COMFY, true, 3, true);
        pod.getMetadata().setAnnotations(Map.of(PodInstances.DEFAULT_CONTAINER, "log-shipper"));
        client.resource(pod).update();

        Instance found = find(List.of()).instances().get(0);

        assertThat(found.restartCount()).isEqualTo(40);
        assertThat(found.targetLabels()).containsEntry("container", "log-shipper");
    }

    @Test
    void restartDeletesAPodItsControllerWillMakeAgain() {
        pod("ml", "comfy-1", COMFY, true, 3, true);
        Instance found = find(List.of()).instances().get(0);

        new KubernetesInstances(client).restart(null, found, Duration.ofSeconds(5));

        assertThat(client.pods().inNamespace("ml").withName("comfy-1").get()).isNull();
    }

    @Test
    void restartRefusesABarePodThatNothingWouldMakeAgain() {
        pod("ml", "comfy-1", COMFY, true, 3, false);
        Instance found = find(List.of()).instances().get(0);

        assertThatThrownBy(() -> new KubernetesInstances(client).restart(null, found, Duration.ofSeconds(5)))
                .isInstanceOf(PlatformException.class).hasMessageContaining("owned by no controller");
        assertThat(client.pods().inNamespace("ml").withName("comfy-1").get()).isNotNull();
    }

    @Test
    void restartLeavesAPodOfTheSameNameThatReplacedTheOneFound() {
        pod("ml", "comfy-1", COMFY, true, 3, true);
        Instance found = find(List.of()).instances().get(0);
        client.pods().inNamespace("ml").withName("comfy-1").delete();
        Pod replacement = pod("ml", "comfy-1", COMFY, true, 0, true);

        new KubernetesInstances(client).restart(null, found, Duration.ofSeconds(5));

        assertThat(client.pods().inNamespace("ml").withName("comfy-1").get().getMetadata().getUid())
                .isEqualTo(replacement.getMetadata().getUid());
    }
}
