package dev.lookout.kubernetes.monitoring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.lookout.api.ObjectKey;
import dev.lookout.config.OperatorConfig;
import dev.lookout.engine.OutputPublisher;
import dev.lookout.engine.RenderSet;
import dev.lookout.kubernetes.platform.OwnerReferences;
import dev.lookout.prometheus.KindOutputs;
import dev.lookout.prometheus.Rendering;
import dev.lookout.render.PrometheusRenderer;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.OwnerReferenceBuilder;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesCrudDispatcher;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.mockwebserver.Context;
import io.fabric8.mockwebserver.MockWebServer;
import io.fabric8.mockwebserver.ServerRequest;
import io.fabric8.mockwebserver.ServerResponse;
import io.fabric8.openshift.api.model.monitoring.v1.Probe;
import io.fabric8.openshift.api.model.monitoring.v1.PrometheusRule;
import io.fabric8.openshift.api.model.monitoring.v1alpha1.ScrapeConfig;
import java.io.IOException;
import java.net.InetAddress;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Queue;
import java.util.Set;
import java.util.TreeMap;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@link MonitoringPublisher} on fabric8's mock API server in CRUD mode: it stores prometheus-operator's kinds as sent,
 * with no schema and no prometheus-operator behind it, so what this proves is the publisher's own part: which objects
 * it writes, their owner references and labels, updates on change and nothing on no change, removal of what is no
 * longer rendered (after a restart too), and a refused object blamed on its resource alone.
 */
class MonitoringPublisherTest {
    private KubernetesMockServer server;
    private KubernetesClient client;
    private OperatorConfig config;
    private PrometheusRenderer.Result examples;
    private final OwnerReferences owners = key -> Optional.of(new OwnerReferenceBuilder().withApiVersion("lookout.dev/v1alpha1")
            .withKind(key.kind()).withName(key.name()).withUid("uid-" + key.name()).withController(true).build());

    @BeforeEach
    void start() throws IOException {
        server = new KubernetesMockServer(new Context(), new MockWebServer(), new HashMap<ServerRequest, Queue<ServerResponse>>(),
                new KubernetesCrudDispatcher(), false);
        server.init(InetAddress.getByName("127.0.0.1"), 0);
        client = server.createClient();
        config = Rendering.operatorModeConfig("examples");
        examples = Rendering.renderInOperatorMode("examples");
    }

    @AfterEach
    void stop() {
        client.close();
        server.destroy();
    }

    private MonitoringPublisher publisher() {
        return new MonitoringPublisher(client, config, "monitoring", owners, Set.of());
    }

    private static RenderSet set() {
        return new RenderSet(List.of(), Map.of(), Instant.EPOCH);
    }

    @Test
    void eachResourcesObjectsLandInItsNamespaceOwnedByIt() throws Exception {
        OutputPublisher.Published published = publisher().publish(examples, set());

        assertThat(client.resources(Probe.class).inAnyNamespace().list().getItems()).isEmpty(); // examples/ discovers
        List<ScrapeConfig> jobs = client.resources(ScrapeConfig.class).inAnyNamespace().list().getItems();
        assertThat(jobs).extracting(j -> j.getMetadata().getNamespace() + "/" + j.getMetadata().getName())
                .containsExactlyInAnyOrder("default/lookout-comfyprobe-comfy", "default/lookout-gpunode-gpu-node-01",
                        "default/lookout-nginxvtstarget-edge", "monitoring/lookout-operator");
        ScrapeConfig gpu = client.resources(ScrapeConfig.class).inNamespace("default").withName("lookout-gpunode-gpu-node-01").get();
        assertThat(gpu.getMetadata().getOwnerReferences()).singleElement().satisfies(r -> {
            assertThat(r.getKind()).isEqualTo("GpuNode");
            assertThat(r.getUid()).isEqualTo("uid-gpu-node-01");
        });
        assertThat(gpu.getMetadata().getLabels()).containsEntry("release", "kube-prometheus-stack");
        assertThat(client.resources(PrometheusRule.class).inNamespace("default").list().getItems()).hasSize(3);
        assertThat(client.secrets().inNamespace("default").withName("lookout-nginxvtstarget-edge-auth").get()).isNotNull();
        ConfigMap blackbox = client.configMaps().inNamespace("monitoring").withName("lookout-blackbox").get();
        assertThat(blackbox.getData().get("blackbox.yml")).contains("lookout/default/comfy");
        assertThat(client.secrets().inNamespace("monitoring").withName("lookout-blackbox-secrets").get().getData())
                .containsOnlyKeys("default.comfy-pass.password");
        assertThat(published.applied()).isEqualTo(count());
        assertThat(published.removed()).isZero();
    }

