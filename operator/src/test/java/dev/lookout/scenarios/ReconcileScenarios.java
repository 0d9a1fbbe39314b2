package dev.lookout.scenarios;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.lookout.config.OperatorConfig;
import dev.lookout.testing.BlackboxProcess;
import dev.lookout.testing.Cleanup;
import dev.lookout.testing.OutputFolders;
import dev.lookout.testing.PrometheusProcess;
import dev.lookout.testing.Tools;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * The same reconcile scenarios in each run mode: a subclass says how a resource reaches Lookout (a file in the watched
 * folder, {@code kubectl apply} to a real API server) and how it goes; everything asserted is read the same way in both,
 * from Lookout's own API ({@code /api/v1/resources}), the outputs folder and a real Prometheus. A scenario that passes
 * in one mode and fails in the other is a difference between the modes, which DESIGN.md says there is none of.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
public abstract class ReconcileScenarios {
    static final Duration WAIT = Duration.ofSeconds(30);
    private static final ObjectMapper JSON = new ObjectMapper();

    protected Path tmp;
    protected OutputFolders folders;
    protected PrometheusProcess prometheus;
    protected BlackboxProcess blackbox;
    protected OperatorConfig config;

    /** Starts Lookout in this mode on {@link #config}; returns its HTTP port. */
    protected abstract int startLookout() throws Exception;

    protected abstract void stopLookout() throws Exception;

    /** Creates or replaces a ComfyProbe from its YAML (in namespace default). */
    protected abstract void apply(String name, String yaml) throws Exception;

    protected abstract void delete(String name) throws Exception;

    private int port;

    @BeforeAll
    void startStack(@TempDir Path tmp) throws Exception {
        this.tmp = tmp;
        Tools.require(Tools.prometheus(), "prometheus");
        Tools.require(Tools.blackbox(), "blackbox_exporter");
        folders = OutputFolders.create(tmp);
        prometheus = PrometheusProcess.start(folders.prometheusConfig());
        blackbox = BlackboxProcess.start(folders.blackboxConfig());
        config = folders.config(prometheus, blackbox);
        port = startLookout();
    }

    @AfterAll
    void stopStack() throws Exception {
        stopLookout();
        Cleanup.quietly(blackbox, prometheus);
    }

    /** A ComfyProbe of one static target (nothing answers on port 9: the probe fails, the job exists). */
    public static String probe(String name, String interval, String extra) {
        return """
                apiVersion: lookout.dev/v1alpha1
                kind: ComfyProbe
                metadata: {name: %s, namespace: default}
                spec:
                  targets: [{url: "http://127.0.0.1:9/%s"}]
                  interval: %s
                  timeout: 1s
                %s""".formatted(name, name, interval, extra);
    }

    public static String job(String name) {
        return "lookout/comfyprobe/default/" + name;
    }

    @Test
    void aNewProbeIsServedWithItsIntervalAndReady() throws Exception {
        apply("fresh", probe("fresh", "7s", ""));
        awaitReady("fresh");
        prometheus.awaitTrue("the new job", () -> "7s".equals(servedInterval("fresh")), WAIT);
    }

    @Test
    void anEditReachesPrometheus() throws Exception {
        apply("edited", probe("edited", "7s", ""));
        awaitReady("edited");
        apply("edited", probe("edited", "9s", ""));
        prometheus.awaitTrue("the new interval", () -> "9s".equals(servedInterval("edited")), WAIT);
        awaitReady("edited");
    }

    @Test
    void anInvalidProbeSaysWhyAndItsNeighbourIsServed() throws Exception {
        apply("lookbehind", probe("lookbehind", "7s", """
                  http:
                    bodyMustMatch: ["(?<=Checkpoint)LoaderSimple"]
                """));
        apply("neighbour", probe("neighbour", "7s", ""));
        await("InvalidSpec naming the field").atMost(WAIT).untilAsserted(() -> {
            JsonNode ready = ready("lookbehind");
            assertThat(ready.path("status").asText()).isEqualTo("False");
            assertThat(ready.path("reason").asText()).isEqualTo("InvalidSpec");
            assertThat(ready.path("message").asText()).contains("spec.http.bodyMustMatch[0]");
        });
        awaitReady("neighbour");
        prometheus.awaitTrue("the neighbour", () -> prometheus.scrapePools().contains(job("neighbour")), WAIT);
        assertThat(prometheus.scrapePools()).doesNotContain(job("lookbehind"));
    }

    @Test
    void aDeletedProbeLeavesPrometheusAndTheOutputs() throws Exception {
        apply("leaving", probe("leaving", "7s", ""));
        prometheus.awaitTrue("present", () -> prometheus.scrapePools().contains(job("leaving")), WAIT);
        delete("leaving");
        prometheus.awaitTrue("gone", () -> !prometheus.scrapePools().contains(job("leaving")), WAIT);
        assertThat(folders.out().resolve("prometheus/scrape/comfyprobe.default.leaving.yml")).doesNotExist();
        await("gone from Lookout's resources").atMost(WAIT).until(() -> ready("leaving").isMissingNode());
    }

    private void awaitReady(String name) {
        await(name + " Ready and Applied").atMost(WAIT).until(() -> {
            JsonNode ready = ready(name);
            return "True".equals(ready.path("status").asText()) && "Applied".equals(ready.path("reason").asText());
        });
    }

    private String servedInterval(String name) {
        return prometheus.activeTargets().stream().filter(t -> t.path("scrapePool").asText().equals(job(name)))
                .map(t -> t.path("scrapeInterval").asText()).findFirst().orElse("");
    }

    /** The Ready condition of ComfyProbe default/{@code name} as Lookout's API has it; missing when it has none. */
    private JsonNode ready(String name) throws Exception {
        String body = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port
                + "/api/v1/resources")).build(), HttpResponse.BodyHandlers.ofString()).body();
        for (JsonNode item : JSON.readTree(body).path("items")) {
            if (item.path("kind").asText().equals("ComfyProbe") && item.path("metadata").path("name").asText().equals(name)) {
                for (JsonNode c : item.path("status").path("conditions")) {
                    if (c.path("type").asText().equals("Ready")) {
                        return c;
                    }
                }
            }
        }
        return JSON.missingNode();
    }
}
