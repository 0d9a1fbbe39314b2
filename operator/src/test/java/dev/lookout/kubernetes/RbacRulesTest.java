package dev.lookout.kubernetes;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.lookout.api.ObjectKey;
import dev.lookout.chart.StrictModel;
import dev.lookout.gpu.GpuNode;
import dev.lookout.kind.KindDefinition;
import dev.lookout.kubernetes.platform.KubernetesInstances;
import dev.lookout.kubernetes.platform.KubernetesWorkloads;
import dev.lookout.kubernetes.platform.OwnerReferences;
import dev.lookout.nginx.NginxVtsTarget;
import dev.lookout.platform.Instance;
import dev.lookout.platform.InstanceQuery;
import dev.lookout.platform.Instances;
import dev.lookout.platform.Workload;
import dev.lookout.probe.ComfyProbe;
import dev.lookout.registry.KindRegistry;
import dev.lookout.testing.Cleanup;
import dev.lookout.testing.Helm;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.rbac.ClusterRole;
import io.fabric8.kubernetes.api.model.rbac.PolicyRule;
import io.fabric8.kubernetes.api.model.rbac.Role;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.server.mock.KubernetesCrudDispatcher;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.mockwebserver.Context;
import io.fabric8.mockwebserver.MockWebServer;
import io.fabric8.mockwebserver.ServerRequest;
import io.fabric8.mockwebserver.ServerResponse;
import io.fabric8.mockwebserver.http.RecordedRequest;
import java.io.IOException;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The chart's RBAC is exactly what Lookout calls: every request the operator ({@code lookout run --kubernetes}) and its
 * Kubernetes platform make is recorded on fabric8's mock API server as (verb, group, resource), and the rules the chart
 * renders must grant that set, no more and no less.
 *
 * <p>The test's own requests (seeding, deleting, reading back) carry a bearer token of their own and are left out.
 * What is exercised: the operator's start (a list per kind, one informer per kind, the Secret informer), a resource of
 * every kind reaching its status through the status subresource, java-operator-sdk adding (server-side apply) and
 * removing the finalizer of the two kinds that own workloads, deletions; then the platform on its own (the operator's
 * resources above are invalid, so it places nothing): writing, replacing, pruning and removing a GPU workload
 * (DaemonSet) and another (Deployment) with their Service, ConfigMap and Secret after checking Nodes, and finding and
 * restarting pods.
 *
 * <p>What it cannot prove: that the mock answers as a real API server would (a 403 path is never taken here; the mock
 * takes server-side apply only through {@link ApplyPatchAsMergePatch}), calls on paths no scenario reaches, nor what an
 * admission plugin asks beyond the request itself (OwnerReferencesPermissionEnforcement wants {@code update} on
 * {@code <owner>/finalizers} for an owner reference with {@code blockOwnerDeletion}).
 */
class RbacRulesTest {
    private static final String TEST_TOKEN = "the-test-itself";
    private static final Duration WAIT = Duration.ofSeconds(60);
    private static final SortedSet<ApiCall> OPERATOR = new TreeSet<>();
    private static final SortedSet<ApiCall> PLATFORM = new TreeSet<>();
    private static final SortedSet<ApiCall> PUBLISHER = new TreeSet<>();

    @BeforeAll
    static void record(@TempDir Path tmp) throws Exception {
        OPERATOR.addAll(operatorCalls(tmp));
        PLATFORM.addAll(platformCalls());
        PUBLISHER.addAll(publisherCalls());
    }

    @AfterAll
    static void clear() {
        OPERATOR.clear();
        PLATFORM.clear();
        PUBLISHER.clear();
    }

    @Test
    void theClusterRoleGrantsExactlyTheCallsLookoutMakes() throws IOException {
        SortedSet<ApiCall> granted = new TreeSet<>();
        for (HasMetadata o : StrictModel.parseAll(Helm.rendered(List.of()))) {
            if (o instanceof ClusterRole role) {
                granted.addAll(expand(role.getRules()));
            }
            assertThat(o).as("no namespaced Role without watchNamespaces").isNotInstanceOf(Role.class);
        }

        assertRulesMatch(granted, recorded());
    }