    @Test
    void anUnchangedRenderWritesNothingAndAChangedJobIsReplaced() throws Exception {
        MonitoringPublisher publisher = publisher();
        publisher.publish(examples, set());
        String version = client.resources(ScrapeConfig.class).inNamespace("default").withName("lookout-gpunode-gpu-node-01").get()
                .getMetadata().getResourceVersion();

        assertThat(publisher.publish(examples, set())).isEqualTo(new OutputPublisher.Published(0, 0));

        ObjectKey gpu = new ObjectKey("GpuNode", "default", "gpu-node-01");
        OutputPublisher.Published changed = publisher.publish(withInterval(examples, gpu, "20s"), set());
        ScrapeConfig live = client.resources(ScrapeConfig.class).inNamespace("default").withName("lookout-gpunode-gpu-node-01").get();
        assertThat(changed).isEqualTo(new OutputPublisher.Published(1, 0));
        assertThat(live.getSpec().getScrapeInterval()).isEqualTo("20s");
        assertThat(live.getMetadata().getResourceVersion()).isNotEqualTo(version);
    }

    @Test
    void aResourceNoLongerRenderedLosesItsObjectsEvenAcrossARestart() throws Exception {
        publisher().publish(examples, set());
        ObjectKey nginx = new ObjectKey("NginxVtsTarget", "default", "edge");

        // A new publisher (a restarted Lookout) lists what carries its labels, and removes what no resource renders.
        OutputPublisher.Published published = publisher().publish(without(examples, nginx), set());

        assertThat(published).isEqualTo(new OutputPublisher.Published(0, 3));
        assertThat(client.resources(ScrapeConfig.class).inNamespace("default").withName("lookout-nginxvtstarget-edge").get()).isNull();
        assertThat(client.resources(PrometheusRule.class).inNamespace("default").withName("lookout-nginxvtstarget-edge").get()).isNull();
        assertThat(client.secrets().inNamespace("default").withName("lookout-nginxvtstarget-edge-auth").get()).isNull();
        assertThat(client.resources(ScrapeConfig.class).inNamespace("default").withName("lookout-gpunode-gpu-node-01").get()).isNotNull();
    }

    @Test
    void anObjectThatIsNotLookoutsIsLeftAloneAndBlamesOnlyItsResource() throws Exception {
        client.configMaps().inNamespace("default").resource(new ConfigMapBuilder().withNewMetadata().withName("unrelated")
                .endMetadata().build()).create();
        client.resources(PrometheusRule.class).inNamespace("default").resource(new io.fabric8.openshift.api.model.monitoring.v1
                .PrometheusRuleBuilder().withNewMetadata().withName("lookout-gpunode-gpu-node-01").withNamespace("default")
                .endMetadata().withNewSpec().endSpec().build()).create();
        ObjectKey gpu = new ObjectKey("GpuNode", "default", "gpu-node-01");

        // Its newest version, not published yet: blamed, so that the engine renders its last good version instead.
        assertThatThrownBy(() -> publisher().publish(examples, pending(gpu)))
                .isInstanceOfSatisfying(OutputPublisher.Refused.class, refused -> {
                    assertThat(refused.culprits()).containsExactly(gpu);
                    assertThat(refused.getMessage()).contains("PrometheusRule default/lookout-gpunode-gpu-node-01")
                            .contains("exists and is not");
                });
        // A version that was fine before (the name was taken since): nothing newer to fall back from, so it is retried.
        assertThatThrownBy(() -> publisher().publish(examples, set()))
                .isInstanceOfSatisfying(OutputPublisher.Unreachable.class, retry -> {
                    assertThat(retry.reason()).isEqualTo("ObjectsRefused");
                    assertThat(retry.getMessage()).contains("PrometheusRule default/lookout-gpunode-gpu-node-01");
                });

        assertThat(client.resources(PrometheusRule.class).inNamespace("default").withName("lookout-gpunode-gpu-node-01").get()
                .getSpec().getGroups()).as("the stranger's object untouched").isEmpty();
        assertThat(client.resources(PrometheusRule.class).inNamespace("default").withName("lookout-comfyprobe-comfy").get())
                .as("the others published").isNotNull();
        assertThat(client.configMaps().inNamespace("default").withName("unrelated").get()).isNotNull();
    }

