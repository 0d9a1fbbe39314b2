package dev.lookout.kubernetes;

import dev.lookout.config.OperatorConfig;
import dev.lookout.docker.DockerSettings;
import dev.lookout.engine.Engine;
import dev.lookout.render.PrometheusRenderer;
import dev.lookout.runtime.OperatorCore;
import dev.lookout.testing.BlackboxProcess;
import dev.lookout.testing.Cleanup;
import dev.lookout.testing.OutputFolders;
import dev.lookout.testing.PrometheusProcess;
import dev.lookout.testing.Tools;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesCrudDispatcher;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.mockwebserver.Context;
import io.fabric8.mockwebserver.MockWebServer;
import io.fabric8.mockwebserver.ServerRequest;
import io.fabric8.mockwebserver.ServerResponse;
import io.fabric8.mockwebserver.http.MockResponse;
import io.fabric8.mockwebserver.http.RecordedRequest;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Queue;

/**
 * fabric8's mock API server in CRUD mode on 127.0.0.1 (it stores what it is sent and serves any kind, core ones
 * included), with a client to seed it, the real Prometheus and blackbox_exporter Lookout's outputs feed, and Lookout
 * in Kubernetes mode pointed at the mock through a kubeconfig.
 */
final class MockCluster implements AutoCloseable {
    final KubernetesMockServer server;
    final KubernetesClient client;
    final OutputFolders folders;
    final PrometheusProcess prometheus;
    final BlackboxProcess blackbox;
    private final Path tmp;

    private MockCluster(KubernetesMockServer server, Path tmp, OutputFolders folders, PrometheusProcess prometheus,
                        BlackboxProcess blackbox) {
        this.server = server;
        this.client = server.createClient();
        this.tmp = tmp;
        this.folders = folders;
        this.prometheus = prometheus;
        this.blackbox = blackbox;
    }

    static MockCluster start(Path tmp) throws IOException {
        return start(tmp, new Dispatcher());
    }

    /** With another CRUD dispatcher (RbacRulesTest's, which takes server-side apply). */
    static MockCluster start(Path tmp, KubernetesCrudDispatcher dispatcher) throws IOException {
        Tools.require(Tools.prometheus(), "prometheus");
        Tools.require(Tools.blackbox(), "blackbox_exporter");
        KubernetesMockServer server = new KubernetesMockServer(new Context(), new MockWebServer(),
                new HashMap<ServerRequest, Queue<ServerResponse>>(), dispatcher, false);
        server.init(InetAddress.getByName("127.0.0.1"), 0);
        OutputFolders folders = OutputFolders.create(tmp);
        PrometheusProcess prometheus = PrometheusProcess.start(folders.prometheusConfig());
        BlackboxProcess blackbox = BlackboxProcess.start(folders.blackboxConfig());
        return new MockCluster(server, tmp, folders, prometheus, blackbox);
    }

    /**
     * The CRUD store, plus the one answer it cannot give: a {@code SelfSubjectRulesReview} (java-operator-sdk asks
     * one before leader election, to say which Lease verbs a role lacks) is stored as sent, without a status, which
     * java-operator-sdk cannot read. The mock has no authorizer: every rule is allowed, as for a cluster admin.
     */
    private static final class Dispatcher extends KubernetesCrudDispatcher {
        @Override
        public MockResponse dispatch(RecordedRequest request) {
            if (request.getPath().startsWith("/apis/authorization.k8s.io/v1/selfsubjectrulesreviews")) {
                return new MockResponse().setResponseCode(201).setBody("""
                        {"apiVersion": "authorization.k8s.io/v1", "kind": "SelfSubjectRulesReview", "spec": {},
                         "status": {"incomplete": false, "nonResourceRules": [],
                                    "resourceRules": [{"apiGroups": ["*"], "resources": ["*"], "verbs": ["*"]}]}}
                        """);
            }
            return super.dispatch(request);
        }
    }