    @Test
    void withWatchNamespacesEachNamespaceGetsARoleAndNodesStayClusterWide() throws IOException {
        SortedSet<ApiCall> cluster = new TreeSet<>();
        Map<String, SortedSet<ApiCall>> perNamespace = new HashMap<>();
        for (HasMetadata o : StrictModel.parseAll(Helm.rendered(List.of("watchNamespaces={ml,web}")))) {
            if (o instanceof ClusterRole role) {
                cluster.addAll(expand(role.getRules()));
            } else if (o instanceof Role role) {
                perNamespace.computeIfAbsent(role.getMetadata().getNamespace(), n -> new TreeSet<>()).addAll(expand(role.getRules()));
            }
        }

        assertThat(perNamespace).containsOnlyKeys("ml", "web");
        assertThat(cluster).as("cluster-scoped calls only").allSatisfy(c -> assertThat(c.resource()).isEqualTo("nodes"));
        for (SortedSet<ApiCall> namespaced : perNamespace.values()) {
            SortedSet<ApiCall> granted = new TreeSet<>(namespaced);
            granted.addAll(cluster);
            assertRulesMatch(granted, recorded());
        }
    }

    @Test
    void theOperatorLayoutAlsoGrantsExactlyWhatPrometheusModeOperatorPublishes() throws IOException {
        SortedSet<ApiCall> granted = new TreeSet<>();
        for (HasMetadata o : StrictModel.parseAll(Helm.rendered(List.of("layout=operator")))) {
            if (o instanceof ClusterRole role) {
                granted.addAll(expand(role.getRules()));
            }
        }
        SortedSet<ApiCall> called = recorded();
        called.addAll(PUBLISHER);

        assertRulesMatch(granted, called);
        for (String kind : List.of("probes", "scrapeconfigs", "prometheusrules")) {
            for (String verb : List.of("get", "create", "update", "delete", "list")) {
                assertThat(PUBLISHER).as("the publisher's calls").contains(new ApiCall(verb, "monitoring.coreos.com", kind));
            }
        }
    }

    @Test
    void theOperatorLayoutWithWatchNamespacesGrantsTheReleasesNamespaceToo() throws IOException {
        Map<String, SortedSet<ApiCall>> perNamespace = new HashMap<>();
        SortedSet<ApiCall> cluster = new TreeSet<>();
        for (HasMetadata o : StrictModel.parseAll(Helm.rendered(List.of("layout=operator", "watchNamespaces={ml}")))) {
            if (o instanceof ClusterRole role) {
                cluster.addAll(expand(role.getRules()));
            } else if (o instanceof Role role && !role.getMetadata().getName().endsWith("-leader-election")) {
                perNamespace.computeIfAbsent(role.getMetadata().getNamespace(), n -> new TreeSet<>()).addAll(expand(role.getRules()));
            }
        }
        SortedSet<ApiCall> called = recorded();
        called.addAll(PUBLISHER);

        assertThat(perNamespace).as("ml, and the release's namespace (blackbox's ConfigMap and Secret)")
                .containsOnlyKeys("ml", "monitoring");
        for (SortedSet<ApiCall> namespaced : perNamespace.values()) {
            SortedSet<ApiCall> granted = new TreeSet<>(namespaced);
            granted.addAll(cluster);
            assertRulesMatch(granted, called);
        }
    }

    @Test
    void theRecordingSawEveryPartOfTheOperator() {
        // Without these the comparison above would pass on a recording that missed whole parts.
        for (KindDefinition<?> kind : KindRegistry.ALL) {
            assertThat(OPERATOR).contains(new ApiCall("list", "lookout.dev", kind.plural()),
                    new ApiCall("watch", "lookout.dev", kind.plural()), new ApiCall("patch", "lookout.dev", kind.plural() + "/status"));
        }
        assertThat(OPERATOR).contains(new ApiCall("list", "", "secrets"), new ApiCall("watch", "", "secrets"),
                new ApiCall("patch", "lookout.dev", "gpunodes"), new ApiCall("patch", "lookout.dev", "nginxvtstargets"));
        for (String kind : List.of("apps/daemonsets", "apps/deployments", "core/services", "core/configmaps", "core/secrets")) {
            for (String verb : List.of("get", "create", "update", "delete", "list", "deletecollection")) {
                assertThat(PLATFORM).as("the platform's calls").anySatisfy(c -> assertThat(c.toString()).isEqualTo(verb + " " + kind));
            }
        }
        assertThat(PLATFORM).contains(new ApiCall("list", "", "nodes"), new ApiCall("list", "", "pods"),
                new ApiCall("get", "", "pods"), new ApiCall("delete", "", "pods"));
    }

    private static SortedSet<ApiCall> recorded() {
        SortedSet<ApiCall> all = new TreeSet<>(OPERATOR);
        all.addAll(PLATFORM);
        return all;
    }

