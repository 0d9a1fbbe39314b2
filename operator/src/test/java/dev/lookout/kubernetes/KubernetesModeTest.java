package dev.lookout.kubernetes;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static dev.lookout.scenarios.ReconcileScenarios.job;
import static dev.lookout.scenarios.ReconcileScenarios.probe;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.lookout.config.OperatorConfig;
import dev.lookout.docker.DockerSettings;
import dev.lookout.engine.Engine;
import dev.lookout.reload.ToolProcess;
import dev.lookout.render.PrometheusRenderer;
import dev.lookout.runtime.OperatorCore;
import dev.lookout.testing.BlackboxProcess;
import dev.lookout.testing.Cleanup;
import dev.lookout.testing.CrdApiServer;
import dev.lookout.testing.Manifests;
import dev.lookout.testing.OutputFolders;
import dev.lookout.testing.PrometheusProcess;
import dev.lookout.testing.Tools;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code lookout run --kubernetes} against a real API server ({@link CrdApiServer}: CRDs and custom resources, no
 * Pods or Secrets), a real Prometheus and a real blackbox_exporter on 127.0.0.1. Resources go in with kubectl and
 * their status is read back with kubectl; the outputs are read back from Prometheus's API and checked with promtool.
 * Each test uses resources of its own names; the restart test runs last, over what the others left.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class KubernetesModeTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    Path tmp;
    OutputFolders folders;
    CrdApiServer server;
    PrometheusProcess prometheus;
    BlackboxProcess blackbox;
    KubernetesOperator lookout;
    OperatorConfig config;

    @BeforeAll
    void startStack(@TempDir Path tmp) throws IOException {
        this.tmp = tmp;
        Tools.require(Tools.prometheus(), "prometheus");
        Tools.require(Tools.blackbox(), "blackbox_exporter");
        server = CrdApiServer.start();
        succeeded(server.kubectl("apply", "-f", Manifests.REPO.resolve("crds").toString()));
        succeeded(server.kubectl("wait", "--for=condition=Established", "--timeout=60s", "crd", "--all"));
        folders = OutputFolders.create(tmp);
        prometheus = PrometheusProcess.start(folders.prometheusConfig());
        blackbox = BlackboxProcess.start(folders.blackboxConfig());
        config = folders.config(prometheus, blackbox);
        lookout = start("state-1");
    }

    private KubernetesOperator start(String stateDir) throws IOException {
        OperatorCore.Parts parts = new OperatorCore.Parts(config, null, folders.out(), tmp.resolve(stateDir),
                new InetSocketAddress("127.0.0.1", 0), null, true, true, new PrometheusRenderer()::render,
                Engine.Settings.DEFAULT, DockerSettings.defaults());
        return KubernetesOperator.start(new KubernetesOperator.Options(parts, server.kubeconfig()));
    }

    @AfterAll
    void stopStack() {
        Cleanup.quietly(lookout);
        Cleanup.quietly(blackbox);
        Cleanup.quietly(prometheus);
        Cleanup.quietly(server);
    }

    @Test
    @Order(1)
    void aCreatedProbeIsRenderedReloadedAndReadyThroughTheStatusSubresource() {
        succeeded(server.apply(probe("created", "7s", "")));

        JsonNode ready = awaitReady("created", 1);
        assertThat(ready.path("status").path("observedGeneration").asLong()).isEqualTo(1);
        prometheus.awaitTrue("job of the new probe", () -> prometheus.scrapePools().contains(job("created")), WAIT);
        assertThat(folders.out().resolve("prometheus/scrape/comfyprobe.default.created.yml")).isRegularFile();
        assertThat(servedInterval("created")).isEqualTo("7s");
        // It owns nothing outside Kubernetes (outputs only): no finalizer holds its deletion.
        assertThat(ready.path("metadata").path("finalizers")).isEmpty();
        // The status came through the status subresource: a request for it alone returns it.
        JsonNode viaSubresource = json("get", "comfyprobe", "created", "--subresource=status");
        assertThat(viaSubresource.path("status").path("conditions")).isNotEmpty();
    }

    @Test
    @Order(2)
    void anEditReachesPrometheusAndObservedGenerationFollowsGeneration() {
        succeeded(server.apply(probe("edited", "7s", "")));
        awaitReady("edited", 1);

        succeeded(server.apply(probe("edited", "9s", "")));

        JsonNode after = awaitReady("edited", 2);
        assertThat(after.path("metadata").path("generation").asLong()).isEqualTo(2);
        prometheus.awaitTrue("new interval served", () -> "9s".equals(servedInterval("edited")), WAIT);
    }

    @Test
    @Order(3)
    void aResourceTheSchemaAcceptsButLookoutRefusesSaysInvalidSpecWhileAnotherReconciles() {
        // The CRD types bodyMustMatch as strings; only Lookout knows blackbox runs RE2, which has no look-behind.
        succeeded(server.apply(probe("bad-regex", "7s", """
                  http:
                    bodyMustMatch: ["(?<=Checkpoint)LoaderSimple"]
                """)));
        succeeded(server.apply(probe("good-neighbour", "7s", "")));

        await().atMost(WAIT).untilAsserted(() -> {
            JsonNode ready = readyCondition(json("get", "comfyprobe", "bad-regex"));
            assertThat(ready.path("status").asText()).isEqualTo("False");
            assertThat(ready.path("reason").asText()).isEqualTo("InvalidSpec");
            assertThat(ready.path("message").asText()).contains("spec.http.bodyMustMatch[0]").contains("RE2");
        });
        awaitReady("good-neighbour", 1);
        prometheus.awaitTrue("the valid neighbour is served", () -> prometheus.scrapePools().contains(job("good-neighbour")), WAIT);
        assertThat(prometheus.scrapePools()).doesNotContain(job("bad-regex"));
        assertThat(folders.out().resolve("prometheus/scrape/comfyprobe.default.bad-regex.yml")).doesNotExist();
    }

    @Test
    @Order(4)
    void aDeletedProbeLeavesTheOutputsAndPrometheus() {
        succeeded(server.apply(probe("deleted", "7s", "")));
        awaitReady("deleted", 1);
        prometheus.awaitTrue("job present", () -> prometheus.scrapePools().contains(job("deleted")), WAIT);

        succeeded(server.kubectl("delete", "comfyprobe", "deleted", "--wait=true", "--timeout=30s"));

        prometheus.awaitTrue("job gone", () -> !prometheus.scrapePools().contains(job("deleted")), WAIT);
        assertThat(folders.out().resolve("prometheus/scrape/comfyprobe.default.deleted.yml")).doesNotExist();
        assertThat(json("get", "comfyprobe", "deleted", "--ignore-not-found").isMissingNode()).isTrue();
    }

    @Test
    @Order(5)
    void aKindThatRunsContainersHasAFinalizerThatItsCleanupReleases() {
        // GpuNode runs dcgm-exporter on a Docker host: its deletion must wait for the containers to go. This one is
        // invalid (an image reference Docker refuses; the schema only says string), so nothing is started.
        succeeded(server.apply("""
                apiVersion: lookout.dev/v1alpha1
                kind: GpuNode
                metadata:
                  name: held
                spec:
                  host: local
                  exporter:
                    image: "Not/An Image:!"
                """));
        await().atMost(WAIT).untilAsserted(() -> {
            JsonNode node = json("get", "gpunode", "held");
            assertThat(node.path("metadata").path("finalizers").toString()).contains("gpunodes");
            assertThat(readyCondition(node).path("reason").asText()).isEqualTo("InvalidSpec");
        });

        succeeded(server.kubectl("delete", "gpunode", "held", "--wait=true", "--timeout=30s"));

        assertThat(json("get", "gpunode", "held", "--ignore-not-found").isMissingNode()).as("the finalizer was removed").isTrue();
    }

    @Test
    @Order(6)
    void theOutputsPassPromtoolAndTheHttpEndpointsAnswer() throws Exception {
        Path promtool = Tools.require(Tools.promtool(), "promtool");
        ToolProcess.Result config = Tools.run(List.of(promtool.toString(), "check", "config", folders.prometheusConfig().toString()),
                WAIT);
        assertThat(config.exit()).as(config.output()).isZero();
        List<String> rules = new ArrayList<>(List.of(promtool.toString(), "check", "rules"));
        try (Stream<Path> files = Files.list(folders.out().resolve("prometheus/rules"))) {
            files.map(Path::toString).sorted().forEach(rules::add);
        }
        assertThat(rules).as("the probes render alert rules").hasSizeGreaterThan(3);
        ToolProcess.Result ruleCheck = Tools.run(rules, WAIT);
        assertThat(ruleCheck.exit()).as(ruleCheck.output()).isZero();

        assertThat(get("/healthz").statusCode()).isEqualTo(200);
        await().atMost(WAIT).until(() -> get("/readyz").statusCode() == 200);
        assertThat(get("/metrics").body()).contains("lookout_reconcile_total").contains("kind=\"ComfyProbe\"")
                .as("java-operator-sdk's own meters, per controller").contains("operator_sdk_reconciliations_started_total")
                .contains("comfyprobes");
    }

    @Test
    @Order(7)
    void aRestartWritesNoStatusAndTheRestartedOperatorStillWrites() throws Exception {
        Map<String, String> before = resourceVersions();
        assertThat(before).containsKeys("created", "edited", "bad-regex", "good-neighbour");
        lookout.close();
        lookout = null;

        // A fresh state folder: nothing remembered but what the API server holds (a pod rescheduled elsewhere).
        lookout = start("state-2");
        await().atMost(WAIT).until(() -> reconciled("ComfyProbe") >= before.size());
        assertThat(lookout.awaitQuiet(WAIT)).isTrue();

        assertThat(resourceVersions()).isEqualTo(before);
        // The same operator does write when something changes: the check above could have failed.
        succeeded(server.apply(probe("created", "11s", "")));
        awaitReady("created", 2);
        assertThat(resourceVersions().get("created")).isNotEqualTo(before.get("created"));
    }

    private double reconciled(String kind) throws Exception {
        double total = 0;
        for (String line : get("/metrics").body().lines().toList()) {
            if (line.startsWith("lookout_reconcile_total{") && line.contains("kind=\"" + kind + "\"") && line.contains("result=\"success\"")) {
                total += Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
            }
        }
        return total;
    }

    private Map<String, String> resourceVersions() {
        Map<String, String> versions = new HashMap<>();
        json("get", "comfyprobes").path("items").forEach(item -> versions.put(item.path("metadata").path("name").asText(),
                item.path("metadata").path("resourceVersion").asText()));
        return versions;
    }

    private HttpResponse<String> get(String path) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + lookout.httpPort() + path))
                .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private String servedInterval(String name) {
        return prometheus.activeTargets().stream().filter(t -> t.path("scrapePool").asText().equals(job(name)))
                .map(t -> t.path("scrapeInterval").asText()).findFirst().orElse("");
    }

    /** Waits for Ready=True (reason Applied) with observedGeneration equal to {@code generation}; returns the object. */
    private JsonNode awaitReady(String name, long generation) {
        return await().atMost(WAIT).until(() -> json("get", "comfyprobe", name), o -> {
            JsonNode ready = readyCondition(o);
            return o.path("metadata").path("generation").asLong() == generation
                    && o.path("status").path("observedGeneration").asLong() == generation
                    && "True".equals(ready.path("status").asText()) && "Applied".equals(ready.path("reason").asText());
        });
    }

    private static JsonNode readyCondition(JsonNode object) {
        for (JsonNode c : object.path("status").path("conditions")) {
            if ("Ready".equals(c.path("type").asText())) {
                return c;
            }
        }
        return JSON.missingNode();
    }

    private JsonNode json(String... getArgs) {
        return server.json(getArgs);
    }

    private String succeeded(ToolProcess.Result result) {
        return server.succeeded(result);
    }
}
