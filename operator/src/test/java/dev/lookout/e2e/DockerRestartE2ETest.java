package dev.lookout.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.lookout.config.OperatorConfig;
import dev.lookout.docker.Ownership;
import dev.lookout.testing.Cleanup;
import dev.lookout.testing.DaemonRoute;
import dev.lookout.testing.FakeNvidia;
import dev.lookout.testing.LogCapture;
import dev.lookout.testing.Manifests;
import dev.lookout.testing.PrivateDockerd;
import dev.lookout.testing.TestImages;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * dockerd restarted under a running Lookout: a GpuNode's exporter and a ComfyProbe's discovered container live on
 * a {@link PrivateDockerd} (nvidia runtime and fake hook, its network routed from this machine) that the test
 * restarts. Both resources say DockerUnavailable while it is gone, Lookout logs the outage once and the return,
 * and afterwards there is exactly one exporter container, the GpuNode is Ready with its GPUs again, and the probe
 * still lists the container it discovered.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
@Timeout(90)
class DockerRestartE2ETest {
    static final Duration WAIT = Duration.ofSeconds(30);
    static final String HOST = "gpu1";
    static final String NETWORK = "lookout-test-shared";
    static final String NODE = "gpu-r";
    static final String EXPORTER = "lookout-dcgm-exporter-default_" + NODE;
    static final String COMFY = "lookout-test-comfy-1";
    static final String PROJECT = "studio";
    static final String TARGET = "http://" + COMFY + ":8188/object_info/CheckpointLoaderSimple";

    PrivateDockerd daemon;
    DaemonRoute route;
    DockerLookout stack;
    LogCapture log;
    String standIn;

    @BeforeAll
    void start(@TempDir Path tmp) throws Exception {
        PrivateDockerd.assumeAvailable();
        DaemonRoute.require();
        log = LogCapture.start();
        daemon = FakeNvidia.install(tmp.resolve("nvidia")).daemon().start();
        standIn = DcgmStandIn.build(daemon);
        String subnet = DaemonRoute.freeSubnet();
        daemon.docker("network", "create", "--subnet", subnet, NETWORK);
        route = DaemonRoute.open(daemon, subnet);
        // A compose service's container, as `docker compose up` labels it, on the shared network; it comes back
        // with the daemon (restart: always).
        daemon.docker("run", "-d", "--name", COMFY, "--restart", "always", "--network", NETWORK,
                "--label", "com.docker.compose.project=" + PROJECT, "--label", "com.docker.compose.service=comfy",
                "--label", "com.docker.compose.container-number=1", TestImages.busybox());
        stack = DockerLookout.prepare(tmp.resolve("stack"));
        stack.startLookout(List.of(new OperatorConfig.DockerHost(HOST, daemon.url(), null)), NETWORK,
                Map.of("dcgm-exporter", standIn), "state", DockerLookout.quickReconnect());
    }

    @AfterAll
    void stop() {
        Cleanup.quietly(stack, route, daemon, log);
    }

    private List<String> owned() {
        String out = daemon.docker("ps", "-a", "--no-trunc", "--filter", "label=" + Ownership.OWNER + "=gpunode.default." + NODE,
                "--format", "{{.ID}}");
        return out.isEmpty() ? List.of() : out.lines().toList();
    }

    private List<String> targetsInFile() throws IOException {
        Path file = stack.out.resolve("prometheus/targets/comfyprobe.default." + PROJECT + ".json");
        List<String> targets = new ArrayList<>();
        if (Files.exists(file)) {
            for (JsonNode group : DockerLookout.JSON.readTree(file.toFile())) {
                group.path("targets").forEach(t -> targets.add(t.asText()));
            }
        }
        return targets;
    }

    private List<String> targetsInStatus() {
        List<String> targets = new ArrayList<>();
        stack.resource("ComfyProbe", PROJECT).path("status").path("targets")
                .forEach(t -> targets.add(t.path("container").asText()));
        return targets;
    }

    private boolean ready(String kind, String name) {
        return stack.ready(kind, name).path("status").asText().equals("True");
    }

    /** Writes the two resources once, and waits until both are Ready with the exporter's GPUs and the probe's target. */
    private void resourcesReady() throws Exception {
        if (stack.find("GpuNode", NODE).isEmpty()) {
            Manifests.write(stack.watch, "gpu.yaml", """
                    apiVersion: lookout.dev/v1alpha1
                    kind: GpuNode
                    metadata: {name: %s}
                    spec:
                      host: %s
                      exporter: {counters: %s}
                      labels: {node: %s}
                    """.formatted(NODE, HOST, DcgmStandIn.COUNTERS, NODE));
            Manifests.write(stack.watch, "comfy.yaml", """
                    apiVersion: lookout.dev/v1alpha1
                    kind: ComfyProbe
                    metadata: {name: %s}
                    spec:
                      discover:
                        docker: {host: %s, composeProjects: [%s], port: 8188, scheme: http}
                      interval: 5s
                      timeout: 1s
                    """.formatted(PROJECT, HOST, PROJECT));
        }
        stack.await("GpuNode and ComfyProbe Ready", WAIT, () -> ready("GpuNode", NODE) && ready("ComfyProbe", PROJECT)
                && stack.resource("GpuNode", NODE).path("status").path("gpus").size() == 8);
        assertThat(targetsInFile()).containsExactly(TARGET);
        assertThat(owned()).hasSize(1);
    }

