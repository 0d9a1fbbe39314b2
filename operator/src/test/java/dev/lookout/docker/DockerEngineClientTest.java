package dev.lookout.docker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.command.InspectContainerResponse;
import com.github.dockerjava.api.model.Capability;
import com.github.dockerjava.api.model.DeviceRequest;
import com.github.dockerjava.api.model.ExposedPort;
import dev.lookout.config.OperatorConfig;
import dev.lookout.testing.EngineProxy;
import dev.lookout.testing.PrivateDockerd;
import dev.lookout.testing.TestCertificates;
import dev.lookout.testing.TlsEngineFront;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** {@link DockerEngineClient} against the machine's shared engine; its containers and network are its own. */
@Timeout(60)
class DockerEngineClientTest {
    private final String run = UUID.randomUUID().toString().substring(0, 8);
    private final String network = "lookout-test-net-" + run;
    private DockerClient shared;
    private DockerEngineClient client;

    @BeforeAll
    static void engine() {
        TestEngine.requireSharedEngine();
    }

    @BeforeEach
    void connect() {
        shared = PrivateDockerd.sharedClient();
        shared.createNetworkCmd().withName(network).withDriver("bridge").exec();
        client = new DockerEngineClient(new OperatorConfig.DockerHost("local", "unix://" + PrivateDockerd.SHARED_SOCKET,
                null), DockerSettings.defaults());
    }

    @AfterEach
    void cleanUp() throws IOException {
        TestEngine.removeTestContainers(shared, run);
        shared.removeNetworkCmd(network).exec();
        client.close();
        shared.close();
    }

    @Test
    void createsStartsListsStopsAndRemovesAContainerWithItsLabelsNetworkAndFiles() throws IOException {
        ContainerSpec spec = TestEngine.spec("lookout-test-c-" + run, run)
                .withLabels(Map.of(Ownership.SPEC_HASH, "h1"));
        spec = new ContainerSpec(spec.name(), spec.image(), spec.cmd(), Map.of("GREETING", "hello"), spec.labels(),
                "probe-host", network, List.of("probe", "probe-alias"), null, List.of(8188), "on-failure:3",
                List.of("CAP_NET_ADMIN"), List.of(new ContainerSpec.ContainerFile("/etc/lookout/hello.txt",
                "hi there\n".getBytes(StandardCharsets.UTF_8), 0600)));

        String id = client.create(spec);

        InspectContainerResponse raw = shared.inspectContainerCmd(id).exec();
        assertThat(raw.getConfig().getEnv()).contains("GREETING=hello");
        assertThat(raw.getConfig().getHostName()).isEqualTo("probe-host");
        assertThat(raw.getConfig().getExposedPorts()).containsExactly(ExposedPort.tcp(8188));
        assertThat(raw.getHostConfig().getRestartPolicy().toString()).isEqualTo("on-failure:3");
        assertThat(raw.getHostConfig().getCapAdd()).containsExactly(Capability.NET_ADMIN);
        assertThat(raw.getHostConfig().getNetworkMode()).isEqualTo(network);
        assertThat(raw.getNetworkSettings().getNetworks().get(network).getAliases()).contains("probe", "probe-alias");
        assertThat(readFile(id, "/etc/lookout/hello.txt")).isEqualTo("hi there\n");

        ContainerInfo created = client.inspect(id).orElseThrow();
        assertThat(created.name()).isEqualTo("lookout-test-c-" + run);
        assertThat(created.image()).isEqualTo(TestEngine.image());
        assertThat(created.state()).isEqualTo("created");
        assertThat(created.startedAt()).isNull();
        assertThat(created.label(Ownership.SPEC_HASH)).isEqualTo("h1");

        client.start(id);
        client.start(id); // already running: 304, not an error
        ContainerInfo running = client.list(Map.of(TestEngine.RUN_LABEL, run)).get(0);
        assertThat(running.id()).isEqualTo(id);
        assertThat(running.running()).isTrue();
        assertThat(running.restartCount()).isZero();
        assertThat(running.networks()).containsOnlyKeys(network);
        assertThat(running.networks().get(network)).matches("\\d+\\.\\d+\\.\\d+\\.\\d+");
        assertThat(running.startedAt()).isNotNull();
        assertThat(client.list(Map.of(TestEngine.RUN_LABEL, "not-" + run))).isEmpty();

        client.stop(id, Duration.ofSeconds(5));
        client.stop(id, Duration.ofSeconds(5)); // already stopped: 304
        assertThat(client.inspect(id).orElseThrow().state()).isEqualTo("exited");

        client.remove(id);
        client.remove(id); // absent: not an error
        assertThat(client.inspect(id)).isEmpty();
        assertThat(client.retriedCalls()).isZero();
    }

