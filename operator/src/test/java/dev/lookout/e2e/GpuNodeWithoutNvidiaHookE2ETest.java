package dev.lookout.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.lookout.config.OperatorConfig;
import dev.lookout.docker.Ownership;
import dev.lookout.testing.Cleanup;
import dev.lookout.testing.FakeNvidia;
import dev.lookout.testing.LogCapture;
import dev.lookout.testing.Manifests;
import dev.lookout.testing.PrivateDockerd;
import dev.lookout.testing.TestImages;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A dockerd whose daemon.json names an nvidia runtime but which has no {@code nvidia-container-runtime-hook} on its
 * PATH (a half-installed NVIDIA Container Toolkit): Lookout's runtime check passes, Docker creates the container,
 * and refuses to start it ("could not select device driver"). The GpuNode says so with Docker's words, is retried
 * with backoff, and the retries start the one container again rather than making more.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Timeout(90)
class GpuNodeWithoutNvidiaHookE2ETest {
    static final Duration WAIT = Duration.ofSeconds(30);
    static final String HOST = "gpu1";
    static final String NODE = "gpu-nohook";

    PrivateDockerd daemon;
    DockerLookout stack;
    LogCapture log;

    @BeforeAll
    void start(@TempDir Path tmp) throws Exception {
        PrivateDockerd.assumeAvailable();
        log = LogCapture.start();
        daemon = PrivateDockerd.builder().daemonJson(FakeNvidia.DAEMON_JSON).start();
        String busybox = TestImages.busybox();
        daemon.loadImage(busybox);
        daemon.docker("network", "create", "lookout-test-gpu");
        stack = DockerLookout.prepare(tmp);
        stack.startLookout(List.of(new OperatorConfig.DockerHost(HOST, daemon.url(), null)), "lookout-test-gpu",
                Map.of("dcgm-exporter", busybox), "state", DockerLookout.quickReconnect());
    }

    @AfterAll
    void stop() {
        Cleanup.quietly(stack, daemon, log);
    }

    @Test
    void dockerRefusesTheGpuRequestAndTheGpuNodeSaysSoWithoutMakingMoreContainers() throws Exception {
        Manifests.write(stack.watch, "gpu.yaml", """
                apiVersion: lookout.dev/v1alpha1
                kind: GpuNode
                metadata: {name: %s}
                spec:
                  host: %s
                """.formatted(NODE, HOST));
        stack.await("Ready=False saying Docker's refusal", WAIT, () -> stack.ready("GpuNode", NODE).path("message").asText()
                .contains("could not select device driver"));
        JsonNode ready = stack.ready("GpuNode", NODE);
        assertThat(ready.path("status").asText()).isEqualTo("False");
        assertThat(ready.path("reason").asText()).isEqualTo("ReconcileFailed");
        assertThat(ready.path("message").asText()).startsWith("start ").contains("Docker host '" + HOST + "'",
                "could not select device driver \"nvidia\" with capabilities: [[gpu]]");

        // Retried with backoff (200 ms, doubling), each attempt starting the same container again. A refused start
        // still connects and disconnects the container's network, and those events must not cut the backoff
        // short: they would make it a loop at the speed of the events (it was, at some 20 attempts a second).
        long started = System.nanoTime();
        Thread.sleep(4000);
        double attempts = stack.reconciles("GpuNode");
        double seconds = (System.nanoTime() - started) / 1e9 + 1;
        assertThat(attempts).as("attempts in about %.0f s", seconds).isBetween(2.0, 10.0);
        List<String> owned = List.of(daemon.docker("ps", "-a", "--no-trunc", "--filter",
                "label=" + Ownership.OWNER + "=gpunode.default." + NODE, "--format", "{{.ID}} {{.State}}").split("\n"));
        assertThat(owned).singleElement().satisfies(c -> assertThat(c).endsWith(" created"));
        assertThat(log.stackFrames()).as("stack frames in Lookout's log").isEmpty();
    }
}