    private static void assertRulesMatch(SortedSet<ApiCall> granted, SortedSet<ApiCall> called) {
        SortedSet<ApiCall> unused = new TreeSet<>(granted);
        unused.removeAll(called);
        SortedSet<ApiCall> missing = new TreeSet<>(called);
        missing.removeAll(granted);
        assertThat(missing).as("calls Lookout makes that the chart's rules do not grant (charts/lookout/templates/_helpers.tpl)").isEmpty();
        assertThat(unused).as("grants the chart gives that Lookout never uses (least privilege)").isEmpty();
    }

    /** Every (verb, group, resource) a list of rules grants; a wildcard fails (least privilege has none). */
    static SortedSet<ApiCall> expand(List<PolicyRule> rules) {
        SortedSet<ApiCall> calls = new TreeSet<>();
        for (PolicyRule rule : rules) {
            assertThat(rule.getResourceNames()).as("rules by resource name").isNullOrEmpty();
            for (String group : rule.getApiGroups()) {
                for (String resource : rule.getResources()) {
                    for (String verb : rule.getVerbs()) {
                        assertThat(List.of(group, resource, verb)).as("wildcards").doesNotContain("*");
                        calls.add(new ApiCall(verb, group, resource));
                    }
                }
            }
        }
        return calls;
    }

    /** The calls so far, but for the test's own (those with its token). */
    private static void drain(KubernetesMockServer mock, Set<ApiCall> into) throws InterruptedException {
        for (RecordedRequest r = mock.takeRequest(10, TimeUnit.MILLISECONDS); r != null; r = mock.takeRequest(10, TimeUnit.MILLISECONDS)) {
            if (!("Bearer " + TEST_TOKEN).equals(r.getHeader("Authorization"))) {
                ApiCall.of(r.getMethod(), r.getPath()).ifPresent(into::add);
            }
        }
    }

    private static <R extends CustomResource<?, ?>> void create(KubernetesClient client, Class<R> type, String yaml) {
        client.resources(type).inNamespace("default").resource(client.getKubernetesSerialization().unmarshal(yaml, type)).create();
    }

    /** A client of {@code mock} whose requests carry {@code token}. */
    private static KubernetesClient clientWithToken(KubernetesClient mock, String token) {
        return new KubernetesClientBuilder().withConfig(new ConfigBuilder().withMasterUrl(mock.getMasterUrl().toString())
                .withOauthToken(token).build()).build();
    }

    private static Set<ApiCall> operatorCalls(Path tmp) throws Exception {
        MockCluster cluster = MockCluster.start(tmp, new ApplyPatchAsMergePatch());
        // The test's own requests carry this token, and are left out of the recording; Lookout's carry none.
        KubernetesClient client = clientWithToken(cluster.client, TEST_TOKEN);
        KubernetesOperator lookout = null;
        Set<ApiCall> calls = new TreeSet<>();
        try {
            KubernetesSecretsTest.secret(client, "a-password");
            create(client, ComfyProbe.class, KubernetesSecretsTest.probe());
            // Invalid on purpose (each refused by Lookout's validation), so that no workload is placed anywhere: their
            // status is still written, and the finalizer still comes and goes.
            create(client, GpuNode.class, """
                    apiVersion: lookout.dev/v1alpha1
                    kind: GpuNode
                    metadata: {name: held, namespace: default}
                    spec: {host: local, exporter: {image: "Not/An Image:!"}}
                    """);
            create(client, NginxVtsTarget.class, """
                    apiVersion: lookout.dev/v1alpha1
                    kind: NginxVtsTarget
                    metadata: {name: edge, namespace: default}
                    spec: {host: local, image: {prebuilt: "Not/An Image:!"}}
                    """);
            create(client, dev.lookout.network.NetworkPolicy.class, """
                    apiVersion: lookout.dev/v1alpha1
                    kind: NetworkPolicy
                    metadata: {name: pools, namespace: default}
                    spec: {host: local, allowedPools: []}
                    """);
            // Server-side apply, as on a cluster: java-operator-sdk adds its finalizers with it.
            lookout = cluster.lookout(true);

            await("a status for every kind, and the finalizers").atMost(WAIT).untilAsserted(() -> {
                drain(cluster.server, calls);
                for (KindDefinition<?> kind : KindRegistry.ALL) {
                    assertThat(calls).contains(new ApiCall("patch", "lookout.dev", kind.plural() + "/status"));
                }
                assertThat(client.resources(GpuNode.class).inNamespace("default").withName("held").get().getMetadata().getFinalizers()).isNotEmpty();
                assertThat(client.resources(NginxVtsTarget.class).inNamespace("default").withName("edge").get().getMetadata().getFinalizers()).isNotEmpty();
            });
            client.resources(GpuNode.class).inNamespace("default").withName("held").delete();
            client.resources(NginxVtsTarget.class).inNamespace("default").withName("edge").delete();
            client.resources(ComfyProbe.class).inNamespace("default").withName("guarded").delete();
            client.resources(dev.lookout.network.NetworkPolicy.class).inNamespace("default").withName("pools").delete();
            await("the finalizers released").atMost(WAIT).untilAsserted(() -> {
                assertThat(client.resources(GpuNode.class).inNamespace("default").withName("held").get()).isNull();
                assertThat(client.resources(NginxVtsTarget.class).inNamespace("default").withName("edge").get()).isNull();
            });
            lookout.awaitQuiet(WAIT);
            drain(cluster.server, calls);
            return calls;
        } finally {
            Cleanup.quietly(lookout, client, cluster);
        }
    }

