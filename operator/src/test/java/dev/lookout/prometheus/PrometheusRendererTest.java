package dev.lookout.prometheus;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lookout.render.PrometheusRenderer;
import dev.lookout.testing.Manifests;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PrometheusRendererTest {
    @TempDir
    Path dir;

    @Test
    void renderingTwiceGivesTheSameTree() throws IOException {
        assertThat(Rendering.renderExamples().tree()).isEqualTo(Rendering.renderExamples().tree());
    }

    @Test
    void fileAndDocumentOrderDoNotChangeTheTree() throws IOException {
        // The same documents, split one per file and named so that they sort in reverse.
        List<String> documents = new ArrayList<>();
        try (Stream<Path> files = Files.list(Rendering.REPO.resolve("examples"))) {
            for (Path f : files.filter(p -> p.toString().endsWith(".yaml")).sorted().toList()) {
                for (String doc : Files.readString(f).split("(?m)^---$")) {
                    if (doc.contains("apiVersion")) {
                        documents.add(doc);
                    }
                }
            }
        }
        Collections.reverse(documents);
        Files.createDirectories(dir.resolve("nginx-vts"));
        for (String asset : List.of("base.crt", "base.key", "proxy_common.conf")) {
            Files.copy(Rendering.REPO.resolve("examples/nginx-vts").resolve(asset), dir.resolve("nginx-vts").resolve(asset));
        }
        for (int i = 0; i < documents.size(); i++) {
            Manifests.write(dir, (char) ('z' - i) + ".yaml", documents.get(i));
        }
        OutputTree shuffled = Rendering.render(dir, Rendering.REPO.resolve("examples/lookout.yaml"), null, null).tree();
        assertThat(shuffled).isEqualTo(Rendering.renderExamples().tree());
    }

    @Test
    void secretValuesAppearOnlyInTheirOwnFiles() throws IOException {
        OutputTree tree = Rendering.renderExamples().tree();
        List<String> secretValues = tree.files().stream().filter(RenderedFile::secret).map(RenderedFile::text).toList();
        assertThat(secretValues).containsExactlyInAnyOrder("change-me-comfy", "change-me-nginx");
        for (RenderedFile file : tree.files()) {
            if (!file.secret()) {
                for (String value : secretValues) {
                    assertThat(file.text()).as(file.path()).doesNotContain(value);
                }
            }
        }
        assertThat(tree.files().toString()).doesNotContain("change-me");
    }

    @Test
    void everyAlertSelectsTheJobOfItsOwnScrapeConfig() throws IOException {
        OutputTree tree = Rendering.renderExamples().tree();
        for (RenderedFile rules : tree.files()) {
            if (!rules.path().startsWith("prometheus/rules/")) {
                continue;
            }
            String stem = rules.path().substring("prometheus/rules/".length());
            String scrape = tree.get("prometheus/scrape/" + stem).text();
            String job = scrape.lines().filter(l -> l.contains("job_name:")).findFirst().orElseThrow().split("job_name: ")[1].trim();
            assertThat(rules.text()).contains("job=\\\"" + job + "\\\"");
            assertThat(rules.text().lines().filter(l -> l.contains("job=\\\""))).allSatisfy(l ->
                    assertThat(l).satisfiesAnyOf(x -> assertThat(x).contains("job=\\\"" + job + "\\\""),
                            x -> assertThat(x).contains("job=\\\"lookout/operator\\\"")));
        }
    }

    @Test
    void usesCurrentExporterMetricNamesOnly() throws IOException {
        String all = String.join("\n", Rendering.renderExamples().tree().files().stream().map(RenderedFile::text).toList());
        assertThat(all).contains("DCGM_FI_DEV_GPU_TEMP", "DCGM_FI_DEV_XID_ERRORS", "nginx_vts_server_requests_total",
                "nginx_vts_server_request_duration_seconds_bucket");
        assertThat(all).doesNotContain("dcgm_gpu_temp", "code=\\\"total\\\"", "dcgm_");
    }

    @Test
    void sidecarModeSaysWhyThereIsNoLatencyAlert() throws IOException {
        var result = Rendering.renderScenario(PrometheusRendererGoldenTest.GOLDEN.resolve("options"));
        assertThat(result.notes().values().stream().flatMap(List::stream))
                .anySatisfy(n -> assertThat(n).contains("latencyP99 is not rendered"));
        assertThat(result.tree().get("prometheus/rules/nginxvtstarget.edge.classic.yml").text())
                .doesNotContain("NginxHighLatencyP99").contains("nginx_server_requests");
    }

    @Test
    void includeSnippetPointsAtTheRenderedFolders() {
        assertThat(PrometheusRenderer.includeSnippet(dev.lookout.config.OperatorConfig.defaults())).isEqualTo("""
                scrape_config_files:
                  - /etc/prometheus/lookout/scrape/*.yml
                rule_files:
                  - /etc/prometheus/lookout/rules/*.yml
                """);
    }

    @Test
    void aGpuNodeInTheClusterIsScrapedPodByPodThroughItsHeadlessService() throws IOException {
        Manifests.write(dir, "g.yaml", """
                apiVersion: lookout.dev/v1alpha1
                kind: GpuNode
                metadata: {name: fleet, namespace: ml}
                spec: {host: "*", labels: {pool: a100}}
                """);
        OutputTree tree = Rendering.render(dir, null, null, null).tree();
        var job = RenderYaml.parse(tree.get("prometheus/scrape/gpunode.ml.fleet.yml").text()).at("/scrape_configs/0");

        // "*" names no Docker host: the DaemonSet's pods, one A record each, not the Service's first address.
        assertThat(job.has("static_configs")).isFalse();
        assertThat(job.at("/dns_sd_configs/0/names/0").asText()).isEqualTo("lookout-dcgm-exporter-ml-fleet.ml.svc");
        assertThat(job.at("/dns_sd_configs/0/type").asText()).isEqualTo("A");
        assertThat(job.at("/dns_sd_configs/0/port").asInt()).isEqualTo(9400);
        assertThat(job.at("/relabel_configs/0/target_label").asText()).isEqualTo("pool");
        assertThat(job.at("/relabel_configs/0/replacement").asText()).isEqualTo("a100");

        Path promtool = dev.lookout.testing.Tools.require(dev.lookout.testing.Tools.promtool(), "promtool");
        Path scrape = Files.writeString(dir.resolve("scrape.yml"), tree.get("prometheus/scrape/gpunode.ml.fleet.yml").text());
        Path config = Files.writeString(dir.resolve("prometheus.yml"), "scrape_config_files: [" + scrape + "]\n");
        var check = dev.lookout.testing.Tools.run(List.of(promtool.toString(), "check", "config", config.toString()),
                java.time.Duration.ofSeconds(60));
        assertThat(check.exit()).as(check.output()).isZero();
    }

    @Test
    void userTextCannotBreakTheYaml() throws IOException {
        Manifests.write(dir, "p.yaml", """
                apiVersion: lookout.dev/v1alpha1
                kind: ComfyProbe
                metadata: {name: p}
                spec:
                  targets: [{url: "http://comfy:8188/"}]
                  http:
                    bodyMustMatch: ['"key": *\\{ok\\}; #not-a-comment', "a: b"]
                """);
        OutputTree tree = Rendering.render(dir, null, null, null).tree();
        var modules = RenderYaml.parse(tree.get("blackbox/blackbox.yml").text());
        assertThat(modules.at("/modules/lookout~1default~1p/http/fail_if_body_not_matches_regexp/0").asText())
                .isEqualTo("\"key\": *\\{ok\\}; #not-a-comment");
        assertThat(modules.at("/modules/lookout~1default~1p/http/fail_if_body_not_matches_regexp/1").asText()).isEqualTo("a: b");
        assertThat(new String(tree.get("blackbox/blackbox.yml").bytes(), StandardCharsets.UTF_8)).doesNotContain("\t");
    }
}
