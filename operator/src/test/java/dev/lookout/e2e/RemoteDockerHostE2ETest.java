package dev.lookout.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.command.InspectContainerResponse;
import com.github.dockerjava.api.model.ExposedPort;
import com.github.dockerjava.api.model.Ports;
import dev.lookout.api.ObjectKey;
import dev.lookout.config.OperatorConfig;
import dev.lookout.prometheus.JobNames;
import dev.lookout.testing.Cleanup;
import dev.lookout.testing.DaemonRoute;
import dev.lookout.testing.FakeNvidia;
import dev.lookout.testing.LogCapture;
import dev.lookout.testing.Manifests;
import dev.lookout.testing.PrivateDockerd;
import dev.lookout.testing.TestCertificates;
import dev.lookout.testing.TlsEngineFront;
import java.io.IOException;
import java.nio.file.Files;
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
 * A GpuNode on a second Docker host that is not the local engine: a {@link PrivateDockerd} in its own network
 * namespace (with a runtime named nvidia and the fake hook, so that it accepts the GPU request), reached over
 * {@code tcp://} with TLS and client certificates the test makes ({@link TlsEngineFront}), and at its own address
 * from this machine ({@link DaemonRoute}). Its container names resolve nowhere here, so the exporter must publish
 * its port and be scraped and read at {@code address:port}, the host's configured address: the GpuNode goes Ready
 * with the eight GPUs of the captured payload, and the real Prometheus scrapes it ({@code up == 1}).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Timeout(120)
class RemoteDockerHostE2ETest {
    static final Duration WAIT = Duration.ofSeconds(45);
    static final String HOST = "gpu-remote";
    static final String NODE = "gpu-far";
    static final ObjectKey KEY = new ObjectKey("GpuNode", "default", NODE);

    FakeNvidia nvidia;
    PrivateDockerd daemon;
    DaemonRoute route;
    TlsEngineFront front;
    DockerLookout stack;
    LogCapture log;
    String standIn;

    @BeforeAll
    void start(@TempDir Path tmp) throws Exception {
        PrivateDockerd.assumeAvailable();
        DaemonRoute.require();
        log = LogCapture.start();
        nvidia = FakeNvidia.install(tmp.resolve("nvidia"));
        daemon = nvidia.daemon().start();
        standIn = DcgmStandIn.build(daemon);
        route = DaemonRoute.open(daemon, DaemonRoute.freeSubnet());
        TestCertificates authority = TestCertificates.authority("lookout-test-remote-ca");
        authority.writeClientFolder(tmp.resolve("certs"));
        front = TlsEngineFront.to(daemon.socket(), authority.serverContext());
        stack = DockerLookout.prepare(tmp.resolve("stack"));
        // No shared network on a remote host: the name given here exists nowhere, and must not be needed.
        stack.startLookout(List.of(new OperatorConfig.DockerHost(HOST, front.url(), tmp.resolve("certs").toString(),
                route.daemonAddress())), "lookout-test-no-such-network", Map.of("dcgm-exporter", standIn), "state",
                DockerLookout.quickReconnect());
    }

    @AfterAll
    void stop() {
        Cleanup.quietly(stack, front, route, daemon, log);
    }

    private InspectContainerResponse inspect(String name) {
        try (DockerClient docker = daemon.client()) {
            return docker.inspectContainerCmd(name).exec();
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    @Test
    void theExporterPublishesItsPortIsReadyWithItsGpusAndIsScrapedAtTheHostsAddress() throws IOException {
        Manifests.write(stack.watch, NODE + ".yaml", """
                apiVersion: lookout.dev/v1alpha1
                kind: GpuNode
                metadata: {name: %s}
                spec:
                  host: %s
                  gpus: all
                  exporter: {counters: %s}
                  labels: {node: %s}
                """.formatted(NODE, HOST, DcgmStandIn.COUNTERS, NODE));
        String endpoint = route.daemonAddress() + ":9400";
        stack.await(NODE + " Ready=True", WAIT, () -> stack.ready("GpuNode", NODE).path("status").asText().equals("True"));

        JsonNode status = stack.resource("GpuNode", NODE).path("status");
        assertThat(status.path("gpus")).hasSize(8);
        assertThat(status.path("gpus").get(1).path("memoryMiB").asLong()).isEqualTo(81_228);

        String name = "lookout-dcgm-exporter-default_" + NODE;
        InspectContainerResponse c = inspect(name);
        assertThat(c.getId()).isEqualTo(status.path("container").path("id").asText());
        Ports.Binding[] bindings = c.getHostConfig().getPortBindings().getBindings().get(ExposedPort.tcp(9400));
        assertThat(bindings).as("published under the same number").extracting(Ports.Binding::getHostPortSpec).containsExactly("9400");
        assertThat(c.getNetworkSettings().getNetworks()).as("no shared network on a remote host").containsOnlyKeys("bridge");

        String scrape = Files.readString(stack.out.resolve("prometheus/scrape/gpunode.default." + NODE + ".yml"));
        assertThat(scrape).contains("- " + endpoint).doesNotContain(name);
        stack.await("Prometheus scrapes the exporter at " + endpoint, WAIT,
                () -> stack.promValue("up{job=\"" + JobNames.job(KEY) + "\"}") == 1.0);
        assertThat(stack.promValue("count(count by (gpu) (DCGM_FI_DEV_GPU_TEMP{job=\"" + JobNames.job(KEY) + "\",node=\""
                + NODE + "\"}))")).as("the eight GPUs, with spec.labels on every series").isEqualTo(8.0);
    }
}