    /**
     * Lookout in Kubernetes mode on this server, feeding {@code prometheus} and {@code blackbox}.
     *
     * @param serverSideApply false where a kind with a finalizer is used: the mock refuses server-side apply (415),
     *                        which java-operator-sdk adds finalizers with by default
     */
    KubernetesOperator lookout(boolean serverSideApply) throws IOException {
        return lookout(serverSideApply, "state", null);
    }

    /**
     * One of several Lookouts on this server: each has its own state folder (as two pods would) and HTTP port; all
     * write the same outputs folder, which Prometheus and blackbox read.
     *
     * @param leaderElection null: none
     */
    KubernetesOperator lookout(boolean serverSideApply, String stateFolder, KubernetesOperator.LeaderElection leaderElection)
            throws IOException {
        return lookout(serverSideApply, stateFolder, leaderElection, java.util.Set.of());
    }

    /** @param namespaces the namespaces watched; empty: all */
    KubernetesOperator lookout(boolean serverSideApply, String stateFolder, KubernetesOperator.LeaderElection leaderElection,
                               java.util.Set<String> namespaces) throws IOException {
        return lookout(serverSideApply, stateFolder, leaderElection, namespaces, folders.config(prometheus, blackbox));
    }

    /** With a configuration of the test's own ({@code prometheus.mode: operator}, say). */
    KubernetesOperator lookout(boolean serverSideApply, String stateFolder, KubernetesOperator.LeaderElection leaderElection,
                               java.util.Set<String> namespaces, OperatorConfig config) throws IOException {
        OperatorCore.Parts parts = new OperatorCore.Parts(config, null, folders.out(), tmp.resolve(stateFolder),
                new InetSocketAddress("127.0.0.1", 0), null, true, true, new PrometheusRenderer()::render,
                Engine.Settings.DEFAULT, DockerSettings.defaults());
        return KubernetesOperator.start(new KubernetesOperator.Options(parts, kubeconfig(tmp), serverSideApply, leaderElection,
                namespaces));
    }

    /** A node the GPU workloads can go to: its hostname label, the GPU label, and 8 {@code nvidia.com/gpu}. */
    void gpuNode(String name) {
        client.nodes().resource(new io.fabric8.kubernetes.api.model.NodeBuilder().withNewMetadata().withName(name)
                .addToLabels("kubernetes.io/hostname", name).addToLabels("nvidia.com/gpu.present", "true").endMetadata()
                .withNewStatus().addToCapacity("nvidia.com/gpu", new io.fabric8.kubernetes.api.model.Quantity("8")).endStatus()
                .build()).create();
    }

    /**
     * A running, ready pod labelled {@code app: comfyui} with one container {@code comfyui}, as a kubelet would report it
     * (the mock has none: the status is written here).
     */
    void readyComfyPod(String namespace, String name, String ip, int restarts) {
        client.pods().inNamespace(namespace).resource(new io.fabric8.kubernetes.api.model.PodBuilder().withNewMetadata()
                .withName(name).withNamespace(namespace).addToLabels("app", "comfyui").endMetadata()
                .withNewSpec().addNewContainer().withName("comfyui").withImage("comfyui:local").endContainer().endSpec()
                .withNewStatus().withPhase("Running").withPodIP(ip)
                .addNewCondition().withType("Ready").withStatus("True").endCondition()
                .addNewContainerStatus().withName("comfyui").withReady(true).withRestartCount(restarts)
                .withNewState().withNewRunning().withStartedAt("2026-12-06T10:00:00Z").endRunning().endState()
                .endContainerStatus().endStatus().build()).create();
    }

    private Path kubeconfig(Path dir) {
        try {
            return Files.writeString(dir.resolve("mock.kubeconfig"), """
                    apiVersion: v1
                    kind: Config
                    clusters: [{name: mock, cluster: {server: "%s"}}]
                    users: [{name: mock, user: {}}]
                    contexts: [{name: mock, context: {cluster: mock, user: mock}}]
                    current-context: mock
                    """.formatted(client.getMasterUrl().toString().replaceAll("/$", "")));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() {
        Cleanup.quietly(blackbox, prometheus, client);
        server.destroy();
    }
}
