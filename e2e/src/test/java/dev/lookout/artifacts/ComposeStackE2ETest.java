package dev.lookout.artifacts;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lookout.artifacts.stack.AlertmanagerApi;
import dev.lookout.artifacts.stack.ComfyStandIn;
import dev.lookout.artifacts.stack.LocalStack;
import dev.lookout.artifacts.stack.LookoutImage;
import dev.lookout.artifacts.stack.PrometheusApi;
import dev.lookout.artifacts.stack.ShippedStackFiles;
import dev.lookout.artifacts.stack.StackInputs;
import dev.lookout.config.OperatorConfig;
import dev.lookout.config.OperatorConfigLoader;
import dev.lookout.testing.Cleanup;
import dev.lookout.testing.DockerEngine;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import org.awaitility.Awaitility;
import org.awaitility.core.ConditionTimeoutException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * The shipped compose stack (compose/) on the real engine, brought up by compose/stack.sh as {@code make up} does,
 * with every image replaced by one built here (Lookout's from the Dockerfile; Prometheus, blackbox, Alertmanager and
 * node-exporter from Debian sid's binaries) and Grafana's profile left out (no image of it can be built here). Its
 * Lookout watches a ComfyProbe that discovers ComfyUI-like containers by a label of this run. Everything is asserted
 * through the ports the stack publishes on 127.0.0.1.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ComposeStackE2ETest {
    /** Discovery (Prometheus's 5 s tick) plus a 1 s probe interval; the alert: 5 s `for` plus 15 s evaluations. */
    static final Duration WAIT = Duration.ofSeconds(90);
    static final String PROBE_JOB = "lookout/comfyprobe/default/comfy";

    LocalStack stack;
    PrometheusApi prometheus;
    AlertmanagerApi alertmanager;
    ComfyStandIn comfy;

    @BeforeAll
    void up() throws Exception {
        stack = LocalStack.start();
        prometheus = stack.prometheus();
        alertmanager = stack.alertmanager();
    }

    @AfterAll
    void down() {
        Cleanup.quietly(comfy, stack);
    }

    @Test
    @Order(1)
    void shippedFilesAgreeWithEachOther() {
        Map<String, String> env = ShippedStackFiles.env();
        assertThat(env).as("compose/.env: the official images by default").containsEntry("LOOKOUT_IMAGE", "lookout/lookout:0.1.0")
                .hasEntrySatisfying("PROMETHEUS_IMAGE", image -> assertThat(image).startsWith("prom/prometheus:"))
                .hasEntrySatisfying("BLACKBOX_IMAGE", image -> assertThat(image).startsWith("prom/blackbox-exporter:"))
                .hasEntrySatisfying("ALERTMANAGER_IMAGE", image -> assertThat(image).startsWith("prom/alertmanager:"))
                .hasEntrySatisfying("NODE_EXPORTER_IMAGE", image -> assertThat(image).startsWith("prom/node-exporter:"))
                .hasEntrySatisfying("GRAFANA_IMAGE", image -> assertThat(image).startsWith("grafana/grafana:"));
        OperatorConfigLoader.Result loaded = new OperatorConfigLoader().load(StackInputs.SHIPPED_CONFIG);
        assertThat(loaded.problems()).as("problems of " + StackInputs.SHIPPED_CONFIG).isEmpty();
        OperatorConfig config = loaded.config().orElseThrow();
        assertThat(config.prometheus().network()).as("lookout.yaml's prometheus.network: the network .env names")
                .isEqualTo(env.get("LOOKOUT_NETWORK"));
        assertThat(config.prometheus().outputDir()).as("where Prometheus reads Lookout's files: the shared volume")
                .isEqualTo("/var/lib/lookout/out/prometheus");
        assertThat(config.blackbox().configFile()).startsWith("/var/lib/lookout/out/blackbox/");
    }

    @Test
    @Order(2)
    void everyServiceButGrafanaRunsAndLookoutIsHealthy() {
        assertThat(stack.compose().services()).as("services of project " + stack.id())
                .containsExactly("alertmanager", "blackbox", "lookout", "node-exporter", "prometheus");
        String lookout = stack.compose().container("lookout");
        assertThat(DockerEngine.docker("container", "inspect", "--format", "{{.State.Health.Status}} {{.Config.User}}", lookout))
                .isEqualTo("healthy " + LookoutImage.USER);
        assertThat(stack.lookout().getPort()).as("Lookout's port, published").isPositive();
    }

    @Test
    @Order(3)
    void prometheusScrapesTheStackAndTheJobsLookoutWrote() {
        comfy = stack.startComfy();
        List<String> expected = List.of("alertmanager", "blackbox", "lookout", PROBE_JOB, "node", "prometheus");
        await("Prometheus has every job of the stack and Lookout's probe job, all up", () -> upJobs().containsAll(expected));
        assertThat(prometheus.activeTargets()).as("the probe job's one target: the stand-in, by name on the shared network")
                .filteredOn(t -> t.job().equals(PROBE_JOB)).extracting(PrometheusApi.Target::instance)
                .containsExactly(comfy.target());
    }

    @Test
    @Order(4)
    void theDiscoveredComfyUIIsProbedThroughBlackboxWithItsPassword() {
        await("probe_success 1 for " + comfy.name(), () -> probeSuccess() == 1.0);
    }

    @Test
    @Order(5)
    void aCrashLoopingComfyUIReachesAlertmanagerAsComfyUIDown() {
        comfy.crashLoop();
        await("probe_success 0 for " + comfy.name(), () -> probeSuccess() == 0.0);
        await("Alertmanager received ComfyUIDown for " + comfy.name(), () -> alertmanager.alerts().stream().anyMatch(
                alert -> alert.name().equals("ComfyUIDown") && comfy.name().equals(alert.labels().get("container"))));
    }

    private List<String> upJobs() {
        return prometheus.activeTargets().stream().filter(t -> t.health().equals("up")).map(PrometheusApi.Target::job)
                .distinct().sorted().toList();
    }

    private double probeSuccess() {
        return prometheus.value("probe_success{job=\"" + PROBE_JOB + "\",container=\"" + comfy.name() + "\"}").orElse(Double.NaN);
    }

    /** A bounded wait; a timeout says what Prometheus, Alertmanager, the stand-in and the stack had to say. */
    private void await(String what, Callable<Boolean> condition) {
        try {
            Awaitility.await(what).atMost(WAIT).pollInterval(Duration.ofMillis(500)).ignoreExceptions().until(condition);
        } catch (ConditionTimeoutException e) {
            throw new AssertionError(e.getMessage() + "\n" + diagnostics(), e);
        }
    }

    private String diagnostics() {
        StringBuilder text = new StringBuilder();
        try {
            text.append("Prometheus targets:\n").append(prometheus.activeTargets().stream().map(Object::toString)
                    .collect(Collectors.joining("\n")));
            text.append("\nAlertmanager alerts: ").append(alertmanager.alerts());
        } catch (RuntimeException e) {
            text.append("(Prometheus or Alertmanager did not answer: ").append(e.getMessage()).append(")");
        }
        if (comfy != null) {
            text.append("\nstand-in ").append(comfy.name()).append(": ").append(comfy.state());
        }
        return text.append("\n--- logs ---\n").append(stack.compose().logs("lookout", "prometheus", "blackbox")).toString();
    }
}