    @Test
    void aRefusedResourceKeepsItsObjectsButOnlyItsOwnNotThoseOfANameItPrefixes() throws Exception {
        ObjectKey gpu = new ObjectKey("GpuNode", "default", "gpu");
        ObjectKey gpu2 = new ObjectKey("GpuNode", "default", "gpu-2");
        MonitoringPublisher publisher = publisher();
        publisher.publish(result(Map.of(gpu, outputs("lookout/gpunode/default/gpu", false),
                gpu2, outputs("lookout/gpunode/default/gpu-2", false))), set());
        // A stranger's object holds the name gpu's rules would take.
        client.resources(PrometheusRule.class).inNamespace("default").resource(new io.fabric8.openshift.api.model.monitoring.v1
                .PrometheusRuleBuilder().withNewMetadata().withName("lookout-gpunode-gpu").withNamespace("default")
                .endMetadata().withNewSpec().endSpec().build()).create();

        // gpu's new version (with rules) is refused; gpu-2 is gone.
        assertThatThrownBy(() -> publisher.publish(result(Map.of(gpu, outputs("lookout/gpunode/default/gpu", true))), pending(gpu)))
                .isInstanceOf(OutputPublisher.Refused.class);

        assertThat(client.resources(ScrapeConfig.class).inNamespace("default").withName("lookout-gpunode-gpu").get())
                .as("the refused resource's objects stay").isNotNull();
        assertThat(client.resources(ScrapeConfig.class).inNamespace("default").withName("lookout-gpunode-gpu-2").get())
                .as("another resource's, whose name only starts like it, go").isNull();
    }

    @Test
    void theClusterPlatformsPruneLeavesTheScrapeAuthSecretAlone() throws Exception {
        publisher().publish(examples, set());
        ObjectKey nginx = new ObjectKey("NginxVtsTarget", "default", "edge");

        // What the cluster platform does when the workload goes (or prunes what it did not make): by its owner label.
        new dev.lookout.kubernetes.platform.KubernetesWorkloads(client, OwnerReferences.NONE).remove(nginx);

        assertThat(client.secrets().inNamespace("default").withName("lookout-nginxvtstarget-edge-auth").get())
                .as("the Secret the ScrapeConfig reads").isNotNull();
    }

    @Test
    void aResourcesSecondJobDoesNotTakeTheNameOfAnotherResourcesFirst() throws Exception {
        ObjectKey web = new ObjectKey("GpuNode", "default", "web");
        ObjectKey web2 = new ObjectKey("GpuNode", "default", "web-2");
        KindOutputs two = outputs("lookout/gpunode/default/web", false);
        KindOutputs both = new KindOutputs(List.of(two.scrapeConfigs().get(0), outputs("lookout/gpunode/default/web-b", false)
                .scrapeConfigs().get(0)), List.of(), new TreeMap<>(), new TreeMap<>(), List.of());

        publisher().publish(result(Map.of(web, both, web2, outputs("lookout/gpunode/default/web-2", false))), set());

        assertThat(client.resources(ScrapeConfig.class).inNamespace("default").list().getItems())
                .extracting(c -> c.getSpec().getJobName())
                .containsExactlyInAnyOrder("lookout/gpunode/default/web", "lookout/gpunode/default/web-b", "lookout/gpunode/default/web-2");
    }