    /** Samples what the two resources' Ready conditions say, every 5 ms, until closed. */
    private final class Sampler implements AutoCloseable {
        final Set<String> seen = ConcurrentHashMap.newKeySet();
        private final Thread thread = new Thread(this::run, "sample-conditions");

        Sampler() {
            thread.setDaemon(true);
            thread.start();
        }

        private void run() {
            while (!Thread.currentThread().isInterrupted()) {
                seen.add("GpuNode " + stack.ready("GpuNode", NODE).path("reason").asText());
                seen.add("ComfyProbe " + stack.ready("ComfyProbe", PROJECT).path("reason").asText());
                try {
                    Thread.sleep(5);
                } catch (InterruptedException e) {
                    return;
                }
            }
        }

        @Override
        public void close() throws InterruptedException {
            thread.interrupt();
            thread.join(1000);
        }
    }

    /** After the daemon came back: one exporter, Ready with its GPUs, and the probe still lists its container. */
    private void everythingIsBackOnce(String exporterBefore) throws Exception {
        stack.await("GpuNode Ready again, its exporter running and read", WAIT, () -> ready("GpuNode", NODE)
                && stack.resource("GpuNode", NODE).path("status").path("container").path("state").asText().equals("running")
                && stack.resource("GpuNode", NODE).path("status").path("gpus").size() == 8);
        stack.await("ComfyProbe Ready again", WAIT, () -> ready("ComfyProbe", PROJECT));
        assertThat(stack.lookout().awaitQuiet(WAIT)).isTrue();
        // The same exporter, started again by its restart policy (unless-stopped): nothing created, nothing doubled.
        assertThat(owned()).as("containers owned by the GpuNode").containsExactly(exporterBefore);
        assertThat(daemon.docker("ps", "-a", "--format", "{{.Names}}").lines().sorted().toList())
                .containsExactly(EXPORTER, COMFY);
        assertThat(daemon.docker("inspect", "--format", "{{.State.Running}}", EXPORTER, COMFY).lines().toList())
                .containsExactly("true", "true");
        assertThat(targetsInStatus()).containsExactly(COMFY);
        assertThat(targetsInFile()).containsExactly(TARGET);
        assertThat(log.stackFrames()).as("stack frames in Lookout's log").isEmpty();
    }

    @Test
    @Order(1)
    void aDaemonThatIsGoneForAWhileIsDockerUnavailableThenEverythingIsBackWithNothingDuplicated() throws Exception {
        resourcesReady();
        String exporterBefore = owned().get(0);
        int logged = log.text().length();
        try (Sampler sampler = new Sampler()) {
            daemon.stop();
            stack.await("both resources say DockerUnavailable", WAIT, () -> sampler.seen.containsAll(
                    List.of("GpuNode DockerUnavailable", "ComfyProbe DockerUnavailable")));
            assertThat(stack.ready("GpuNode", NODE).path("message").asText())
                    .startsWith("Docker host " + HOST + " does not answer (").contains(daemon.url(), "retried with backoff");
            assertThat(stack.ready("ComfyProbe", PROJECT).path("message").asText())
                    .contains("The targets found before stay in Prometheus");
            daemon.restart();      // starts it again, in a new network namespace: the route goes into that one
            route.attach();
            // (Its container is no target meanwhile: a dockerd that stops stops its containers first, and the events
            // say so before the host goes; it is one again once the daemon has restarted it.)
            everythingIsBackOnce(exporterBefore);
        }
        List<String> since = log.text().substring(logged).lines().toList();
        String host = "Docker host '" + HOST + "' (" + daemon.url() + ")";
        assertThat(since).as("the outage, said once").filteredOn(l -> l.contains(" WARN " + host + " is unavailable: ")
                && l.contains("; retrying, at most every 1 s")).hasSize(1);
        assertThat(since).as("its end").filteredOn(l -> l.contains(" INFO " + host + " is back after ")).hasSize(1);
    }

    @Test
    @Order(2)
    void aQuickRestartLeavesEverythingAsItWas() throws Exception {
        // dockerd listens on its socket early in its start and answers once ready, so a restart this quick is, to
        // Lookout, an events stream that ended and a resync: no outage to report, but the same checks after.
        resourcesReady();
        String exporterBefore = owned().get(0);
        daemon.restart();
        route.attach();
        everythingIsBackOnce(exporterBefore);
    }

    @Test
    @Order(3)
    void aLookoutStartedWhileTheHostIsDownStillListsTheTargetsFoundBefore() throws Exception {
        // Lookout stopped (an upgrade), then the host goes down, then Lookout starts: what it found before is
        // in its state folder, stays in Prometheus, and the probe's status says so instead of listing nothing.
        resourcesReady();
        String exporterBefore = owned().get(0);
        stack.stopLookout();
        daemon.stop();
        stack.startLookout(List.of(new OperatorConfig.DockerHost(HOST, daemon.url(), null)), NETWORK,
                Map.of("dcgm-exporter", standIn), "state", DockerLookout.quickReconnect());
        stack.await("ComfyProbe DockerUnavailable", WAIT, () -> stack.ready("ComfyProbe", PROJECT).path("reason").asText()
                .equals("DockerUnavailable"));
        assertThat(targetsInStatus()).as("the probe's status while its host is down").containsExactly(COMFY);
        assertThat(targetsInFile()).containsExactly(TARGET);

        daemon.restart();
        route.attach();
        everythingIsBackOnce(exporterBefore);
    }
}
