package dev.lookout.docker;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.exception.NotFoundException;
import com.github.dockerjava.api.model.Container;
import dev.lookout.testing.PrivateDockerd;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Assumptions;

/** What the Docker tests share: the test image, the label that marks a test run's containers, a spec. */
final class TestEngine {
    /** A static busybox image the machine's engine holds (no registry is reachable). */
    static final String IMAGE = "lookout-test/bb:1";
    static final String RUN_LABEL = "lookout.dev/test-run";
    /** PID 1 that ends on SIGTERM (busybox httpd as PID 1 ignores it and each stop would wait out its grace). */
    static final List<String> SERVE = List.of("/bin/busybox", "sh", "-c",
            "trap 'exit 0' TERM; /bin/busybox httpd -f -p 8188 -h /www & wait");

    private TestEngine() {
    }

    static void assumeSharedEngine() {
        Assumptions.assumeTrue(Files.exists(Path.of(PrivateDockerd.SHARED_SOCKET)),
                "no Docker engine at " + PrivateDockerd.SHARED_SOCKET);
        try (DockerClient shared = PrivateDockerd.sharedClient()) {
            shared.inspectImageCmd(IMAGE).exec();
        } catch (NotFoundException e) {
            Assumptions.abort("the test image " + IMAGE + " is not on the shared engine");
        } catch (IOException | RuntimeException e) {
            Assumptions.abort("the shared engine does not answer: " + e);
        }
    }

    /** A container of the test image serving HTTP on 8188, labelled with the test run. */
    static ContainerSpec spec(String name, String run) {
        return new ContainerSpec(name, IMAGE, SERVE, null, Map.of(RUN_LABEL, run), null, null, null, null, null,
                "no", null, null);
    }

    static void removeTestContainers(DockerClient docker, String run) {
        for (Container c : docker.listContainersCmd().withShowAll(true).withLabelFilter(Map.of(RUN_LABEL, run))
                .exec()) {
            try {
                docker.removeContainerCmd(c.getId()).withForce(true).exec();
            } catch (NotFoundException gone) {
                // removed meanwhile
            }
        }
    }
}
