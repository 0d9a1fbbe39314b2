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

    @Test
    void vtsIsBuiltServedBehindAuthAndScraped(@TempDir Path tmp) throws Exception {
        String source = System.getenv("LOOKOUT_VTS_SOURCE");
        assumeTrue(source != null && Files.exists(Path.of(source)), "LOOKOUT_VTS_SOURCE names no nginx-module-vts source "
                + "(a tarball or folder): its source cannot be downloaded here, so the VTS build is not tested in this run");
        DockerEngine.require();
        String base = NginxImages.base();
        int hostPort;
        try (ServerSocket free = new ServerSocket(0)) {
            hostPort = free.getLocalPort();
        }
        TestNetwork shared = DockerEngine.createNetwork();
        LogCapture log = LogCapture.start();
        Path promDir = Files.createDirectories(tmp.resolve("prometheus"));
        Files.createDirectories(promDir.resolve("blackbox"));
        Files.writeString(promDir.resolve("blackbox/blackbox.yml"), "modules: {}\n");
        Files.createDirectories(promDir.resolve("prometheus/scrape"));
        Files.writeString(promDir.resolve("prometheus.yml"), """
                global: {scrape_interval: 1s, evaluation_interval: 1s}
                scrape_config_files: ["/etc/prometheus/prometheus/scrape/*.yml"]
                """);
        BlackboxContainer blackbox = BlackboxContainer.start(shared, promDir.resolve("blackbox"));
        PrometheusContainer prometheus = PrometheusContainer.start(shared, promDir);
        DirectoryOperator lookout = null;
        String repository = "lookout-test/nginx-vts-" + Long.toHexString(System.nanoTime());
        try {
            OperatorConfig config = new OperatorConfig(null,
                    new OperatorConfig.Prometheus(prometheus.uri().toString(), "/etc/prometheus/prometheus", null, shared.name(), null),
                    new OperatorConfig.Blackbox(blackbox.uri().toString(), blackbox.address(), "/etc/blackbox/blackbox.yml"), null, null);
            Path watch = Files.createDirectories(tmp.resolve("resources"));
            Manifests.write(watch, "secret.yaml", secret("first-password"));
            Files.writeString(watch.resolve("extra.conf"), "location /ping { return 200 \"pong\"; }\n");
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
                    """.formatted(repository, base, Path.of(source).toAbsolutePath(), hostPort));
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
            assertThat(log.text()).contains("built " + repository);

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
            Cleanup.quietly(prometheus, blackbox, shared, log);
            for (String image : DockerEngine.docker("images", "-q", repository).lines().filter(l -> !l.isBlank()).toList()) {
                DockerEngine.run(Duration.ofSeconds(60), "rmi", "-f", image);
            }
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