    @Test
    void asksForGpusWithADeviceRequest() {
        ContainerSpec spec = TestEngine.spec("lookout-test-gpu-" + run, run);
        spec = new ContainerSpec(spec.name(), spec.image(), spec.cmd(), null, spec.labels(), null, null, null,
                new ContainerSpec.GpuRequest("nvidia", -1, null, null), null, "no", null, null);
        String all = client.create(spec);
        DeviceRequest request = shared.inspectContainerCmd(all).exec().getHostConfig().getDeviceRequests().get(0);
        assertThat(request.getDriver()).isEqualTo("nvidia");
        assertThat(request.getCount()).isEqualTo(-1);
        assertThat(request.getCapabilities()).containsExactly(List.of("gpu"));

        ContainerSpec two = new ContainerSpec("lookout-test-gpu2-" + run, spec.image(), spec.cmd(), null,
                spec.labels(), null, null, null, new ContainerSpec.GpuRequest("nvidia", 0, List.of("0", "GPU-1a2b"),
                List.of("gpu", "utility")), null, "no", null, null);
        DeviceRequest byId = shared.inspectContainerCmd(client.create(two)).exec().getHostConfig()
                .getDeviceRequests().get(0);
        assertThat(byId.getDeviceIds()).containsExactly("0", "GPU-1a2b");
        assertThat(byId.getCapabilities()).containsExactly(List.of("gpu", "utility"));
    }

    @Test
    void aMissingImageIsImageNotFoundNamingTheImage() {
        ContainerSpec spec = TestEngine.spec("lookout-test-noimg-" + run, run);
        ContainerSpec missing = new ContainerSpec(spec.name(), "lookout-test/absent:0", null, null, spec.labels(),
                null, null, null, null, null, null, null, null);
        assertThatThrownBy(() -> client.create(missing))
                .isInstanceOfSatisfying(DockerException.ImageNotFound.class, e -> {
                    assertThat(e.image()).isEqualTo("lookout-test/absent:0");
                    assertThat(e.host()).isEqualTo("local");
                })
                .hasMessageContaining("image lookout-test/absent:0 is not on Docker host 'local'");
        assertThat(client.imageExists("lookout-test/absent:0")).isFalse();
        assertThat(client.imageExists(TestEngine.image())).isTrue();
    }

    @Test
    void aSecondContainerOfTheSameNameIsAConflict() {
        ContainerSpec spec = TestEngine.spec("lookout-test-dup-" + run, run);
        client.create(spec);
        assertThatThrownBy(() -> client.create(spec)).isInstanceOf(DockerException.Conflict.class)
                .hasMessageContaining("lookout-test-dup-" + run);
    }

    @Test
    void aCreateWhoseAnswerWasLostIsRetriedAndTakesTheContainerItMade() {
        ContainerSpec spec = TestEngine.spec("lookout-test-lost-" + run, run)
                .withLabels(Map.of(Ownership.SPEC_HASH, "h-lost"));
        try (EngineProxy proxy = EngineProxy.to(Path.of(PrivateDockerd.SHARED_SOCKET));
             DockerEngineClient viaProxy = new DockerEngineClient(new OperatorConfig.DockerHost("local", proxy.url(),
                     null), DockerSettings.defaults())) {
            proxy.loseNextAnswerTo("/containers/create");

            String id = viaProxy.create(spec);

            assertThat(viaProxy.retriedCalls()).as("the first attempt lost its answer").isEqualTo(1);
            assertThat(shared.inspectContainerCmd(id).exec().getName()).isEqualTo("/lookout-test-lost-" + run);
        }
    }

    @Test
    void aRetriedCreateThatMeetsAnotherSpecsContainerIsAConflict() {
        ContainerSpec mine = TestEngine.spec("lookout-test-other-" + run, run)
                .withLabels(Map.of(Ownership.SPEC_HASH, "mine"));
        client.create(mine.withLabels(Map.of(Ownership.SPEC_HASH, "someone-else")));
        try (EngineProxy proxy = EngineProxy.to(Path.of(PrivateDockerd.SHARED_SOCKET));
             DockerEngineClient viaProxy = new DockerEngineClient(new OperatorConfig.DockerHost("local", proxy.url(),
                     null), DockerSettings.defaults())) {
            proxy.loseNextAnswerTo("/containers/create");
            assertThatThrownBy(() -> viaProxy.create(mine)).isInstanceOf(DockerException.Conflict.class);
            assertThat(viaProxy.retriedCalls()).isEqualTo(1);
        }
    }