    private static Workload.WorkloadFile file(String path, String content, int mode) {
        return new Workload.WorkloadFile(path, content.getBytes(StandardCharsets.UTF_8), mode);
    }

    /**
     * prometheus.mode: operator's publisher on its own: the first publication lists what carries its labels and writes
     * every object (a read of each first), a changed render replaces one, a smaller one deletes, and a new publisher
     * reads blackbox's ConfigMap.
     */
    private static Set<ApiCall> publisherCalls() throws Exception {
        KubernetesMockServer mock = new KubernetesMockServer(new Context(), new MockWebServer(),
                new HashMap<ServerRequest, Queue<ServerResponse>>(), new KubernetesCrudDispatcher(), false);
        mock.init(InetAddress.getByName("127.0.0.1"), 0);
        KubernetesClient client = mock.createClient();
        Set<ApiCall> calls = new TreeSet<>();
        try {
            dev.lookout.config.OperatorConfig config = dev.lookout.prometheus.Rendering.operatorModeConfig("examples");
            dev.lookout.render.PrometheusRenderer.Result examples = dev.lookout.prometheus.Rendering.renderInOperatorMode("examples");
            dev.lookout.engine.RenderSet set = new dev.lookout.engine.RenderSet(List.of(), Map.of(), java.time.Instant.EPOCH);
            var publisher = new dev.lookout.kubernetes.monitoring.MonitoringPublisher(client, config, "monitoring",
                    OwnerReferences.NONE, Set.of());
            dev.lookout.render.PrometheusRenderer.Result options = dev.lookout.prometheus.Rendering.renderInOperatorMode("options");
            publisher.publish(examples, set);
            publisher.userBlackboxConfig();
            // A ScrapeConfig and a PrometheusRule replaced; then Probes created, replaced and deleted (and the examples'
            // jobs and rules deleted in between).
            publisher.publish(changed(examples, new ObjectKey("GpuNode", "default", "gpu-node-01")), set);
            publisher.publish(options, set);
            publisher.publish(changed(options, new ObjectKey("ComfyProbe", "default", "static")), set);
            publisher.publish(examples, set);
            drain(mock, calls);
            return calls;
        } finally {
            Cleanup.quietly(client);
            mock.destroy();
        }
    }

    /** {@code result} with {@code key}'s jobs scraped every 20 s and its alerts waiting 7 minutes. */
    private static dev.lookout.render.PrometheusRenderer.Result changed(dev.lookout.render.PrometheusRenderer.Result result, ObjectKey key) {
        java.util.TreeMap<ObjectKey, dev.lookout.prometheus.KindOutputs> outputs = new java.util.TreeMap<>(result.outputs());
        var out = outputs.get(key);
        outputs.put(key, new dev.lookout.prometheus.KindOutputs(out.scrapeConfigs().stream()
                .map(j -> j.deepCopy().put("scrape_interval", "20s")).toList(), out.ruleGroups().stream().map(g -> {
                    var group = g.deepCopy();
                    group.withArray("rules").forEach(r -> ((com.fasterxml.jackson.databind.node.ObjectNode) r).put("for", "7m"));
                    return group;
                }).toList(), out.blackboxModules(),
                out.targetFiles(), out.notes(), out.operatorMetrics()));
        return new dev.lookout.render.PrometheusRenderer.Result(result.tree(), result.notes(), outputs);
    }

