package dev.lookout.testing;

import static org.assertj.core.api.Assertions.assertThat;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.command.WaitContainerResultCallback;
import com.github.dockerjava.api.model.HostConfig;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** The private daemon coexists with the shared one, keeps its state across a restart, and leaves nothing. */
@Timeout(60)
class PrivateDockerdTest {
    private static String image;

    @BeforeAll
    static void available() {
        PrivateDockerd.assumeAvailable();
        image = TestImages.busybox();
    }

    @Test
    void runsContainersThatReachEachOtherOnAUserNetworkAndCleansUpAfterItself() throws Exception {
        Path dir;
        List<String> hostInterfaces = interfaces();
        try (PrivateDockerd daemon = PrivateDockerd.start(); DockerClient docker = daemon.client()) {
            dir = daemon.dir();
            daemon.loadImage(image);
            docker.createNetworkCmd().withName("lookout-test-net").exec();
            // The image's own entrypoint: httpd on 8188 serving an index page, ending on SIGTERM.
            String web = docker.createContainerCmd(image).withName("lookout-test-web")
                    .withHostConfig(HostConfig.newHostConfig().withNetworkMode("lookout-test-net"))
                    .withAliases("web").exec().getId();
            docker.startContainerCmd(web).exec();
            String probe = docker.createContainerCmd(image).withName("lookout-test-probe")
                    .withCmd("/bin/busybox", "sh", "-c",
                            "for i in 1 2 3 4 5; do printf 'GET / HTTP/1.0\\r\\n\\r\\n' | nc -w 2 web 8188"
                                    + " | grep -q '200 OK' && exit 0; sleep 0.2; done; exit 1")
                    .withHostConfig(HostConfig.newHostConfig().withNetworkMode("lookout-test-net")).exec().getId();
            docker.startContainerCmd(probe).exec();
            int exit = docker.waitContainerCmd(probe).exec(new WaitContainerResultCallback())
                    .awaitStatusCode(20, TimeUnit.SECONDS);
            assertThat(exit).as("the probe reached web:8188 over the network").isZero();

            daemon.restart();
            assertThat(docker.inspectContainerCmd(web).exec().getName()).isEqualTo("/lookout-test-web");
            assertThat(docker.listNetworksCmd().withNameFilter("lookout-test-net").exec()).hasSize(1);
            assertThat(interfaces()).as("the host's interfaces, docker0 among them").isEqualTo(hostInterfaces);
        }
        assertThat(dir).doesNotExist();
        assertThat(mountsUnder(dir)).isEmpty();
        assertThat(interfaces()).isEqualTo(hostInterfaces);
    }

    @Test
    void takesARuntimeFromItsConfigFileFoundOnTheExtraPath(@TempDir Path bin) throws Exception {
        // A runtime named by its program alone is looked up on dockerd's PATH (by the shim, which inherits it).
        Path wrapper = bin.resolve("lookout-test-runtime");
        Files.writeString(wrapper, "#!/bin/sh\nexec runc \"$@\"\n");
        Files.setPosixFilePermissions(wrapper, PosixFilePermissions.fromString("rwxr-xr-x"));
        try (PrivateDockerd daemon = PrivateDockerd.builder()
                .daemonJson("{\"runtimes\": {\"nvidia\": {\"path\": \"lookout-test-runtime\"}}}")
                .extraPath(bin).start();
             DockerClient docker = daemon.client()) {
            assertThat(docker.infoCmd().exec().getRuntimes()).containsKey("nvidia");
            daemon.loadImage(image);
            String id = docker.createContainerCmd(image).withCmd("/bin/busybox", "true")
                    .withHostConfig(HostConfig.newHostConfig().withRuntime("nvidia")).exec().getId();
            docker.startContainerCmd(id).exec();
            int exit = docker.waitContainerCmd(id).exec(new WaitContainerResultCallback())
                    .awaitStatusCode(20, TimeUnit.SECONDS);
            assertThat(exit).isZero();
        }
    }

    /** The host's interfaces, less those other tests' containers and networks come and go with. */
    private static List<String> interfaces() throws IOException {
        try (var names = Files.list(Path.of("/sys/class/net"))) {
            return names.map(p -> p.getFileName().toString())
                    .filter(n -> !n.startsWith("veth") && !n.startsWith("br-")).sorted().toList();
        }
    }

    private static List<String> mountsUnder(Path dir) throws IOException {
        return Files.readAllLines(Path.of("/proc/self/mountinfo")).stream().filter(l -> l.contains(dir.toString()))
                .toList();
    }
}
