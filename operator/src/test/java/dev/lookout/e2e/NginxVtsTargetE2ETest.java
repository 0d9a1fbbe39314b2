package dev.lookout.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.lookout.config.OperatorConfig;
import dev.lookout.directory.DirectoryOperator;
import dev.lookout.testing.BlackboxContainer;
import dev.lookout.testing.Cleanup;
import dev.lookout.testing.DockerEngine;
import dev.lookout.testing.LogCapture;
import dev.lookout.testing.Manifests;
import dev.lookout.testing.NginxImages;
import dev.lookout.testing.PrometheusContainer;
import dev.lookout.testing.TestNetwork;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
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
import java.util.concurrent.Callable;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * An NginxVtsTarget the whole way, with nginx-module-vts itself: its source from {@code LOOKOUT_VTS_SOURCE} (a
 * tarball or folder; it cannot be downloaded here, so without it this test is skipped, saying so). Lookout builds the
 * image against the Debian base's nginx, renders nginx.conf (which nginx accepts with the module loaded) and the
 * htpasswd, and runs the container; the status page answers 401 without or with a wrong password and 200 with the
 * right one, serves {@code nginx_vts_server_requests_total}, and Prometheus scrapes it ({@code up == 1}). A rotated
 * password takes over and the old one is refused.
 */
@Timeout(900)
class NginxVtsTargetE2ETest {
    static final Duration WAIT = Duration.ofMinutes(3);
    static final ObjectMapper JSON = new ObjectMapper();
    final HttpClient http = HttpClient.newHttpClient();

    static String secret(String password) {
        return """
                apiVersion: v1
                kind: Secret
                metadata: {name: status-pass}
                stringData: {password: %s}
                """.formatted(password);
    }

