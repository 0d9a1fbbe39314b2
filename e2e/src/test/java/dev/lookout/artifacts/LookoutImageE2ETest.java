package dev.lookout.artifacts;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lookout.artifacts.stack.DockerSocket;
import dev.lookout.artifacts.stack.LookoutContainer;
import dev.lookout.artifacts.stack.LookoutImage;
import dev.lookout.testing.Cleanup;
import dev.lookout.testing.DockerEngine;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import org.awaitility.Awaitility;
import org.awaitility.core.ConditionTimeoutException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Lookout's image, built from the repository's Dockerfile on a local JRE base (.ci/lookout-base.sh) and run on the
 * real engine as a user runs it: {@code docker run} with the host's socket and its group, and the default command.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class LookoutImageE2ETest {
    /** The image's health check: first run 10 s after the start, a JVM start of 2-5 s on 2 busy cores. */
    static final Duration HEALTHY_WITHIN = Duration.ofSeconds(90);
    static final Duration LOGGED_WITHIN = Duration.ofSeconds(60);

    String image;
    LookoutContainer lookout;

    @BeforeAll
    void start() {
        image = LookoutImage.tag();
        lookout = LookoutContainer.run(image, LookoutContainer.withTheEngine());
    }

    @AfterAll
    void stop() {
        Cleanup.quietly(lookout);
    }

    @Test
    void runsLookoutAsItsOwnUserNotRoot() {
        assertThat(DockerEngine.docker("image", "inspect", "--format", "{{.Config.User}}", image))
                .as("the image's USER, numeric so that a runtime can tell it is not root").isEqualTo(LookoutImage.USER);
        awaitLogged(lookout, "HTTP", "http://0.0.0.0:8080/");
        // The JVM itself (PID 1), not only what `docker exec` would run as.
        List<String> status = lookout.exec("cat", "/proc/1/status").lines().toList();
        assertThat(status).as("/proc/1/status of Lookout's JVM").anySatisfy(line -> assertThat(line).matches("Uid:\\s+10001\\s+10001\\s+10001\\s+10001"));
        assertThat(status).as("its supplementary groups: the socket's, from --group-add")
                .anySatisfy(line -> assertThat(line).startsWith("Groups:").contains(Integer.toString(DockerSocket.group())));
    }

    @Test
    void defaultCommandWatchesTheResourceFolderAndServesOnAllInterfaces() {
        awaitLogged(lookout, "the start line", "watching /etc/lookout/resources; outputs in /var/lib/lookout/out; "
                + "state in /var/lib/lookout/state; http://0.0.0.0:8080/");
    }

    @Test
    void healthCheckTurnsHealthyOnceLookoutServes() {
        await(lookout, "the health check turns healthy", () -> "healthy".equals(lookout.health()), HEALTHY_WITHIN);
    }

    @Test
    void reachesTheEngineThroughTheMountedSocketWithTheSocketsGroup() {
        awaitLogged(lookout, "the Docker host connected",
                "Docker host 'local' (unix:///var/run/docker.sock): engine " + DockerEngine.require() + ", API 1.41");
        assertThat(lookout.logs()).doesNotContain("is unavailable");
    }

    @Test
    void withoutTheSocketsGroupTheEngineRefusesIt() {
        Assumptions.assumeFalse(DockerSocket.worldWritable(),
                DockerEngine.SOCKET + " is writable by everyone here, so no group is needed to use it");
        try (LookoutContainer withoutGroup = LookoutContainer.run(image,
                List.of("--volume", DockerEngine.SOCKET + ":" + DockerEngine.SOCKET))) {
            awaitLogged(withoutGroup, "the socket refused", "Docker host 'local' (unix:///var/run/docker.sock) is unavailable");
            assertThat(withoutGroup.logs()).contains("Permission denied");
        }
    }

    @Test
    void healthCheckFailsWhileNothingAnswersOnPort8080() {
        // Lookout serving, but on another port than the one the check asks: a check that passed anyway would not be one.
        try (LookoutContainer elsewhere = LookoutContainer.run(image,
                List.of("--health-interval=1s", "--health-start-period=1ms", "--health-retries=2"),
                "run", "--watch", "/etc/lookout/resources", "--out", "/var/lib/lookout/out", "--state", "/var/lib/lookout/state",
                "--listen", "0.0.0.0:9999")) {
            awaitLogged(elsewhere, "Lookout serving on 9999", "http://0.0.0.0:9999/");
            try {
                Awaitility.await("unhealthy, and staying so while Lookout serves on 9999").atMost(Duration.ofSeconds(20))
                        .during(Duration.ofSeconds(4)).pollInterval(Duration.ofMillis(500))
                        .until(() -> "unhealthy".equals(elsewhere.health()));
            } catch (ConditionTimeoutException e) {
                throw new AssertionError(e.getMessage() + "; health " + elsewhere.health() + ": " + elsewhere.healthLog(), e);
            }
        }
    }

    private static void awaitLogged(LookoutContainer container, String what, String line) {
        await(container, what + ": its log shows \"" + line + "\"", () -> container.logs().contains(line), LOGGED_WITHIN);
    }

    private static void await(LookoutContainer container, String what, Callable<Boolean> condition, Duration atMost) {
        try {
            Awaitility.await(what).atMost(atMost).pollInterval(Duration.ofMillis(500)).until(condition);
        } catch (ConditionTimeoutException e) {
            throw new AssertionError(e.getMessage() + "\nhealth: " + container.health() + " " + container.healthLog()
                    + "\n--- " + container.name() + " log ---\n" + container.logs(), e);
        }
    }

}