    @Test
    void aPullThatNoRegistryAnswersIsFalse() {
        // A registry on 127.0.0.1:1, where nothing listens: the engine's attempt stays on this machine.
        long start = System.nanoTime();
        assertThat(client.pull("127.0.0.1:1/lookout-test/absent:1", Duration.ofSeconds(20))).isFalse();
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(20));
    }

    @Test
    void saysWhichRuntimesTheEngineHas() {
        EngineInfo info = client.info();
        assertThat(info.host()).isEqualTo("local");
        assertThat(info.runtimes()).contains("runc");
        assertThat(info.defaultRuntime()).isEqualTo("runc");
        assertThat(info.serverVersion()).isNotBlank();
        assertThat(info.apiVersion()).matches("1\\.\\d+");
    }

    @Test
    void aSocketThatDoesNotExistIsUnavailableNamingTheUrl() {
        try (DockerEngineClient nowhere = new DockerEngineClient(new OperatorConfig.DockerHost("ghost",
                "unix:///tmp/lookout-test-" + run + "/docker.sock", null), DockerSettings.defaults())) {
            long start = System.nanoTime();
            assertThatThrownBy(nowhere::info).isInstanceOf(DockerException.Unavailable.class)
                    .hasMessageContaining("'ghost' (unix:///tmp/lookout-test-" + run + "/docker.sock)");
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(3));
        }
    }

    @Test
    void aPortNobodyListensOnIsUnavailableWithinTheConnectTimeout() {
        try (DockerEngineClient nowhere = new DockerEngineClient(new OperatorConfig.DockerHost("closed",
                "tcp://127.0.0.1:1", null), DockerSettings.defaults())) {
            long start = System.nanoTime();
            assertThatThrownBy(nowhere::ping).isInstanceOf(DockerException.Unavailable.class)
                    .hasMessageContaining("'closed' (tcp://127.0.0.1:1)");
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(3));
        }
    }

    @Test
    void refusesAUrlOrTlsFolderThatCannotWork() {
        assertThatThrownBy(() -> new DockerEngineClient(new OperatorConfig.DockerHost("x", "http://h:2375", null),
                DockerSettings.defaults())).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("neither unix:///path nor tcp://host:port");
        assertThatThrownBy(() -> new DockerEngineClient(new OperatorConfig.DockerHost("x", "tcp://h:2376",
                "/tmp/lookout-test-no-certs-" + run), DockerSettings.defaults()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("lacks ca.pem, cert.pem, key.pem");
    }

    @Test
    void speaksTlsWithTheCertificatesOfTheHostsFolderAndNothingElse(@TempDir Path tmp) {
        TestCertificates authority = TestCertificates.authority("lookout-test-ca");
        authority.writeClientFolder(tmp.resolve("good"));
        TestCertificates.authority("lookout-test-other-ca").writeClientFolder(tmp.resolve("stranger"));
        try (TlsEngineFront front = TlsEngineFront.to(Path.of(PrivateDockerd.SHARED_SOCKET),
                authority.serverContext())) {
            try (DockerEngineClient tls = new DockerEngineClient(new OperatorConfig.DockerHost("tls", front.url(),
                    tmp.resolve("good").toString()), DockerSettings.defaults())) {
                assertThat(tls.info().runtimes()).contains("runc");
            }
            try (DockerEngineClient stranger = new DockerEngineClient(new OperatorConfig.DockerHost("stranger",
                    front.url(), tmp.resolve("stranger").toString()), DockerSettings.defaults())) {
                assertThatThrownBy(stranger::ping).isInstanceOf(DockerException.Unavailable.class)
                        .hasMessageContaining("'stranger' (" + front.url() + ")");
            }
            try (DockerEngineClient plain = new DockerEngineClient(new OperatorConfig.DockerHost("plain",
                    front.url(), null), DockerSettings.defaults())) {
                assertThatThrownBy(plain::ping).isInstanceOf(DockerException.Unavailable.class);
            }
        }
    }

    private String readFile(String id, String path) throws IOException {
        try (InputStream in = shared.copyArchiveFromContainerCmd(id, path).exec();
             TarArchiveInputStream tar = new TarArchiveInputStream(in)) {
            TarArchiveEntry entry = tar.getNextEntry();
            assertThat(entry.getMode() & 0777).isEqualTo(0600);
            return new String(tar.readAllBytes(), StandardCharsets.UTF_8);
        }
    }
}
