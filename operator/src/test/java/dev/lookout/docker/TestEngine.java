package dev.lookout.docker;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.exception.NotFoundException;
import com.github.dockerjava.api.model.Container;
import dev.lookout.testing.DockerEngine;
import dev.lookout.testing.TestImages;
import java.util.List;
import java.util.Map;

/** What the Docker tests share: the test image, the label that marks a test run's containers, a spec. */
final class TestEngine {
    static final String RUN_LABEL = "lookout.dev/test-run";
    /** PID 1 that ends on SIGTERM (busybox httpd as PID 1 ignores it and each stop would wait out its grace). */
    static final List<String> SERVE = List.of("/bin/busybox", "sh", "-c",
            "trap 'exit 0' TERM; /bin/busybox httpd -f -p 8188 -h /www & wait");

    private TestEngine() {
    }

    /**
     * The static busybox image .ci/images.sh builds ({@link TestImages#busybox}; no registry is reachable), on the
     * shared engine. Where there is no engine or no image can be built, a test fails in CI and skips elsewhere.
     */
    static String image() {
        return TestImages.busybox();
    }

    /** The shared engine answers and holds the test image: fails in CI ({@code CI=true}), skips elsewhere. */
    static void requireSharedEngine() {
        DockerEngine.require();
        image();
    }

    /** A container of the test image serving HTTP on 8188, labelled with the test run. */
    static ContainerSpec spec(String name, String run) {
        return new ContainerSpec(name, image(), SERVE, null, Map.of(RUN_LABEL, run), null, null, null, null, null,
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
