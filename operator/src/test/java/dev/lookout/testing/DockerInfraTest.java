package dev.lookout.testing;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import inet.ipaddr.IPAddress;
import inet.ipaddr.IPAddressString;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The container test kit against the real engine: a compose project of two ComfyUI stand-ins on a test network,
 * reached from the host at their addresses there, and the real Prometheus and blackbox in containers on the same
 * network probing one of them by container name.
 */
class DockerInfraTest {
    private static final String PASSWORD = "s3cret";
    private static final Duration HTTP_TIMEOUT = Duration.ofSeconds(5);
    /** Prometheus passes new targets to its scrapers at most every 5 s, then scrapes each second here. */
    private static final Duration SCRAPED_WITHIN = Duration.ofSeconds(60);
    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(2)).build();

    private static TestNetwork network;
    private static ComposeProject comfy;

    @BeforeAll
    static void startComfyReplicas() {
        DockerEngine.require();
        network = DockerEngine.createNetwork();
        comfy = ComposeProject.create(comfyCompose(network));
        comfy.up(Map.of("comfy", 2));
    }

    @AfterAll
    static void stop() {
        // The project first: a network with containers on it cannot be removed.
        if (comfy != null) {
            comfy.close();
        }
        if (network != null) {
            network.close();
        }
    }

    @Test
    void composeRunsTwoReplicasOnTheTestNetwork() {
        assertThat(comfy.ps()).containsExactly(comfy.container("comfy", 1), comfy.container("comfy", 2));
        IPAddress subnet = new IPAddressString(network.subnet()).getAddress();
        for (String replica : comfy.ps()) {
            String ip = DockerEngine.containerIp(replica, network.name());
            assertThat(subnet.contains(new IPAddressString(ip).getAddress())).as(ip + " in " + subnet).isTrue();
        }
    }

    @Test
    void eachReplicaServesTheCheckpointPageOnlyWithBasicAuth() throws IOException, InterruptedException {
        for (String replica : comfy.ps()) {
            URI page = URI.create("http://" + DockerEngine.containerIp(replica, network.name())
                    + ":8188/object_info/CheckpointLoaderSimple");
            Awaitility.await(replica + " listens").atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(100))
                    .ignoreExceptions().until(() -> get(page, null).statusCode() > 0);

            assertThat(get(page, null).statusCode()).isEqualTo(401);
            assertThat(get(page, "admin:wrong").statusCode()).isEqualTo(401);
            HttpResponse<String> ok = get(page, "admin:" + PASSWORD);
            assertThat(ok.statusCode()).isEqualTo(200);
            assertThat(ok.body()).contains("\"CheckpointLoaderSimple\"");
        }
    }

    @Test
    void prometheusScrapesBlackboxProbingAReplicaByNameAndAFakeExporter(@TempDir Path dir) throws IOException {
        String replica = comfy.container("comfy", 1);
        String target = "http://" + replica + ":8188/object_info/CheckpointLoaderSimple";
        Path blackboxDir = Files.createDirectories(dir.resolve("blackbox"));
        Files.writeString(blackboxDir.resolve("blackbox.yml"), """
                modules:
                  comfy:
                    prober: http
                    timeout: 5s
                    http:
                      basic_auth: {username: admin, password: %s}
                      fail_if_body_not_matches_regexp: [CheckpointLoaderSimple]
                  comfy_without_auth:
                    prober: http
                    timeout: 5s
                """.formatted(PASSWORD));
        Path prometheusDir = Files.createDirectories(dir.resolve("prometheus"));
        Files.writeString(prometheusDir.resolve("prometheus.yml"), """
                global: {scrape_interval: 1s, scrape_timeout: 1s}
                scrape_configs:
                  - job_name: comfy
                    metrics_path: /probe
                    params: {module: [comfy]}
                    static_configs: [{targets: ['%1$s']}]
                    relabel_configs: &through_blackbox
                      - {source_labels: [__address__], target_label: __param_target}
                      - {source_labels: [__param_target], target_label: instance}
                      - {target_label: __address__, replacement: '%2$s'}
                  - job_name: comfy_without_auth
                    metrics_path: /probe
                    params: {module: [comfy_without_auth]}
                    static_configs: [{targets: ['%1$s']}]
                    relabel_configs: *through_blackbox
                  - job_name: dcgm
                    static_configs: [{targets: ['dcgm-exporter:9400']}]
                """.formatted(target, BlackboxContainer.ALIAS + ":" + BlackboxContainer.PORT));

        try (TestContainer exporter = TestContainer.builder(TestImages.busybox(), "dcgm")
                        .network(network, "dcgm-exporter").env("METRICS_PORT", "9400")
                        .env("BODY", "# TYPE DCGM_FI_DEV_GPU_UTIL gauge\nDCGM_FI_DEV_GPU_UTIL{gpu=\"0\"} 42\n").start();
                BlackboxContainer blackbox = BlackboxContainer.start(network, blackboxDir);
                PrometheusContainer prometheus = PrometheusContainer.start(network, prometheusDir)) {
            assertThat(prometheus.uri().getHost()).isEqualTo("127.0.0.1");

            prometheus.awaitTrue("probe_success of " + target + " through blackbox",
                    () -> value(prometheus, "probe_success{job=\"comfy\"}") == 1, SCRAPED_WITHIN);
            prometheus.awaitTrue("the probe without credentials fails with 401", () ->
                    value(prometheus, "probe_success{job=\"comfy_without_auth\"}") == 0
                            && value(prometheus, "probe_http_status_code{job=\"comfy_without_auth\"}") == 401,
                    SCRAPED_WITHIN);
            prometheus.awaitTrue("the fake exporter's gauge",
                    () -> value(prometheus, "DCGM_FI_DEV_GPU_UTIL{job=\"dcgm\",gpu=\"0\"}") == 42, SCRAPED_WITHIN);
            assertThat(prometheus.query("probe_success{job=\"comfy\"}").get(0).path("metric").path("instance")
                    .asText()).isEqualTo(target);
        }
    }

    @Test
    void composeScalesStopsKillsAndRestarts() {
        try (ComposeProject project = ComposeProject.create(comfyCompose(network))) {
            project.up();
            String first = project.container("comfy", 1);
            String second = project.container("comfy", 2);
            assertThat(project.ps()).containsExactly(first);

            project.scale("comfy", 2);
            assertThat(project.ps()).containsExactly(first, second);
            assertThat(status(first)).isEqualTo("running");

            project.stop("comfy");
            assertThat(List.of(status(first), status(second))).containsOnly("exited");
            project.start("comfy");
            assertThat(List.of(status(first), status(second))).containsOnly("running");

            project.killContainer(first);
            assertThat(List.of(status(first), status(second))).containsExactly("exited", "running");
            project.restart("comfy");
            assertThat(List.of(status(first), status(second))).containsOnly("running");

            project.scale("comfy", 1);
            assertThat(project.ps()).containsExactly(first);
        }
    }

    /** The stand-in as a compose service, on the test's network rather than on a network of the project's own. */
    private static String comfyCompose(TestNetwork net) {
        return """
                services:
                  comfy:
                    image: %s
                    environment:
                      AUTH_PASSWORD: %s
                networks:
                  default:
                    name: %s
                    external: true
                """.formatted(TestImages.busybox(), PASSWORD, net.name());
    }

    private static String status(String container) {
        return DockerEngine.docker("container", "inspect", "--format", "{{.State.Status}}", container);
    }

    /** The single sample's value of an instant query; NaN while there is none. */
    private static double value(PrometheusContainer prometheus, String promql) {
        List<JsonNode> result = prometheus.query(promql);
        return result.size() == 1 ? result.get(0).path("value").path(1).asDouble() : Double.NaN;
    }

    private static HttpResponse<String> get(URI uri, String credentials) throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(uri).timeout(HTTP_TIMEOUT).GET();
        if (credentials != null) {
            request.header("Authorization", "Basic "
                    + Base64.getEncoder().encodeToString(credentials.getBytes(StandardCharsets.UTF_8)));
        }
        return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }
}