    private static Set<ApiCall> platformCalls() throws Exception {
        KubernetesMockServer mock = new KubernetesMockServer(new Context(), new MockWebServer(),
                new HashMap<ServerRequest, Queue<ServerResponse>>(), new KubernetesCrudDispatcher(), false);
        mock.init(InetAddress.getByName("127.0.0.1"), 0);
        KubernetesClient platform = mock.createClient();
        KubernetesClient seed = clientWithToken(platform, TEST_TOKEN);
        Set<ApiCall> calls = new TreeSet<>();
        try {
            seed.nodes().resource(new NodeBuilder().withNewMetadata().withName("gpu-1").addToLabels("kubernetes.io/hostname", "gpu-1")
                    .endMetadata().withNewStatus().addToCapacity("nvidia.com/gpu", new Quantity("1")).endStatus().build()).create();
            KubernetesWorkloads workloads = new KubernetesWorkloads(platform, OwnerReferences.NONE);
            ObjectKey owner = new ObjectKey("NginxVtsTarget", "web", "front");
            List<Workload.WorkloadFile> conf = List.of(file("/etc/lookout/app.conf", "a\n", 0644));
            // A Deployment with a ConfigMap and a Secret (a 0600 file); a new key and a second port replace the Secret,
            // the Service and the Deployment; a changed file without the key replaces the ConfigMap and deletes the Secret.
            workloads.apply(owner, "any", new Workload("lookout-first", "nginx:1.27", List.of(), Map.of(), Map.of(), null,
                    List.of(8080), null, List.of(), List.of(conf.get(0), file("/etc/lookout/tls.key", "k1\n", 0600))));
            workloads.apply(owner, "any", new Workload("lookout-first", "nginx:1.27", List.of(), Map.of(), Map.of(), null,
                    List.of(8080, 9090), null, List.of(), List.of(conf.get(0), file("/etc/lookout/tls.key", "k2\n", 0600))));
            workloads.apply(owner, "any", new Workload("lookout-first", "nginx:1.27", List.of(), Map.of(), Map.of(), null,
                    List.of(8080, 9090), null, List.of(), List.of(file("/etc/lookout/app.conf", "b\n", 0644))));
            // Renamed into a GPU workload (Nodes checked): a DaemonSet, and the first one's objects pruned one by one;
            // then the DaemonSet replaced; renamed again into a Deployment, and the DaemonSet pruned.
            workloads.apply(owner, "gpu-1", new Workload("lookout-second", "dcgm-exporter:4", List.of(), Map.of(), Map.of(),
                    "gpu-1", List.of(9400), new Workload.GpuRequest(true, List.of()), List.of(), conf));
            workloads.apply(owner, "gpu-1", new Workload("lookout-second", "dcgm-exporter:5", List.of(), Map.of(), Map.of(),
                    "gpu-1", List.of(9400), new Workload.GpuRequest(true, List.of()), List.of(), conf));
            workloads.apply(owner, "any", new Workload("lookout-third", "nginx:1.27", List.of(), Map.of(), Map.of(), null,
                    List.of(8080), null, List.of(), conf));
            assertThat(seed.apps().daemonSets().inNamespace("web").list().getItems()).as("the DaemonSet pruned").isEmpty();
            // The owner goes: everything it has, deleted by label.
            workloads.remove(owner);
            assertThat(seed.apps().deployments().inNamespace("web").list().getItems()).as("removed").isEmpty();

            seed.resource(new PodBuilder().withNewMetadata().withNamespace("ml").withName("comfy-1").withUid("uid-1")
                    .addToLabels("app", "comfyui").addNewOwnerReference().withApiVersion("apps/v1").withKind("ReplicaSet")
                    .withName("comfy-abc").withUid("rs").withController(true).endOwnerReference().endMetadata()
                    .withNewSpec().addNewContainer().withName("comfyui").withImage("comfyui:1").endContainer().endSpec().build()).create();
            KubernetesInstances instances = new KubernetesInstances(platform);
            Instances.Found found = instances.find(new ObjectKey("ComfyProbe", "ml", "comfy"),
                    new InstanceQuery(null, Map.of("app", "comfyui"), List.of(), List.of("ml")));
            Instance pod = ((Instances.Found.Listed) found).instances().get(0);
            instances.restart(null, new Instance(seed.pods().inNamespace("ml").withName("comfy-1").get().getMetadata().getUid(),
                    pod.name(), pod.state(), 0, null, null, null, pod.targetLabels()), Duration.ofSeconds(5));
            assertThat(seed.pods().inNamespace("ml").withName("comfy-1").get()).as("restarted by deleting it").isNull();
            drain(mock, calls);
            return calls;
        } finally {
            Cleanup.quietly(seed, platform);
            mock.destroy();
        }
    }
}
