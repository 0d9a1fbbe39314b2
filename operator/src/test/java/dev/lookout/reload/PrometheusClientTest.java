package dev.lookout.reload;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.lookout.config.OperatorConfig;
import dev.lookout.prometheus.Rendering;
import dev.lookout.render.PrometheusRenderer;
import dev.lookout.testing.PrometheusProcess;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link PrometheusClient} against the real Prometheus 3.5, in include mode: prometheus.yml pulls in
 * {@code scrape/*.yml} and {@code rules/*.yml}, as the snippet Lookout prints tells users to. A reload
 * loads rules at once, while a new job's scrape pool appears only when service discovery next hands its
 * targets over (throttled to every 5 s), so pools are awaited.
 */
class PrometheusClientTest {
    private static final Duration TIMEOUT = Duration.ofSeconds(5);
    private static final Duration APPLIED = Duration.ofSeconds(10);

    @TempDir
    Path dir;

    private Path includeConfig() throws IOException {
        Files.createDirectories(dir.resolve("scrape"));
        Files.createDirectories(dir.resolve("rules"));
        return write("prometheus.yml", "global:\n  scrape_interval: 15s\n"
                + "scrape_config_files:\n  - " + dir.resolve("scrape") + "/*.yml\n"
                + "rule_files:\n  - " + dir.resolve("rules") + "/*.yml\n");
    }

    private Path write(String relative, String content) throws IOException {
        Path file = dir.resolve(relative);
        Files.createDirectories(file.getParent());
        return Files.writeString(file, content);
    }

    private static String job(String name, String extra) {
        return "scrape_configs:\n  - job_name: " + name + "\n" + extra
                + "    static_configs:\n      - targets: ['127.0.0.1:1']\n";
    }

    private static PrometheusClient client(PrometheusProcess prometheus) {
        return new PrometheusClient(prometheus.uri(), TIMEOUT);
    }

    @Test
    void reloadAppliesAGoodScrapeFile() throws IOException {
        try (PrometheusProcess prometheus = PrometheusProcess.start(includeConfig())) {
            write("scrape/a.yml", job("lookout/a", ""));

            assertThat(client(prometheus).reload()).isEqualTo(new ReloadOutcome.Applied());
            assertThat(client(prometheus).ready()).isTrue();
            prometheus.awaitTrue("the new job's scrape pool", () -> prometheus.scrapePools().contains("lookout/a"), APPLIED);
        }
    }

    @Test
    void badIncludedScrapeFileIsRejectedAndNamedOnlyInPrometheusLog() throws IOException {
        try (PrometheusProcess prometheus = PrometheusProcess.start(includeConfig())) {
            write("scrape/good.yml", job("lookout/good", ""));
            assertThat(client(prometheus).reload()).isEqualTo(new ReloadOutcome.Applied());
            Path bad = write("scrape/bad.yml", job("lookout/bad", "    scrape_interval: 5x\n"));

            ReloadOutcome outcome = client(prometheus).reload();

            // Prometheus 3.5 answers 500 with a generic text for an included file; the file and reason are in its log.
            assertThat(outcome).isEqualTo(new ReloadOutcome.Rejected("failed to reload config: one or more errors occurred"
                    + " while applying the new configuration (--config.file=\"" + dir.resolve("prometheus.yml") + "\")"));
            assertThat(prometheus.log()).contains(bad.toString(), "unknown unit \\\"x\\\" in duration \\\"5x\\\"");
        }
    }

    @Test
    void badPrometheusYmlIsRejectedWithTheFileAndReason() throws IOException {
        Path config = write("prometheus.yml", job("lookout/a", ""));
        try (PrometheusProcess prometheus = PrometheusProcess.start(config)) {
            write("prometheus.yml", job("lookout/a", "    scrape_interval: 5x\n"));

            ReloadOutcome outcome = client(prometheus).reload();

            assertThat(outcome).isInstanceOf(ReloadOutcome.Rejected.class);
            assertThat(((ReloadOutcome.Rejected) outcome).message())
                    .startsWith("failed to reload config: couldn't load configuration (--config.file=\"" + config + "\")")
                    .endsWith("unknown unit \"x\" in duration \"5x\"");
        }
    }

    @Test
    void lastReloadSuccessfulFollowsTheLastReload() throws IOException {
        try (PrometheusProcess prometheus = PrometheusProcess.start(includeConfig())) {
            PrometheusClient client = client(prometheus);
            assertThat(client.lastReloadSuccessful()).contains(true);

            write("scrape/a.yml", job("lookout/a", "    scrape_timeout: 20s\n    scrape_interval: 10s\n"));
            assertThat(client.reload()).isInstanceOf(ReloadOutcome.Rejected.class);
            assertThat(client.lastReloadSuccessful()).contains(false);

            write("scrape/a.yml", job("lookout/a", ""));
            assertThat(client.reload()).isEqualTo(new ReloadOutcome.Applied());
            assertThat(client.lastReloadSuccessful()).contains(true);
        }
    }

    @Test
    void reloadWithoutLifecycleFlagIsDisabledNotRejected() throws IOException {
        try (PrometheusProcess prometheus = PrometheusProcess.start(includeConfig(),
                PrometheusProcess.Options.DEFAULT.withoutLifecycle())) {
            assertThat(client(prometheus).reload()).isEqualTo(new ReloadOutcome.Disabled(
                    "reload endpoint disabled: start Prometheus with --web.enable-lifecycle"));
        }
    }

    @Test
    void routePrefixIsKeptWithOrWithoutTrailingSlash() throws IOException, QueryException {
        try (PrometheusProcess prometheus = PrometheusProcess.start(includeConfig(),
                PrometheusProcess.Options.DEFAULT.withRoutePrefix("/prom"))) {
            URI withSlash = prometheus.uri();
            assertThat(withSlash.getPath()).isEqualTo("/prom/");
            URI withoutSlash = URI.create(withSlash.toString().replaceAll("/$", ""));

            for (URI base : new URI[] {withSlash, withoutSlash}) {
                PrometheusClient client = new PrometheusClient(base, TIMEOUT);
                assertThat(client.baseUrl()).isEqualTo(withSlash);
                assertThat(client.reload()).as(base.toString()).isEqualTo(new ReloadOutcome.Applied());
                assertThat(client.ready()).as(base.toString()).isTrue();
                assertThat(client.lastReloadSuccessful()).as(base.toString()).contains(true);
                assertThat(client.query("7")).as(base.toString()).containsExactly(new QuerySample(Map.of(), 7));
            }
        }
    }

    @Test
    void renderedExamplesLoadIntoPrometheus() throws IOException {
        Path config = write("prometheus.yml", "global:\n  scrape_interval: 15s\n"
                + PrometheusRenderer.includeSnippet(Rendering.configInto(dir, OperatorConfig.Mode.INCLUDE)));
        try (PrometheusProcess prometheus = PrometheusProcess.start(config)) {
            assertThat(prometheus.scrapePools()).isEmpty();
            Rendering.renderExamplesInto(dir, OperatorConfig.Mode.INCLUDE, null);

            assertThat(client(prometheus).reload()).isEqualTo(new ReloadOutcome.Applied());
            assertThat(prometheus.ruleGroups()).as("rules load with the reload").contains("lookout/comfyprobe/default/comfy",
                    "lookout/gpunode/default/gpu-node-01", "lookout/nginxvtstarget/default/edge");
            prometheus.awaitTrue("every job of the examples", () -> prometheus.scrapePools().containsAll(List.of(
                    "lookout/comfyprobe/default/comfy", "lookout/gpunode/default/gpu-node-01",
                    "lookout/nginxvtstarget/default/edge", "lookout/operator")), APPLIED);
            assertThat(prometheus.jobNames()).as("jobs with active targets (the probe's file_sd is empty)")
                    .contains("lookout/gpunode/default/gpu-node-01").doesNotContain("lookout/comfyprobe/default/comfy");
        }
    }

    /** Prometheus scraping itself as job "self", every second, with the first scrape in. */
    private PrometheusProcess selfScraping() throws IOException {
        Path config = write("prometheus.yml", "global:\n  scrape_interval: 1s\n");
        PrometheusProcess prometheus = PrometheusProcess.start(config);
        write("prometheus.yml", "global:\n  scrape_interval: 1s\n" + job("self", "").replace("127.0.0.1:1", "127.0.0.1:" + prometheus.port()));
        assertThat(client(prometheus).reload()).isEqualTo(new ReloadOutcome.Applied());
        prometheus.awaitTrue("the first scrape of itself", () -> !prometheus.query("up{job=\"self\"}").isEmpty(), APPLIED);
        return prometheus;
    }

    @Test
    void queryReadsVectorsAndScalars() throws IOException, QueryException {
        try (PrometheusProcess prometheus = selfScraping()) {
            PrometheusClient client = client(prometheus);
            String instance = "127.0.0.1:" + prometheus.port();

            List<QuerySample> build = client.query("prometheus_build_info");
            assertThat(build).hasSize(1);
            assertThat(build.get(0).value()).isEqualTo(1);
            assertThat(build.get(0).labels()).containsEntry("__name__", "prometheus_build_info").containsEntry("job", "self")
                    .containsEntry("instance", instance).containsKeys("branch", "goversion", "revision");
            assertThat(build.get(0).labels().get("version")).startsWith("3.");

            assertThat(client.query("up")).containsExactly(new QuerySample(Map.of("__name__", "up", "job", "self", "instance", instance), 1));
            // The shape remediation will ask: a probe down for the whole window. Healthy gives nothing.
            assertThat(client.query("min_over_time(up{job=\"self\"}[5m]) == 0")).isEmpty();
            assertThat(client.query("min_over_time(up{job=\"self\"}[5m]) == 1"))
                    .containsExactly(new QuerySample(Map.of("job", "self", "instance", instance), 1));
            assertThat(client.query("1 + 1")).containsExactly(new QuerySample(Map.of(), 2));
            assertThat(client.query("vector(1) / 0")).containsExactly(new QuerySample(Map.of(), Double.POSITIVE_INFINITY));
            assertThat(client.query("absent(no_such_metric)")).containsExactly(new QuerySample(Map.of(), 1));
        }
    }

    @Test
    void invalidQuerySurfacesPrometheusError() throws IOException {
        try (PrometheusProcess prometheus = PrometheusProcess.start(includeConfig())) {
            QueryException e = catchThrowableOfType(QueryException.class, () -> client(prometheus).query("up{"));

            assertThat(e.errorType()).contains("bad_data");
            assertThat(e.getMessage()).startsWith("Prometheus refused the query (bad_data): invalid parameter \"query\": ")
                    .contains("parse error");
        }
    }

    @Test
    void rangeVectorIsNotAnInstantResult() throws IOException {
        try (PrometheusProcess prometheus = PrometheusProcess.start(includeConfig())) {
            QueryException e = catchThrowableOfType(QueryException.class, () -> client(prometheus).query("up[5m]"));

            assertThat(e).hasMessage("the query gives a matrix, not an instant vector or a scalar");
            assertThat(e.errorType()).isEmpty();
        }
    }

    @Test
    void closedPortIsUnreachable() {
        PrometheusClient client = new PrometheusClient(URI.create("http://127.0.0.1:" + ClosedPort.pick()), TIMEOUT);

        assertThat(client.reload()).isEqualTo(new ReloadOutcome.Unreachable("connection refused"));
        assertThat(client.lastReloadSuccessful()).isEmpty();
        assertThat(client.ready()).isFalse();
        QueryException e = catchThrowableOfType(QueryException.class, () -> client.query("up"));
        assertThat(e).hasMessage("Prometheus did not answer the query: connection refused");
        assertThat(e.errorType()).isEmpty();
    }
}
