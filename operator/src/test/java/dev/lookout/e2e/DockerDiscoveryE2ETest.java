package dev.lookout.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.lookout.config.OperatorConfig;
import dev.lookout.directory.DirectoryOperator;
import dev.lookout.testing.BlackboxContainer;
import dev.lookout.testing.Cleanup;
import dev.lookout.testing.ComposeProject;
import dev.lookout.testing.DockerEngine;
import dev.lookout.testing.Manifests;
import dev.lookout.testing.PrometheusContainer;
import dev.lookout.testing.TestImages;
import dev.lookout.testing.TestNetwork;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * ComfyProbe discovery on the real Docker engine: compose projects made by the real {@code docker compose}, a
 * ComfyUI stand-in (busybox httpd behind basic auth) in their containers, and the real Prometheus and
 * blackbox-exporter in containers on a network the test created, which Lookout is told is the shared network.
 * Targets and restart counts are asserted in the files Lookout writes, on its /metrics, and in Prometheus.
 * Lookout's HTTP listens on that network's gateway, so Prometheus scrapes its restart counts for real.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class DockerDiscoveryE2ETest {
    static final Duration WAIT = Duration.ofSeconds(60);
    static final String PASSWORD = "comfy-s3cret";
    static final ObjectMapper JSON = new ObjectMapper();

    TestNetwork shared;
    PrometheusContainer prometheus;
    BlackboxContainer blackbox;
    ComposeProject flux;
    ComposeProject lonely;
    ComposeProject heal;
    DirectoryOperator lookout;
    Path watch;
    Path out;
    String metricsAddress;
    DirectoryOperator.Options options;

    @BeforeAll
    void start(@TempDir Path tmp) throws Exception {
        DockerEngine.require();
        shared = DockerEngine.createNetwork();
        Path promDir = Files.createDirectories(tmp.resolve("prometheus"));
        out = promDir; // Lookout writes prometheus/ and blackbox/ under it; Prometheus sees it as /etc/prometheus
        Files.createDirectories(out.resolve("blackbox"));
        Files.writeString(out.resolve("blackbox/blackbox.yml"), "modules:\n  http_2xx:\n    prober: http\n");
        Files.createDirectories(out.resolve("prometheus/scrape"));
        Files.createDirectories(out.resolve("prometheus/rules"));
        Files.writeString(promDir.resolve("prometheus.yml"), """
                global:
                  scrape_interval: 1s
                  evaluation_interval: 1s
                scrape_config_files: ["/etc/prometheus/prometheus/scrape/*.yml"]
                rule_files: ["/etc/prometheus/prometheus/rules/*.yml"]
                """);
        blackbox = BlackboxContainer.start(shared, out.resolve("blackbox"));
        prometheus = PrometheusContainer.start(shared, promDir);
        int port;
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getByName(shared.gateway()))) {
            port = s.getLocalPort();
        }
        metricsAddress = shared.gateway() + ":" + port;
        OperatorConfig config = new OperatorConfig(null,
                new OperatorConfig.Prometheus(prometheus.uri().toString(), "/etc/prometheus/prometheus", null, shared.name(), null),
                new OperatorConfig.Blackbox(blackbox.uri().toString(), blackbox.address(), "/etc/blackbox/blackbox.yml"),
                new OperatorConfig.Lookout(metricsAddress), null);
        watch = Files.createDirectories(tmp.resolve("resources"));
        Manifests.write(watch, "secret.yaml", """
                apiVersion: v1
                kind: Secret
                metadata: {name: comfy-pass}
                stringData: {password: %s}
                """.formatted(PASSWORD));
        options = DirectoryOperator.Options.of(watch, config, null, out, tmp.resolve("state"),
                new InetSocketAddress(shared.gateway(), port));
        lookout = DirectoryOperator.start(options);
        flux = ComposeProject.create(composeFile(shared.name(), true));
        lonely = ComposeProject.create(composeFile(shared.name(), false));
        heal = ComposeProject.create(composeFile(shared.name(), true));
    }

    /** A ComfyUI stand-in service that restarts on failure, on the shared network or only on its project's own. */
    static String composeFile(String sharedNetwork, boolean onShared) {
        return """
                services:
                  comfy:
                    image: %s
                    restart: always
                    environment: {AUTH_PASSWORD: %s}
                %s""".formatted(TestImages.busybox(), PASSWORD, onShared ? """
                    networks: [shared]
                networks:
                  shared: {external: true, name: %s}
                """.formatted(sharedNetwork) : "");
    }

    static String probe(String name, String project) {
        return """
                apiVersion: lookout.dev/v1alpha1
                kind: ComfyProbe
                metadata: {name: %s}
                spec:
                  discover:
                    docker: {host: local, composeProjects: [%s], port: 8188, scheme: http}
                  http:
                    bodyMustMatch: [CheckpointLoaderSimple]
                    basicAuth: {username: admin, passwordSecretRef: {name: comfy-pass, key: password}}
                  interval: 1s
                  timeout: 1s
                  restarts: {alertAfter: 1, window: 5m}
                """.formatted(name, project);
    }

    @AfterAll
    void stop() throws Exception {
        Cleanup.quietly(lookout, flux, lonely, heal, prometheus, blackbox, shared);
    }

    private List<String> targetsInFile(String probe) throws IOException {
        Path file = out.resolve("prometheus/targets/comfyprobe.default." + probe + ".json");
        if (!Files.exists(file)) {
            return List.of();
        }
        List<String> targets = new java.util.ArrayList<>();
        for (JsonNode group : JSON.readTree(file.toFile())) {
            group.path("targets").forEach(t -> targets.add(t.asText()));
        }
        return targets;
    }

    private String target(String container) {
        return "http://" + container + ":8188/object_info/CheckpointLoaderSimple";
    }

    private ObjectNode resource(String name) {
        return lookout.engine().table().objects(JSON).stream()
                .filter(o -> o.path("metadata").path("name").asText().equals(name)).findFirst().orElseThrow();
    }

    private JsonNode ready(String name) {
        return resource(name).path("status").path("conditions").get(0);
    }

    private String lookoutMetrics() throws Exception {
        HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://" + metricsAddress + "/metrics"))
                .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString());
        return r.body();
    }

    private void await(String what, Callable<Boolean> condition) {
        prometheus.awaitTrue(what, condition, WAIT);
    }

    private double promValue(String promql) {
        List<JsonNode> result = prometheus.query(promql);
        return result.isEmpty() ? Double.NaN : result.get(0).path("value").get(1).asDouble();
    }

    @Test
    @Order(1)
    void composeContainersBecomeTargetsByNameAndAreProbedThroughBlackbox() throws Exception {
        flux.up(Map.of("comfy", 2));
        Manifests.write(watch, "flux.yaml", probe("flux", flux.name()));
        String c1 = flux.container("comfy", 1);
        String c2 = flux.container("comfy", 2);
        await("both replicas are targets in the file", () -> targetsInFile("flux").equals(List.of(target(c1), target(c2))));
        await("Ready", () -> ready("flux").path("status").asText().equals("True"));
        assertThat(resource("flux").path("status").path("targetCount").asInt()).isEqualTo(2);
        await("blackbox probes both through Prometheus: probe_success 1",
                () -> promValue("count(probe_success{job=\"lookout/comfyprobe/default/flux\"} == 1)") == 2.0);
        JsonNode series = prometheus.query("probe_success{container=\"" + c1 + "\"}").get(0).path("metric");
        assertThat(series.path("compose_project").asText()).isEqualTo(flux.name());
        assertThat(series.path("compose_service").asText()).isEqualTo("comfy");
    }

    @Test
    @Order(2)
    void scalingAndStoppingMoveTheTargets() throws Exception {
        flux.scale("comfy", 3);
        String c3 = flux.container("comfy", 3);
        await("the third replica is a target", () -> targetsInFile("flux").contains(target(c3)));
        // docker restart stops it (exited) and starts it again: the target stays in the file throughout, so
        // Prometheus goes on probing it instead of waiting for its discovery tick to add it back.
        java.util.concurrent.CompletableFuture<String> restart = java.util.concurrent.CompletableFuture.supplyAsync(
                () -> DockerEngine.docker("restart", "-t", "1", c3));
        int looks = 0;
        while (!restart.isDone()) {
            assertThat(targetsInFile("flux")).as("while docker restart runs").contains(target(c3));
            looks++;
            Thread.sleep(20);
        }
        restart.join();
        assertThat(looks).as("the file was looked at while the restart ran").isPositive();
        assertThat(targetsInFile("flux")).contains(target(c3));
        flux.stopContainer(c3);
        await("a stopped container is no target once the restart grace is over", () -> !targetsInFile("flux").contains(target(c3)));
        assertThat(targetsInFile("flux")).hasSize(2);
        flux.startContainer(c3);
        await("started again, it is a target again", () -> targetsInFile("flux").contains(target(c3)));
        flux.killContainer(c3);
        await("a killed container is no target", () -> !targetsInFile("flux").contains(target(c3)));
        flux.scale("comfy", 2);
    }

    @Test
    @Order(3)
    void aKilledContainerThatRestartsIsCountedAndTheAlertFires() throws Exception {
        String c1 = flux.container("comfy", 1);
        String metric = "lookout_container_restarts_total{container=\"" + c1 + "\",probe=\"default/flux\"}";
        await("Prometheus scrapes Lookout's /metrics", () -> promValue("up{job=\"lookout/operator\"}") == 1.0);
        try {
            await("Prometheus scrapes Lookout's restart count", () -> promValue(metric.replace("}", ",job=\"lookout/operator\"}")) == 0.0);
        } catch (AssertionError e) {
            throw new AssertionError(e.getMessage() + "\n--- Lookout's /metrics ---\n" + lookoutMetrics().lines()
                    .filter(l -> l.contains("restarts")).collect(java.util.stream.Collectors.joining("\n")), e);
        }
        // ComfyUI crashing: its process ends by itself, so `restart: always` brings it back and Docker counts it.
        // (`docker kill` would not do: Docker takes it as a manual stop and leaves the container down.)
        // The exec itself may die with the container (exit 137): what counts is that the container went down.
        DockerEngine.run(Duration.ofSeconds(30), "exec", c1, "/bin/busybox", "kill", "1");
        try {
            await("Lookout counts the restart", () -> lookoutMetrics().contains(metric + " 1.0"));
        } catch (AssertionError e) {
            throw new AssertionError(e.getMessage() + "\n--- Lookout's /metrics ---\n" + lookoutMetrics().lines()
                    .filter(l -> l.contains("restarts")).collect(java.util.stream.Collectors.joining("\n"))
                    + "\n" + DockerEngine.docker("inspect", "-f", "{{.RestartCount}} {{.State.StartedAt}} {{.State.Status}}", c1), e);
        }
        await("ComfyUIRestarting fires for that container",
                () -> promValue("ALERTS{alertname=\"ComfyUIRestarting\",container=\"" + c1 + "\",alertstate=\"firing\"}") == 1.0);
    }

    @Test
    @Order(4)
    void aContainerOffTheSharedNetworkIsReportedNotDropped() throws Exception {
        lonely.up();
        Manifests.write(watch, "lonely.yaml", probe("lonely", lonely.name()));
        await("the probe says which container cannot be reached", () -> ready("lonely").path("reason").asText().equals("TargetsUnreachable"));
        assertThat(ready("lonely").path("message").asText()).contains(lonely.container("comfy", 1), "not on " + shared.name());
        assertThat(targetsInFile("lonely")).isEmpty();
    }

    @Test
    @Order(5)
    void aContainerWhoseProbeKeepsFailingIsRestartedOnce() throws Exception {
        heal.up();
        String c = heal.container("comfy", 1);
        Manifests.write(watch, "heal.yaml", probe("heal", heal.name()) + "  remediation: {restartAfter: 4s}\n");
        await("probed fine", () -> promValue("probe_success{container=\"" + c + "\"}") == 1.0);
        String startedBefore = DockerEngine.docker("inspect", "-f", "{{.State.StartedAt}}", c);
        // ComfyUI wedged: it answers, but no longer lists its nodes. Its entrypoint writes the page afresh at start.
        DockerEngine.docker("exec", c, "/bin/sh", "-c", "echo '{}' > /www/object_info/CheckpointLoaderSimple");
        await("probe_success 0", () -> promValue("probe_success{container=\"" + c + "\"}") == 0.0);
        String remediated = "lookout_remediation_restarts_total{container=\"" + c + "\",probe=\"default/heal\"} 1.0";
        await("Lookout restarted it once its probe had failed for 4s", () -> lookoutMetrics().contains(remediated));
        assertThat(DockerEngine.docker("inspect", "-f", "{{.State.StartedAt}}", c)).isNotEqualTo(startedBefore);
        await("healthy again after the restart", () -> promValue("probe_success{container=\"" + c + "\"}") == 1.0);
        assertThat(lookoutMetrics()).contains(remediated); // once: the window (5m) has not passed

        // Lookout restarted (an upgrade) within the window, and the container wedges again: "at most once per
        // window" still holds, because the restart Lookout did is in its state folder, not only in its memory.
        lookout.close();
        lookout = DirectoryOperator.start(options);
        String startedAfter = DockerEngine.docker("inspect", "-f", "{{.State.StartedAt}}", c);
        DockerEngine.docker("exec", c, "/bin/sh", "-c", "echo '{}' > /www/object_info/CheckpointLoaderSimple");
        Callable<Boolean> restartedAgain = () -> !DockerEngine.docker("inspect", "-f", "{{.State.StartedAt}}", c)
                .equals(startedAfter);
        await("failed for longer than restartAfter again (or restarted)", () -> restartedAgain.call()
                || promValue("max_over_time(probe_success{container=\"" + c + "\"}[6s]) == 0") == 0.0);
        Thread.sleep(3000); // three more checks (the probe interval is 1 s)
        assertThat(DockerEngine.docker("inspect", "-f", "{{.State.StartedAt}}", c)).as("not restarted a second time")
                .isEqualTo(startedAfter);
        assertThat(lookoutMetrics()).doesNotContain("lookout_remediation_restarts_total{container=\"" + c);
    }
}
