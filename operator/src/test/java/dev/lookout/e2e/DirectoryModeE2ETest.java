package dev.lookout.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpServer;
import dev.lookout.config.OperatorConfig;
import dev.lookout.directory.DirectoryOperator;
import dev.lookout.prometheus.TreeSurgery;
import dev.lookout.reload.PrometheusClient;
import dev.lookout.render.PrometheusRenderer;
import dev.lookout.testing.BlackboxProcess;
import dev.lookout.testing.Manifests;
import dev.lookout.testing.OutputFolders;
import dev.lookout.testing.PrometheusProcess;
import dev.lookout.testing.Tools;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code lookout run} on a folder against a real Prometheus 3 and a real blackbox_exporter on 127.0.0.1:
 * every assertion is read back from Prometheus's own HTTP API (or blackbox's), not from Lookout.
 * The renderer is wrapped only to let one test plant an output that Prometheus refuses, with Lookout's own
 * checks and promtool switched off so that it gets that far.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class DirectoryModeE2ETest {
    static final Duration WAIT = Duration.ofSeconds(20);
    static final String PASSWORD = "s3cret-from-a-Secret";

    Path tmp;
    Path watch;
    Path out;
    PrometheusProcess prometheus;
    BlackboxProcess blackbox;
    DirectoryOperator lookout;
    HttpServer comfy;
    final AtomicReference<String> comfyBody = new AtomicReference<>("{\"CheckpointLoaderSimple\": {\"input\": {}}}");

    @BeforeAll
    void startStack(@TempDir Path tmp) throws IOException {
        this.tmp = tmp;
        Tools.require(Tools.prometheus(), "prometheus");
        Tools.require(Tools.blackbox(), "blackbox_exporter");
        watch = Files.createDirectories(tmp.resolve("resources"));
        OutputFolders folders = OutputFolders.create(tmp);
        out = folders.out();
        prometheus = PrometheusProcess.start(folders.prometheusConfig());
        blackbox = BlackboxProcess.start(folders.blackboxConfig());
        comfy = comfyLikeServer();
        OperatorConfig config = folders.config(prometheus, blackbox);
        PrometheusRenderer real = new PrometheusRenderer();
        DirectoryOperator.Options options = DirectoryOperator.Options.of(watch, config, null, out, tmp.resolve("state"),
                        new InetSocketAddress("127.0.0.1", 0))
                .withRenderer(input -> poisoned(real.render(input)))
                .withoutChecks(); // so the planted output reaches Prometheus; the checks have their own tests
        lookout = DirectoryOperator.start(options);
    }

    /** Plants, for a resource named "poison" only, a scrape interval Prometheus refuses and Lookout's checks would catch. */
    private static PrometheusRenderer.Result poisoned(PrometheusRenderer.Result result) {
        String path = "prometheus/scrape/comfyprobe.default.poison.yml";
        return new PrometheusRenderer.Result(TreeSurgery.editText(result.tree(), path,
                text -> text.replace("scrape_interval: 7s", "scrape_interval: 7parsecs")), result.notes());
    }

    private HttpServer comfyLikeServer() throws IOException {
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        String expected = "Basic " + Base64.getEncoder().encodeToString(("admin:" + PASSWORD).getBytes(StandardCharsets.UTF_8));
        server.createContext("/object_info/CheckpointLoaderSimple", exchange -> {
            boolean authorized = expected.equals(exchange.getRequestHeaders().getFirst("Authorization"));
            byte[] body = (authorized ? comfyBody.get() : "unauthorized").getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(authorized ? 200 : 401, body.length);
            try (OutputStream os = exchange.getResponseBody()) {
                os.write(body);
            }
        });
        server.start();
        return server;
    }

    @AfterAll
    void stopStack() throws Exception {
        for (AutoCloseable c : new AutoCloseable[] {lookout, blackbox, prometheus}) {
            if (c != null) {
                c.close();
            }
        }
        if (comfy != null) {
            comfy.stop(0);
        }
    }

    static String probe(String name, String interval, String url) {
        return """
                apiVersion: lookout.dev/v1alpha1
                kind: ComfyProbe
                metadata:
                  name: %s
                spec:
                  targets:
                    - url: %s
                  interval: %s
                  timeout: 1s
                """.formatted(name, url, interval);
    }

    static String job(String name) {
        return "lookout/comfyprobe/default/" + name;
    }

    /**
     * The active target Prometheus runs for a job (from /api/v1/targets, which carries the scrape interval in
     * force): /api/v1/status/config shows only prometheus.yml, not the files scrape_config_files pulls in.
     */
    private Optional<JsonNode> servedJob(String name) {
        return prometheus.activeTargets().stream().filter(t -> t.path("scrapePool").asText().equals(job(name))).findFirst();
    }

    private String servedInterval(String name) {
        return servedJob(name).map(t -> t.path("scrapeInterval").asText()).orElse("");
    }

    private ObjectNode resource(String name) {
        return lookout.engine().table().objects(new com.fasterxml.jackson.databind.ObjectMapper()).stream()
                .filter(o -> o.path("metadata").path("name").asText().equals(name)).findFirst().orElseThrow();
    }

    private JsonNode ready(String name) {
        return resource(name).path("status").path("conditions").get(0);
    }

    private void await(String what, java.util.concurrent.Callable<Boolean> condition) {
        prometheus.awaitTrue(what, condition, WAIT);
    }

    @Test
    void aNewResourceAppearsAnEditChangesItAndADeletionRemovesIt() throws Exception {
        Manifests.write(watch, "crud.yaml", probe("crud", "5s", "http://127.0.0.1:9/crud"));
        await("the new job is served", () -> servedJob("crud").isPresent());
        assertThat(servedInterval("crud")).isEqualTo("5s");
        assertThat(prometheus.scrapePools()).contains(job("crud"));
        await("Ready=True once Prometheus confirmed it", () -> ready("crud").path("status").asText().equals("True"));

        Manifests.write(watch, "crud.yaml", probe("crud", "3s", "http://127.0.0.1:9/crud"));
        await("the edit is served", () -> servedInterval("crud").equals("3s"));
        assertThat(resource("crud").path("metadata").path("generation").asLong()).isEqualTo(2);

        Files.delete(watch.resolve("crud.yaml"));
        await("the job is gone", () -> servedJob("crud").isEmpty());
        assertThat(out.resolve("prometheus/scrape/comfyprobe.default.crud.yml")).doesNotExist();
        assertThat(out.resolve("prometheus/rules/comfyprobe.default.crud.yml")).doesNotExist();
    }

    @Test
    void aBrokenFileLeavesThePreviousGoodConfigServing() throws Exception {
        Manifests.write(watch, "keep.yaml", probe("keep", "4s", "http://127.0.0.1:9/keep"));
        await("the job is served", () -> servedJob("keep").isPresent());
        Manifests.write(watch, "keep.yaml", probe("keep", "4 seconds", "http://127.0.0.1:9/keep"));
        await("the resource says why", () -> ready("keep").path("reason").asText().equals("InvalidSpec"));
        assertThat(ready("keep").path("status").asText()).isEqualTo("False");
        assertThat(ready("keep").path("message").asText()).contains("keep.yaml:8", "spec.interval", "4 seconds");
        assertThat(servedInterval("keep")).isEqualTo("4s");
        assertThat(out.resolve("prometheus/scrape/comfyprobe.default.keep.yml")).content().contains("scrape_interval: 4s");

        Manifests.write(watch, "keep.yaml", "apiVersion: lookout.dev/v1alpha1\nkind: [ComfyProbe\n");
        Thread.sleep(800); // past the settle time given to a half-written file
        lookout.awaitQuiet(WAIT);
        assertThat(servedJob("keep")).isPresent(); // a file that does not even parse deletes nothing
        Files.delete(watch.resolve("keep.yaml"));
        await("deleted for real", () -> servedJob("keep").isEmpty());
    }

    @Test
    void aReloadPrometheusRejectsIsRolledBackAndTheResourceMarked() throws Exception {
        Manifests.write(watch, "steady.yaml", probe("steady", "6s", "http://127.0.0.1:9/steady"));
        await("a good job first", () -> servedJob("steady").isPresent());
        Manifests.write(watch, "poison.yaml", probe("poison", "7s", "http://127.0.0.1:9/poison"));
        await("the poisoned resource is marked", () -> ready("poison").path("reason").asText().equals("ReloadRejected"));
        assertThat(ready("poison").path("message").asText()).contains("prometheus rejected the new configuration");
        // Rolled back: Prometheus's own gauge says its last reload (of the restored files) succeeded.
        assertThat(new PrometheusClient(prometheus.uri(), Duration.ofSeconds(5)).lastReloadSuccessful()).contains(true);
        assertThat(servedJob("steady")).isPresent();
        assertThat(servedJob("poison")).isEmpty();
        assertThat(out.resolve("prometheus/scrape/comfyprobe.default.poison.yml")).doesNotExist();
        // Everything else keeps reconciling.
        Manifests.write(watch, "after.yaml", probe("after", "8s", "http://127.0.0.1:9/after"));
        await("a later resource still goes through", () -> servedJob("after").isPresent());
        assertThat(ready("poison").path("reason").asText()).isEqualTo("ReloadRejected");
        Files.delete(watch.resolve("poison.yaml"));
        Files.delete(watch.resolve("after.yaml"));
        Files.delete(watch.resolve("steady.yaml"));
        await("cleaned up", () -> servedJob("after").isEmpty() && servedJob("steady").isEmpty());
    }

    @Test
    void aProbeWithBasicAuthFromASecretSucceedsThenFailsWhenTheBodyNoLongerMatches() throws Exception {
        String url = "http://127.0.0.1:" + comfy.getAddress().getPort() + "/object_info/CheckpointLoaderSimple";
        Manifests.write(watch, "live.yaml", """
                apiVersion: lookout.dev/v1alpha1
                kind: ComfyProbe
                metadata:
                  name: live
                spec:
                  targets:
                    - url: %s
                  http:
                    bodyMustMatch: ["CheckpointLoaderSimple"]
                    basicAuth:
                      username: admin
                      passwordSecretRef: {name: comfy-pass, key: password}
                  interval: 1s
                  timeout: 1s
                ---
                apiVersion: v1
                kind: Secret
                metadata:
                  name: comfy-pass
                stringData:
                  password: %s
                """.formatted(url, PASSWORD));
        String success = "probe_success{job=\"" + job("live") + "\"}";
        await("probe_success 1", () -> value(success).equals("1"));
        comfyBody.set("{\"error\": \"no checkpoint loader\"}");
        await("probe_success 0 once the body no longer matches", () -> value(success).equals("0"));
        for (Path f : Files.walk(out).filter(Files::isRegularFile).toList()) {
            if (!f.toString().contains("secrets")) {
                assertThat(Files.readString(f)).as(f.toString()).doesNotContain(PASSWORD);
            }
        }
        Files.delete(watch.resolve("live.yaml"));
    }

    private String value(String promql) {
        var result = prometheus.query(promql);
        return result.isEmpty() ? "" : result.get(0).path("value").get(1).asText();
    }
}
