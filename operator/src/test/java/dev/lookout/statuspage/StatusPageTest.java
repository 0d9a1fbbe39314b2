package dev.lookout.statuspage;

import static dev.lookout.testing.StatusObjects.resource;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.lookout.engine.OutputsReport;
import dev.lookout.reload.PrometheusClient;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What the page says from Lookout's own side: resources, the rule files it wrote and the last outputs, with
 * Prometheus not answering (a port nothing listens on). The page with a real Prometheus answering is
 * asserted in headless Chromium by the e2e module's MakeRunE2ETest.
 */
class StatusPageTest {
    static final Instant NOW = Instant.parse("2026-12-02T12:00:00Z");
    static final Clock CLOCK = Clock.fixed(NOW, ZoneOffset.UTC);

    @TempDir
    Path out;

    @Test
    void listsEveryResourceSortedWithItsReadyConditionAndItsAlertsFromTheRuleFiles() throws IOException {
        writeRules("comfyprobe.default.comfy", """
                groups:
                  - name: lookout/comfyprobe/default/comfy
                    rules:
                      - alert: ComfyUIDown
                        expr: probe_success{job="lookout/comfyprobe/default/comfy"} == 0
                        for: 2m
                        labels: {severity: critical}
                      - record: not_an_alert
                        expr: up
                """);
        ObjectNode probe = resource("ComfyProbe", "default", "comfy", NOW, "True", "Applied");
        probe.with("status").putArray("targets").addObject().put("url", "http://comfy:8188/object_info/CheckpointLoaderSimple");
        String html = page(List.of(resource("GpuNode", "default", "gpu-node-01", NOW, "False", "NoGpuRuntime"), probe),
                Optional.of(new OutputsReport(NOW.minusSeconds(42), "applied", "4 written, 0 removed")), closedPort());

        assertThat(html.indexOf("comfyprobe.default.comfy")).isLessThan(html.indexOf("gpunode.default.gpu-node-01"));
        assertThat(html).contains("<p id=\"summary\">2 resources, 1 ready");
        assertThat(html).contains("data-ready=\"False\"><b>False</b> <span class=\"reason\">NoGpuRuntime</span>");
        assertThat(html).contains("<p id=\"outputs\" data-result=\"applied\" class=\"ok\">Outputs: applied 42s ago — 4 written, 0 removed</p>");
        // Prometheus does not answer: the alert is listed from the file, its state unknown, and the page says why.
        assertThat(html).contains("data-state=\"unknown\"><a href=\"http://prometheus.example:9090/graph?g0.expr="
                + "probe_success%7Bjob%3D%22lookout%2Fcomfyprobe%2Fdefault%2Fcomfy%22%7D+%3D%3D+0&amp;g0.tab=0\"");
        assertThat(html).contains(">ComfyUIDown</a> unknown · for 2m · critical</li>");
        assertThat(html).doesNotContain("not_an_alert");
        assertThat(html).contains("id=\"prometheus-problem\">Targets and alert states are not shown: Prometheus did not answer");
        assertThat(html).contains("<li class=\"waiting\" data-result=\"none\"><code>http://comfy:8188/object_info/CheckpointLoaderSimple</code>"
                + " no sample in Prometheus yet</li>");
    }

    @Test
    void escapesWhatResourcesAndServersSay() throws IOException {
        ObjectNode hostile = resource("ComfyProbe", "default", "comfy", NOW, "False", "InvalidSpec");
        ((ObjectNode) hostile.with("status").withArray("conditions").get(0)).put("message", "<script>alert('x')</script> & \"quoted\"");

        String html = page(List.of(hostile), Optional.empty(), closedPort());

        assertThat(html).doesNotContain("<script>").contains("&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; &amp; &quot;quoted&quot;");
    }

    @Test
    void saysWhenNothingIsThereYet() throws IOException {
        String html = page(List.of(), Optional.empty(), closedPort());

        assertThat(html).contains("0 resources, 0 ready").contains("No resources yet")
                .contains("<p id=\"outputs\" data-result=\"none\">Outputs: not written yet</p>");
    }

    @Test
    void tellsAgesAsAPersonReadsThem() {
        assertThat(StatusPage.ago(NOW.minusSeconds(5), NOW)).isEqualTo("5s ago");
        assertThat(StatusPage.ago(NOW.minusSeconds(600), NOW)).isEqualTo("10m ago");
        assertThat(StatusPage.ago(NOW.minusSeconds(3 * 3600), NOW)).isEqualTo("3h ago");
        assertThat(StatusPage.ago(NOW.plusSeconds(3), NOW)).as("a clock a little ahead").isEqualTo("0s ago");
    }

    private String page(List<ObjectNode> resources, Optional<OutputsReport> outputs, int prometheusPort) {
        PrometheusClient prometheus = new PrometheusClient(URI.create("http://127.0.0.1:" + prometheusPort), Duration.ofMillis(500));
        return new StatusPage(() -> resources, () -> outputs, out, prometheus, URI.create("http://prometheus.example:9090/"), CLOCK).html();
    }

    private void writeRules(String stem, String yaml) throws IOException {
        Path rules = Files.createDirectories(out.resolve("prometheus/rules"));
        Files.writeString(rules.resolve(stem + ".yml"), yaml);
    }

    /** A port nothing listens on: bound, then closed. */
    private static int closedPort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
