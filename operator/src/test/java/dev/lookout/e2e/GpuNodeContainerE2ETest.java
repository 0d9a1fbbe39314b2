package dev.lookout.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.command.InspectContainerResponse;
import com.github.dockerjava.api.model.Capability;
import com.github.dockerjava.api.model.DeviceRequest;
import com.github.dockerjava.api.model.ExposedPort;
import dev.lookout.api.ObjectKey;
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
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
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
 * GpuNode's dcgm-exporter container on a real dockerd that looks like a GPU machine without having a GPU: a
 * {@link PrivateDockerd} with a runtime named nvidia (mapped to runc) and a fake
 * {@code nvidia-container-runtime-hook} on its PATH ({@link FakeNvidia}), so that Docker accepts the GPU device
 * request and starts the container. The image is a stand-in serving the real captured A800 payload
 * ({@link DcgmStandIn}, named by lookout.yaml's {@code images.dcgm-exporter}), and the daemon's network is routed
 * from this machine ({@link DaemonRoute}), so Lookout reads the exporter at its container address and the GpuNode
 * goes the whole way to Ready with the GPUs in its status.
 *
 * <p>Then ownership: the same container across reconciles and a Lookout restart, exactly one recreate for a spec
 * change, removal with the resource, a foreign container of the same name left alone (ContainerNameTaken), a
 * leftover of a deleted resource swept at start; and ImageNotFound where the image is missing and no registry can
 * be reached (the daemon's network namespace has no way out).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
@Timeout(90)
class GpuNodeContainerE2ETest {
    static final Duration WAIT = Duration.ofSeconds(30);
    static final String HOST = "gpu1";
    static final String NETWORK = "lookout-test-gpu";
    static final String NODE = "gpu-a";
    static final String A800 = "NVIDIA A800-SXM4-80GB";

    FakeNvidia nvidia;
    PrivateDockerd daemon;
    DaemonRoute route;
    DockerLookout stack;
    LogCapture log;
    String standIn;
    String busybox;
    String orphanId;
    String otherInstanceId;
    String squatterId;

    @BeforeAll
    void start(@TempDir Path tmp) throws Exception {
        PrivateDockerd.assumeAvailable();
        DaemonRoute.require();
        log = LogCapture.start();
        nvidia = FakeNvidia.install(tmp.resolve("nvidia"));
        daemon = nvidia.daemon().start();
        standIn = DcgmStandIn.build(daemon);
        busybox = TestImages.busybox();
        String subnet = DaemonRoute.freeSubnet();
        daemon.docker("network", "create", "--subnet", subnet, NETWORK);
        route = DaemonRoute.open(daemon, subnet);
        // Before Lookout starts: the leftover of a GpuNode deleted while Lookout was not running, and a container
        // of someone else's that has the name a GpuNode "squatter" would want.
        orphanId = daemon.docker("create", "--name", container("ghost"), "--label", Ownership.MANAGED_BY + "=lookout",
                "--label", Ownership.INSTANCE + "=lookout",
                "--label", Ownership.OWNER + "=gpunode.default.ghost", "--label", Ownership.SPEC_HASH + "=0123456789abcdef",
                busybox);
        // The same leftover, but another Lookout's (lookout.instance: other): not ours to remove.
        otherInstanceId = daemon.docker("create", "--name", container("other-instance"), "--label", Ownership.MANAGED_BY + "=lookout",
                "--label", Ownership.INSTANCE + "=other",
                "--label", Ownership.OWNER + "=gpunode.default.ghost", "--label", Ownership.SPEC_HASH + "=0123456789abcdef",
                busybox);
        squatterId = daemon.docker("run", "-d", "--name", container("squatter"), "--network", NETWORK, busybox);
        stack = DockerLookout.prepare(tmp.resolve("stack"));
        startLookout(Map.of("dcgm-exporter", standIn), "state");
    }

    private void startLookout(Map<String, String> images, String state) throws IOException {
        stack.startLookout(List.of(new OperatorConfig.DockerHost(HOST, daemon.url(), null)), NETWORK, images, state,
                DockerLookout.quickReconnect());
    }

    @AfterAll
    void stop() {
        Cleanup.quietly(stack, route, daemon, log);
    }

    static String container(String node) {
        return "lookout-dcgm-exporter-default_" + node;
    }

    static String gpuNode(String name, String gpus, int port, String labels) {
        return """
                apiVersion: lookout.dev/v1alpha1
                kind: GpuNode
                metadata: {name: %s}
                spec:
                  host: %s
                  gpus: %s
                  exporter: {port: %d, counters: %s}
                  labels: {%s}
                """.formatted(name, HOST, gpus, port, DcgmStandIn.COUNTERS, labels);
    }

    private InspectContainerResponse inspect(String nameOrId) {
        try (DockerClient docker = daemon.client()) {
            return docker.inspectContainerCmd(nameOrId).exec();
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /** Ids of the containers on the daemon carrying {@code label=value}, running or not. */
    private List<String> containersWith(String label) {
        String out = daemon.docker("ps", "-a", "--no-trunc", "--filter", "label=" + label, "--format", "{{.ID}}");
        return out.isEmpty() ? List.of() : out.lines().toList();
    }

    private List<String> owned(String node) {
        return containersWith(Ownership.OWNER + "=gpunode.default." + node);
    }

    private boolean exists(String nameOrId) {
        try {
            inspect(nameOrId);
            return true;
        } catch (com.github.dockerjava.api.exception.NotFoundException e) {
            return false;
        }
    }

    /** The environment of the container's PID 1, as the runtime gave it (the device driver's variables included). */
    private List<String> processEnv(String name) {
        return Arrays.asList(daemon.docker("exec", name, "cat", "/proc/1/environ").split("\0"));
    }

    /** How often the daemon reported {@code action} for the container named {@code name} between the two instants. */
    private long events(String name, String action, Instant from, Instant until) {
        String out = daemon.docker("events", "--since", epoch(from), "--until", epoch(until), "--filter", "container=" + name,
                "--filter", "event=" + action, "--format", "{{.ID}}");
        return out.lines().filter(l -> !l.isBlank()).count();
    }

    private static String epoch(Instant t) {
        return t.getEpochSecond() + "." + String.format("%09d", t.getNano());
    }

    private String reason(String node) {
        return stack.ready("GpuNode", node).path("reason").asText();
    }

    private void awaitReady(String node) {
        stack.await(node + " Ready=True", WAIT, () -> stack.ready("GpuNode", node).path("status").asText().equals("True"));
    }

    @Test
    @Order(1)
    void aLeftoverOfADeletedGpuNodeIsSweptAtStartAndAForeignContainerIsNot() {
        stack.await("the orphan sweep removes " + container("ghost"), WAIT, () -> !exists(orphanId));
        assertThat(stack.lookout()).isNotNull();
        assertThat(inspect(squatterId).getState().getRunning()).as("a container Lookout does not manage").isTrue();
        assertThat(exists(otherInstanceId)).as("another Lookout instance's leftover").isTrue();
        assertThat(log.text()).contains("- remove " + container("ghost") + " on host " + HOST
                + " for gpunode.default.ghost: no resource declares gpunode.default.ghost any more");
    }

    @Test
    @Order(2)
    void theExporterContainerHasTheGpuRequestLabelsNetworkAndImageAndStarts() {
        Manifests.write(stack.watch, NODE + ".yaml", gpuNode(NODE, "all", 9400, "node: gpu-a, rack: r1"));
        stack.await(container(NODE) + " runs", WAIT, () -> inspect(container(NODE)).getState().getRunning());

        InspectContainerResponse c = inspect(container(NODE));
        DeviceRequest gpus = c.getHostConfig().getDeviceRequests().get(0);
        assertThat(c.getHostConfig().getDeviceRequests()).hasSize(1);
        assertThat(gpus.getDriver()).isEqualTo("nvidia");
        assertThat(gpus.getCount()).as("--gpus all").isEqualTo(-1);
        assertThat(gpus.getDeviceIds()).isNullOrEmpty();
        assertThat(gpus.getCapabilities()).containsExactly(List.of("gpu"));
        Map<String, String> labels = c.getConfig().getLabels();
        assertThat(labels).containsEntry("app.kubernetes.io/managed-by", "lookout")
                .containsEntry("lookout.dev/owner", "gpunode.default." + NODE)
                .containsEntry("lookout.dev/instance", "lookout")
                .containsEntry("node", "gpu-a").containsEntry("rack", "r1");
        assertThat(labels.get("lookout.dev/spec-hash")).matches("[0-9a-f]{16}");
        assertThat(c.getConfig().getImage()).isEqualTo(standIn);
        assertThat(c.getConfig().getHostName()).isEqualTo(NODE);
        assertThat(c.getConfig().getEnv()).contains("DCGM_EXPORTER_LISTEN=:9400");
        assertThat(c.getHostConfig().getCapAdd()).containsExactly(Capability.SYS_ADMIN);
        assertThat(c.getHostConfig().getNetworkMode()).isEqualTo(NETWORK);
        assertThat(c.getNetworkSettings().getNetworks()).containsOnlyKeys(NETWORK);
        assertThat(c.getHostConfig().getRestartPolicy().toString()).isEqualTo("unless-stopped");
        assertThat(c.getConfig().getExposedPorts()).contains(ExposedPort.tcp(9400)); // and what the image exposes
        assertThat(c.getHostConfig().getRuntime()).as("the device request, not the runtime, brings the GPUs").isEqualTo("runc");

        // Docker's nvidia device driver did its part: the hook ran as the container's prestart hook, and the
        // process was told which GPUs it has.
        assertThat(nvidia.calls()).contains("prestart");
        assertThat(processEnv(container(NODE))).contains("NVIDIA_VISIBLE_DEVICES=all");
    }

    @Test
    @Order(3)
    void readyMeansTheExporterMetricsFlowAndTheStatusListsTheGpus() {
        awaitReady(NODE);
        JsonNode status = stack.resource("GpuNode", NODE).path("status");
        assertThat(status.path("image").asText()).isEqualTo(standIn);
        assertThat(status.path("hostname").asText()).isEqualTo("msxf-hpc-64-35-ai");
        assertThat(status.path("container").path("id").asText()).isEqualTo(inspect(container(NODE)).getId());
        assertThat(status.path("container").path("state").asText()).isEqualTo("running");
        JsonNode gpus = status.path("gpus");
        assertThat(gpus).hasSize(8);
        for (int i = 0; i < 8; i++) {
            assertThat(gpus.get(i).path("index").asInt()).isEqualTo(i);
            assertThat(gpus.get(i).path("model").asText()).isEqualTo(A800);
            assertThat(gpus.get(i).path("uuid").asText()).matches("GPU-[0-9a-f-]{36}");
        }
        assertThat(gpus.get(0).path("uuid").asText()).isEqualTo("GPU-1f027ee8-6e1e-2b8c-0108-3d370e5f0418");
        assertThat(gpus.get(0).path("memoryMiB").asLong()).as("MIG: per instance only").isZero();
        List<String> mig = new ArrayList<>();
        gpus.get(0).path("mig").forEach(m -> mig.add(m.path("instance").asInt() + "/" + m.path("profile").asText()));
        assertThat(mig).containsExactly("3/2g.20gb", "5/2g.20gb", "6/2g.20gb");
        assertThat(gpus.get(1).path("memoryMiB").asLong()).isEqualTo(81_228);
        assertThat(gpus.get(1).has("mig")).isFalse();
    }

    @Test
    @Order(4)
    void reconcilingAgainAndRestartingLookoutKeepTheSameContainer() throws Exception {
        InspectContainerResponse before = inspect(container(NODE));
        Instant from = Instant.now();

        double reconciles = stack.reconciles("GpuNode");
        stack.lookout().engine().requeue(new ObjectKey("GpuNode", "default", NODE));
        stack.await("reconciled again", WAIT, () -> stack.reconciles("GpuNode") > reconciles);
        // A comment is no change to the resource.
        Files.writeString(stack.watch.resolve(NODE + ".yaml"), "# reviewed\n" + gpuNode(NODE, "all", 9400, "node: gpu-a, rack: r1"));
        assertThat(stack.lookout().awaitQuiet(WAIT)).isTrue();

        // A new Lookout process (same state folder) reconciles everything from scratch.
        startLookout(Map.of("dcgm-exporter", standIn), "state");
        stack.await("Ready after the restart", WAIT, () -> stack.ready("GpuNode", NODE).path("status").asText().equals("True")
                && stack.reconciles("GpuNode") >= 1);
        assertThat(stack.lookout().awaitQuiet(WAIT)).isTrue();

        // Another workload's containers coming and going on the host are none of the GpuNode's business: a
        // reconcile reads the exporter's metrics, which a busy compose host must not cause at every event.
        double settled = stack.reconciles("GpuNode");
        String other = daemon.docker("run", "-d", "--name", "lookout-test-unrelated", "--network", NETWORK, busybox);
        // Seen by Lookout before it goes (a container it never saw could concern anyone, and would requeue all).
        stack.await("Lookout saw the unrelated container", WAIT, () -> stack.lookout().hosts().container(HOST, other).isPresent());
        daemon.docker("rm", "-f", other);
        stack.await("Lookout saw it removed", WAIT, () -> stack.lookout().hosts().container(HOST, other).isEmpty());
        assertThat(stack.lookout().awaitQuiet(WAIT)).isTrue(); // whatever those events queued has run
        assertThat(stack.reconciles("GpuNode")).as("GpuNode reconciles after an unrelated container's events")
                .isEqualTo(settled);

        InspectContainerResponse after = inspect(container(NODE));
        assertThat(after.getId()).isEqualTo(before.getId());
        assertThat(after.getState().getStartedAt()).as("not restarted either").isEqualTo(before.getState().getStartedAt());
        assertThat(owned(NODE)).containsExactly(before.getId());
        assertThat(events(container(NODE), "create", from, Instant.now())).isZero();
        assertThat(events(container(NODE), "destroy", from, Instant.now())).isZero();
    }

    @Test
    @Order(5)
    void aSpecChangeRecreatesTheContainerExactlyOnce() throws Exception {
        String old = inspect(container(NODE)).getId();
        Instant from = Instant.now();
        Manifests.write(stack.watch, NODE + ".yaml", gpuNode(NODE, "all", 9500, "node: gpu-a, rack: r2"));
        stack.await("recreated", WAIT, () -> !exists(old) && inspect(container(NODE)).getState().getRunning());
        stack.await("Ready on the new port", WAIT, () -> stack.ready("GpuNode", NODE).path("status").asText().equals("True")
                && stack.resource("GpuNode", NODE).path("status").path("container").path("id").asText()
                .equals(inspect(container(NODE)).getId()));
        assertThat(stack.lookout().awaitQuiet(WAIT)).isTrue();

        InspectContainerResponse c = inspect(container(NODE));
        assertThat(c.getId()).isNotEqualTo(old);
        assertThat(c.getConfig().getLabels()).containsEntry("rack", "r2");
        assertThat(c.getConfig().getEnv()).contains("DCGM_EXPORTER_LISTEN=:9500");
        assertThat(owned(NODE)).containsExactly(c.getId());
        Instant until = Instant.now();
        assertThat(events(container(NODE), "create", from, until)).as("creates").isEqualTo(1);
        assertThat(events(container(NODE), "destroy", from, until)).as("removals").isEqualTo(1);
        assertThat(stack.resource("GpuNode", NODE).path("status").path("gpus")).hasSize(8);
    }

    @Test
    @Order(6)
    void aListOfIndexesIsADeviceRequestForThoseGpus() {
        Manifests.write(stack.watch, "gpu-b.yaml", gpuNode("gpu-b", "[0, 1]", 9400, "node: gpu-b"));
        stack.await(container("gpu-b") + " runs", WAIT, () -> inspect(container("gpu-b")).getState().getRunning());
        DeviceRequest gpus = inspect(container("gpu-b")).getHostConfig().getDeviceRequests().get(0);
        assertThat(gpus.getDriver()).isEqualTo("nvidia");
        assertThat(gpus.getDeviceIds()).containsExactly("0", "1");
        assertThat(gpus.getCount()).isZero();
        assertThat(processEnv(container("gpu-b"))).contains("NVIDIA_VISIBLE_DEVICES=0,1");
        awaitReady("gpu-b");
    }

    @Test
    @Order(7)
    void deletingTheGpuNodeRemovesItsContainer() throws Exception {
        String id = inspect(container("gpu-b")).getId();
        Files.delete(stack.watch.resolve("gpu-b.yaml"));
        stack.await("the container of gpu-b is removed", WAIT, () -> !exists(id));
        assertThat(owned("gpu-b")).isEmpty();
        assertThat(stack.find("GpuNode", "gpu-b")).isEmpty();
        assertThat(owned(NODE)).as("the other GpuNode's").hasSize(1);
    }

    @Test
    @Order(8)
    void aContainerOfTheNameThatLookoutDoesNotOwnIsLeftAloneAndSaidSo() {
        Manifests.write(stack.watch, "squatter.yaml", gpuNode("squatter", "all", 9400, "node: squatter"));
        stack.await("ContainerNameTaken", WAIT, () -> reason("squatter").equals("ContainerNameTaken"));
        assertThat(stack.ready("GpuNode", "squatter").path("status").asText()).isEqualTo("False");
        assertThat(stack.ready("GpuNode", "squatter").path("message").asText())
                .contains(container("squatter"), "on host " + HOST, "Lookout does not own it", "rename or remove it");
        InspectContainerResponse c = inspect(container("squatter"));
        assertThat(c.getId()).isEqualTo(squatterId);
        assertThat(c.getState().getRunning()).isTrue();
        assertThat(c.getConfig().getLabels()).doesNotContainKey(Ownership.OWNER);
        assertThat(owned("squatter")).isEmpty();
    }

    @Test
    @Order(9)
    void anImageThatIsNotThereAndCannotBePulledIsImageNotFoundWithoutAStackTrace() throws Exception {
        // The spec's own image (no images override): nvidia's, which this daemon does not have, and cannot pull
        // from its network namespace, which has no route out.
        Files.delete(stack.watch.resolve(NODE + ".yaml"));
        Files.delete(stack.watch.resolve("squatter.yaml"));
        assertThat(stack.lookout().awaitQuiet(WAIT)).isTrue();
        stack.await("gpu-a's container removed", WAIT, () -> owned(NODE).isEmpty());
        int logged = log.text().length();
        startLookout(Map.of(), "state-without-override");
        Manifests.write(stack.watch, "noimage.yaml", gpuNode("noimage", "all", 9400, "node: noimage"));
        stack.await("ImageNotFound", WAIT, () -> reason("noimage").equals("ImageNotFound"));
        JsonNode ready = stack.ready("GpuNode", "noimage");
        assertThat(ready.path("status").asText()).isEqualTo("False");
        assertThat(ready.path("message").asText()).isEqualTo("image nvidia/dcgm-exporter:4.2.3-4.1.3-ubuntu22.04 is not on "
                + "Docker host " + HOST + " and cannot be pulled; load it there (docker load) or point lookout.yaml's "
                + "images at a registry that has it");
        assertThat(stack.resource("GpuNode", "noimage").path("status").path("image").asText())
                .isEqualTo("nvidia/dcgm-exporter:4.2.3-4.1.3-ubuntu22.04");
        assertThat(exists(container("noimage"))).isFalse();
        assertThat(stack.lookout().awaitQuiet(WAIT)).isTrue();
        String since = log.text().substring(logged);
        assertThat(log.stackFrames()).as("stack frames in Lookout's log").isEmpty();
        assertThat(since).contains("nvidia/dcgm-exporter");
    }
}