    @Test
    void aResourceCreatedAgainUnderItsNameIsOwedAPublication() throws Exception {
        String[] uid = {"first"};
        OwnerReferences owners = key -> Optional.of(new OwnerReferenceBuilder().withApiVersion("lookout.dev/v1alpha1")
                .withKind(key.kind()).withName(key.name()).withUid(uid[0]).withController(true).build());
        MonitoringPublisher publisher = new MonitoringPublisher(client, config, "monitoring", owners, Set.of());
        publisher.publish(examples, set());
        assertThat(publisher.owed()).isFalse();

        uid[0] = "second"; // deleted and created again between two cycles: the same render
        assertThat(publisher.owed()).isTrue();
        publisher.publish(examples, set());

        assertThat(client.resources(ScrapeConfig.class).inNamespace("default").withName("lookout-gpunode-gpu-node-01").get()
                .getMetadata().getOwnerReferences()).singleElement().satisfies(r -> assertThat(r.getUid()).isEqualTo("second"));
        assertThat(publisher.owed()).isFalse();
    }

    private static KindOutputs outputs(String job, boolean rules) {
        ObjectNode scrape = dev.lookout.prometheus.ScrapeConfigs.job(job);
        scrape.putArray("static_configs").add(dev.lookout.prometheus.ScrapeConfigs.targetGroup(List.of("10.0.0.1:9400"), Map.of()));
        List<ObjectNode> groups = rules ? List.of(dev.lookout.prometheus.ScrapeConfigs.ruleGroup(job, List.of(
                dev.lookout.prometheus.ScrapeConfigs.alert("GpuDown", "up{job=\"" + job + "\"} == 0", "5m", "warning", "down", "down"))))
                : List.of();
        return new KindOutputs(List.of(scrape), groups, new TreeMap<>(), new TreeMap<>(), List.of());
    }

    private static PrometheusRenderer.Result result(Map<ObjectKey, KindOutputs> outputs) {
        dev.lookout.prometheus.OutputTree tree = new dev.lookout.prometheus.OutputTree();
        tree.add(dev.lookout.prometheus.RenderedFile.text("blackbox/blackbox.yml", "modules: {}\n"));
        return new PrometheusRenderer.Result(tree, new TreeMap<>(), new TreeMap<>(outputs));
    }

    /** A cycle in which {@code key}'s newest version is the one being published. */
    private static RenderSet pending(ObjectKey key) {
        return new RenderSet(List.of(new RenderSet.Entry(key, null, "h", true, true, List.of())), Map.of(), Instant.EPOCH);
    }

    @Test
    void anApiServerThatIsGoneIsUnreachableNotARefusal() throws Exception {
        MonitoringPublisher publisher = publisher();
        server.destroy();

        assertThatThrownBy(() -> publisher.publish(examples, set())).isInstanceOf(OutputPublisher.Unreachable.class);
    }

    private int count() {
        int n = 0;
        for (Class<? extends HasMetadata> kind : List.of(Probe.class, ScrapeConfig.class, PrometheusRule.class, ConfigMap.class, Secret.class)) {
            n += client.resources(kind).inAnyNamespace().withLabel("app.kubernetes.io/managed-by", "lookout").list().getItems().size();
        }
        return n;
    }

    private static PrometheusRenderer.Result without(PrometheusRenderer.Result result, ObjectKey key) {
        TreeMap<ObjectKey, KindOutputs> outputs = new TreeMap<>(result.outputs());
        outputs.remove(key);
        return new PrometheusRenderer.Result(result.tree(), result.notes(), outputs);
    }

    private static PrometheusRenderer.Result withInterval(PrometheusRenderer.Result result, ObjectKey key, String interval) {
        TreeMap<ObjectKey, KindOutputs> outputs = new TreeMap<>(result.outputs());
        KindOutputs out = outputs.get(key);
        List<ObjectNode> jobs = new ArrayList<>();
        out.scrapeConfigs().forEach(j -> jobs.add(j.deepCopy().put("scrape_interval", interval)));
        outputs.put(key, new KindOutputs(jobs, out.ruleGroups(), out.blackboxModules(), out.targetFiles(), out.notes(), out.operatorMetrics()));
        return new PrometheusRenderer.Result(result.tree(), result.notes(), outputs);
    }
}
