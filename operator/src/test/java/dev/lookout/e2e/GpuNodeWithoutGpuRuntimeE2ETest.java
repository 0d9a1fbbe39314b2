package dev.lookout.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.lookout.config.OperatorConfig;
import dev.lookout.testing.DockerEngine;
import dev.lookout.testing.Manifests;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A GpuNode placed on this machine's engine, which has no GPU and no NVIDIA runtime: Lookout says so once
 * ({@code NoGpuRuntime}, naming the runtimes it found), creates nothing, and does not reconcile it again unless
 * the engine gives it a reason (a container event, a reconnect).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Timeout(90)
class GpuNodeWithoutGpuRuntimeE2ETest {
    static final Duration WAIT = Duration.ofSeconds(30);
    static final String NODE = "gpu-node-01";

    DockerLookout stack;
    List<String> runtimes;

    @BeforeAll
    void start(@TempDir Path tmp) throws Exception {
        DockerEngine.require();
        String json = DockerEngine.docker("info", "--format", "{{json .Runtimes}}");
        TreeSet<String> names = new TreeSet<>();
        DockerLookout.JSON.readTree(json).fieldNames().forEachRemaining(names::add);
        runtimes = List.copyOf(names);
        Assumptions.assumeFalse(runtimes.contains("nvidia"), "this engine has an nvidia runtime: " + runtimes);
        stack = DockerLookout.prepare(tmp);
        stack.startLookout(List.of(OperatorConfig.DockerHost.LOCAL), null, Map.of(), "state", DockerLookout.quickReconnect());
    }

    @AfterAll
    void stop() {
        if (stack != null) {
            stack.close();
        }
    }

    @Test
    void saysNoGpuRuntimeWithWhatItFoundCreatesNothingAndDoesNotLoop() throws Exception {
        Manifests.write(stack.watch, "gpu.yaml", """
                apiVersion: lookout.dev/v1alpha1
                kind: GpuNode
                metadata: {name: %s}
                spec:
                  host: local
                  gpus: all
                  labels: {node: %s}
                """.formatted(NODE, NODE));
        stack.await("Ready=False NoGpuRuntime", WAIT,
                () -> stack.ready("GpuNode", NODE).path("reason").asText().equals("NoGpuRuntime"));
        JsonNode ready = stack.ready("GpuNode", NODE);
        assertThat(ready.path("status").asText()).isEqualTo("False");
        String message = ready.path("message").asText();
        assertThat(message).contains("Docker host local", "none is named nvidia", "nvidia-ctk runtime configure");
        assertThat(message).as("names every runtime the engine has").contains(runtimes);
        JsonNode status = stack.resource("GpuNode", NODE).path("status");
        List<String> listed = new ArrayList<>();
        status.path("runtimes").forEach(r -> listed.add(r.asText()));
        assertThat(listed).isEqualTo(runtimes);
        assertThat(status.has("container")).isFalse();
        assertThat(DockerEngine.docker("ps", "-a", "--filter", "label=lookout.dev/owner=gpunode.default." + NODE,
                "--format", "{{.Names}}")).as("containers owned by the GpuNode").isEmpty();

        // Not retried in a loop: over a few seconds it is reconciled again at most once per thing the engine
        // reported (other tests' containers come and go on this engine, and each event requeues what lives on it).
        // On a quiet engine that is not at all.
        assertThat(stack.lookout().awaitQuiet(WAIT)).isTrue();
        double before = stack.reconciles("GpuNode");
        Instant from = Instant.now();
        Thread.sleep(3000);
        double after = stack.reconciles("GpuNode");
        Instant until = Instant.now();
        // From 2 s earlier: an event just before the first reading may reach Lookout just after it.
        long events = engineEvents(from.minusSeconds(2), until);
        assertThat(after - before).as("GpuNode reconciles in 3 s, with %d container/network events on the engine", events)
                .isLessThanOrEqualTo(events);
        assertThat(stack.ready("GpuNode", NODE).path("reason").asText()).isEqualTo("NoGpuRuntime");
    }

    /** Container and network events the engine reported between the two instants. */
    private static long engineEvents(Instant from, Instant until) {
        String out = DockerEngine.docker("events", "--since", epoch(from), "--until", epoch(until),
                "--filter", "type=container", "--filter", "type=network", "--format", "{{.Type}} {{.Action}}");
        return out.lines().filter(l -> !l.isBlank()).count();
    }

    private static String epoch(Instant t) {
        return t.getEpochSecond() + "." + String.format("%09d", t.getNano());
    }
}