    int status(String url, String credentials) throws Exception {
        HttpRequest.Builder r = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(5));
        if (credentials != null) {
            r.header("Authorization", "Basic " + Base64.getEncoder().encodeToString(credentials.getBytes(StandardCharsets.UTF_8)));
        }
        return http.send(r.build(), HttpResponse.BodyHandlers.discarding()).statusCode();
    }

    String body(String url, String credentials) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(url)).header("Authorization", "Basic " + Base64.getEncoder()
                .encodeToString(credentials.getBytes(StandardCharsets.UTF_8))).build(), HttpResponse.BodyHandlers.ofString()).body();
    }

    static void await(String what, Callable<Boolean> condition) {
        Awaitility.await(what).atMost(WAIT).pollInterval(Duration.ofMillis(500)).ignoreExceptions().until(condition);
    }

    /** One repository for the class: the second test finds the image the first one built (same inputs, same tag). */
    static final String REPOSITORY = "lookout-test/nginx-vts-" + Long.toHexString(System.nanoTime());

    /** A Prometheus (rules loaded) and a blackbox on a network of the test's own, as Lookout's outputs feed them. */
    record Stack(TestNetwork shared, LogCapture log, PrometheusContainer prometheus, BlackboxContainer blackbox, Path promDir)
            implements AutoCloseable {
        static Stack start(Path tmp) throws Exception {
            TestNetwork shared = DockerEngine.createNetwork();
            LogCapture log = LogCapture.start();
            Path promDir = Files.createDirectories(tmp.resolve("prometheus"));
            Files.createDirectories(promDir.resolve("blackbox"));
            Files.writeString(promDir.resolve("blackbox/blackbox.yml"), "modules: {}\n");
            Files.createDirectories(promDir.resolve("prometheus/scrape"));
            Files.writeString(promDir.resolve("prometheus.yml"), """
                    global: {scrape_interval: 1s, evaluation_interval: 1s}
                    scrape_config_files: ["/etc/prometheus/prometheus/scrape/*.yml"]
                    rule_files: ["/etc/prometheus/prometheus/rules/*.yml"]
                    """);
            BlackboxContainer blackbox = BlackboxContainer.start(shared, promDir.resolve("blackbox"));
            PrometheusContainer prometheus = PrometheusContainer.start(shared, promDir);
            return new Stack(shared, log, prometheus, blackbox, promDir);
        }

        OperatorConfig config(java.util.Map<String, String> images) {
            return new OperatorConfig(null,
                    new OperatorConfig.Prometheus(prometheus.uri().toString(), "/etc/prometheus/prometheus", null, shared.name(), null),
                    new OperatorConfig.Blackbox(blackbox.uri().toString(), blackbox.address(), "/etc/blackbox/blackbox.yml"), null,
                    images);
        }

        @Override
        public void close() {
            Cleanup.quietly(prometheus, blackbox, shared, log);
        }
    }

    static String vtsSource() {
        String source = System.getenv("LOOKOUT_VTS_SOURCE");
        assumeTrue(source != null && Files.exists(Path.of(source)), "LOOKOUT_VTS_SOURCE names no nginx-module-vts source "
                + "(a tarball or folder): its source cannot be downloaded here, so the VTS build is not tested in this run");
        DockerEngine.require();
        return Path.of(source).toAbsolutePath().toString();
    }

    static int freePort() throws Exception {
        try (ServerSocket free = new ServerSocket(0)) {
            return free.getLocalPort();
        }
    }

    @AfterAll
    static void removeImages() {
        if (System.getenv("LOOKOUT_VTS_SOURCE") != null) { // else nothing was built
            for (String image : DockerEngine.docker("images", "-q", REPOSITORY).lines().filter(l -> !l.isBlank()).distinct().toList()) {
                DockerEngine.run(Duration.ofSeconds(60), "rmi", "-f", image);
            }
        }
    }

    @Test
    void vtsIsBuiltServedBehindAuthAndScraped(@TempDir Path tmp) throws Exception {
        String source = vtsSource();
        String base = NginxImages.base();
        int hostPort = freePort();
        Stack stack = Stack.start(tmp);
        LogCapture log = stack.log();
        PrometheusContainer prometheus = stack.prometheus();
        Path promDir = stack.promDir();
        DirectoryOperator lookout = null;
        String repository = REPOSITORY;
        try {
            OperatorConfig config = stack.config(null);
            Path watch = Files.createDirectories(tmp.resolve("resources"));
            Manifests.write(watch, "secret.yaml", secret("first-password"));
            Files.writeString(watch.resolve("extra.conf"), "location /ping { return 200 \"pong\"; }\n"
                    + "location /boom { return 500 \"boom\"; }\n");
            Manifests.write(watch, "edge.yaml", """
                    apiVersion: lookout.dev/v1alpha1
                    kind: NginxVtsTarget
                    metadata: {name: edge}
                    spec:
                      host: local
                      image: {repository: %s, baseImage: %s, vtsSource: %s}
                      listen: {port: 8080, publish: "127.0.0.1:%d:8080"}
                      includes: [extra.conf]
                      status:
                        path: /status
                        basicAuth: {username: admin, passwordSecretRef: {name: status-pass, key: password}}
                        histogramBuckets: [0.005, 0.05, 0.5, 5]
                      scrape: {interval: 1s}
                      alerts:
                        errorRatio: {threshold: 0.2, for: 2s}
                    """.formatted(repository, base, source, hostPort));
            lookout = DirectoryOperator.start(DirectoryOperator.Options.of(watch, config, null, promDir, tmp.resolve("state"),
                    new InetSocketAddress("127.0.0.1", 0)));
            DirectoryOperator running = lookout;
            await("the edge is Ready", () -> ready(running).path("status").asText().equals("True"));

            String page = "http://127.0.0.1:" + hostPort + "/status/format/prometheus";
            assertThat(status(page, null)).isEqualTo(401);
            assertThat(status(page, "admin:wrong")).isEqualTo(401);
            assertThat(status(page, "admin:first-password")).isEqualTo(200);
            assertThat(body(page, "admin:first-password")).contains("nginx_vts_server_requests_total");
            await("Prometheus scrapes VTS", () -> prometheus.query("up{job=\"lookout/nginxvtstarget/default/edge\"}").stream()
                    .anyMatch(s -> s.path("value").get(1).asText().equals("1")));
            // Built by this test or by the other one (the same inputs make the same tag: the second finds it).
            JsonNode built = resource(running).path("status");
            assertThat(built.path("imageTag").asText()).startsWith(repository + ":vts-0.2.4-");
            assertThat(built.path("imageId").asText()).isEqualTo(DockerEngine.docker("image", "inspect", "--format", "{{.Id}}",
                    built.path("imageTag").asText()));
            assertThat(built.path("nginxVersion").asText()).as("Debian bookworm's nginx").matches("1\\.\\d+\\.\\d+");
            assertThat(built.path("lastBuildDuration").asText()).matches("\\d+s");
            assertThat(built.path("vtsVersion").asText()).isEqualTo("0.2.4");

            // 5xx answers (a bounded burst through the published port) make the error-ratio alert fire.
            assertThat(prometheus.query("ALERTS{alertname=\"NginxHighErrorRatio\"}")).as("nothing failed yet").isEmpty();
            for (int i = 0; i < 40; i++) {
                assertThat(status("http://127.0.0.1:" + hostPort + "/boom", null)).isEqualTo(500);
                status("http://127.0.0.1:" + hostPort + "/ping", null);
            }
            await("NginxHighErrorRatio fires", () -> !prometheus.query(
                    "ALERTS{alertname=\"NginxHighErrorRatio\",alertstate=\"firing\"}").isEmpty());

            String containerId = resource(running).path("status").path("containerId").asText();
            assertThat(containerId).isNotEmpty();
            Manifests.write(watch, "secret.yaml", secret("rotated-password"));
            await("the rotated password takes over", () -> status(page, "admin:rotated-password") == 200);
            assertThat(status(page, "admin:first-password")).isEqualTo(401);
            assertThat(resource(running).path("status").path("containerId").asText()).as("reloaded in place, not recreated")
                    .isEqualTo(containerId);
            // nginx reads an htpasswd per request: the new password works once the file is in; the reload follows it.
            await("the reload in place", () -> log.text().contains("reloaded its configuration in place"));

            // An include nginx rejects: checked before it reaches the nginx that serves, which goes on serving.
            Files.writeString(watch.resolve("extra.conf"), "not_a_directive on;\n");
            await("NginxConfigRejected", () -> ready(running).path("reason").asText().equals("NginxConfigRejected"));
            assertThat(ready(running).path("message").asText()).contains("not_a_directive");
            assertThat(status(page, "admin:rotated-password")).as("the old configuration still serves").isEqualTo(200);
            assertThat(body("http://127.0.0.1:" + hostPort + "/ping", "admin:x")).isEqualTo("pong");
        } finally {
            Cleanup.quietly(lookout);
            // Lookout leaves what it runs when it stops (by design): the test removes its nginx itself.
            DockerEngine.run(Duration.ofSeconds(30), "rm", "-f", "lookout-nginx-default_edge");
            Cleanup.quietly(stack);
        }
    }

    /**
     * exporter.mode sidecar with the real nginx-vts-exporter, from {@code LOOKOUT_VTS_EXPORTER_IMAGE} (an image on the
     * local engine configured like sophos/nginx-vts-exporter's, by {@code NGINX_STATUS}; none can be pulled here, so
     * without it this test is skipped, saying so): it runs in nginx's network and reads the status page nginx serves on
     * 127.0.0.1 only, so no password is given to it; Prometheus scrapes its {@code nginx_server_requests}; neither
     * container shows the password in {@code docker inspect}; the public status page still wants it.
     */
    @Test
    void sidecarModeFeedsTheExportersNamesWithoutItsPassword(@TempDir Path tmp) throws Exception {
        String source = vtsSource();
        String exporter = System.getenv("LOOKOUT_VTS_EXPORTER_IMAGE");
        assumeTrue(exporter != null && DockerEngine.run(Duration.ofSeconds(30), "image", "inspect", exporter).exit() == 0,
                "LOOKOUT_VTS_EXPORTER_IMAGE names no local nginx-vts-exporter image (none can be pulled here), so sidecar mode"
                        + " is not tested with the real exporter in this run");
        int hostPort = freePort();
        DirectoryOperator lookout = null;
        try (Stack stack = Stack.start(tmp)) {
            Path watch = Files.createDirectories(tmp.resolve("resources"));
            Manifests.write(watch, "secret.yaml", secret("sidecar-password"));
            Manifests.write(watch, "classic.yaml", """
                    apiVersion: lookout.dev/v1alpha1
                    kind: NginxVtsTarget
                    metadata: {name: classic}
                    spec:
                      host: local
                      image: {repository: %s, baseImage: %s, vtsSource: %s}
                      listen: {port: 8080, publish: "127.0.0.1:%d:8080"}
                      status:
                        path: /status
                        basicAuth: {username: admin, passwordSecretRef: {name: status-pass, key: password}}
                      exporter: {mode: sidecar}
                      scrape: {interval: 1s}
                    """.formatted(REPOSITORY, NginxImages.base(), source, hostPort));
            lookout = DirectoryOperator.start(DirectoryOperator.Options.of(watch,
                    stack.config(java.util.Map.of("nginx-vts-exporter", exporter)), null, stack.promDir(), tmp.resolve("state"),
                    new InetSocketAddress("127.0.0.1", 0)));
            DirectoryOperator running = lookout;
            await("the classic target is Ready", () -> ready(running).path("status").asText().equals("True"));

            String job = "lookout/nginxvtstarget/default/classic";
            await("Prometheus scrapes the exporter", () -> stack.prometheus().query("up{job=\"" + job + "\"}").stream()
                    .anyMatch(s -> s.path("value").get(1).asText().equals("1")));
            status("http://127.0.0.1:" + hostPort + "/", null); // a request VTS counts
            await("the exporter's names reach Prometheus", () -> !stack.prometheus()
                    .query("nginx_server_requests{job=\"" + job + "\"}").isEmpty());

            String page = "http://127.0.0.1:" + hostPort + "/status/format/json";
            assertThat(status(page, null)).as("the public status page still wants the password").isEqualTo(401);
            assertThat(status(page, "admin:sidecar-password")).isEqualTo(200);
            String nginxId = DockerEngine.docker("container", "inspect", "--format", "{{.Id}}", "lookout-nginx-default_classic");
            assertThat(DockerEngine.docker("container", "inspect", "--format", "{{.HostConfig.NetworkMode}}",
                    "lookout-nginx-vts-exporter-default_classic")).isEqualTo("container:" + nginxId);
            String inspected = DockerEngine.docker("container", "inspect", "lookout-nginx-default_classic",
                    "lookout-nginx-vts-exporter-default_classic");
            assertThat(inspected).contains("NGINX_STATUS=http://127.0.0.1:9912/status/format/json")
                    .doesNotContain("sidecar-password");
        } finally {
            Cleanup.quietly(lookout);
            DockerEngine.run(Duration.ofSeconds(30), "rm", "-f", "lookout-nginx-default_classic",
                    "lookout-nginx-vts-exporter-default_classic");
        }
    }

    static JsonNode resource(DirectoryOperator lookout) {
        return lookout.engine().table().objects(JSON).stream().filter(o -> o.path("kind").asText().equals("NginxVtsTarget"))
                .findFirst().orElseThrow();
    }

    static JsonNode ready(DirectoryOperator lookout) {
        for (JsonNode c : resource(lookout).path("status").path("conditions")) {
            if (c.path("type").asText().equals("Ready")) {
                return c;
            }
        }
        return JSON.missingNode();
    }
}
