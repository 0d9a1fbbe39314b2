package dev.lookout.artifacts.stack;

import dev.lookout.testing.DockerEngine;
import dev.lookout.testing.TestContainer;
import dev.lookout.testing.TestNetwork;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * A ComfyUI-like container (busybox's /serve: httpd behind basic auth answering /object_info/CheckpointLoaderSimple
 * as ComfyUI does) on the stack's shared network, labelled so that the stack's ComfyProbe discovers it, with
 * {@code restart: always} as ComfyUI's compose files have it. Closing removes it; so does a JVM that exits first.
 */
public final class ComfyStandIn implements AutoCloseable {
    /** The label the test ComfyProbe selects on (e2e/src/test/resources/stack/resources/comfy.yaml). */
    public static final String STACK_LABEL = "lookout.test/stack";
    public static final String PASSWORD = "stand-in-s3cret";
    public static final int PORT = 8188;

    private final TestContainer container;
    private final String name;

    private ComfyStandIn(TestContainer container) {
        this.container = container;
        this.name = container.name();
    }

    /** Starts one, discovered by the probe of the stack whose label value is {@code stackId}. */
    public static ComfyStandIn start(String image, TestNetwork network, String stackId) {
        return new ComfyStandIn(TestContainer.run("comfy", network, List.of("--label", STACK_LABEL + "=" + stackId,
                "--restart", "always", "--env", "AUTH_PASSWORD=" + PASSWORD), image, List.of()));
    }

    public String name() {
        return name;
    }

    /** The target Lookout writes for it. */
    public String target() {
        return "http://" + name + ":" + PORT + "/object_info/CheckpointLoaderSimple";
    }

    /** When its current run began, by the engine's clock (State.StartedAt). */
    public Instant startedAt() {
        return Instant.parse(DockerEngine.docker("inspect", "--format", "{{.State.StartedAt}}", name));
    }

    /**
     * ComfyUI's process dies once (as in a crash) and {@code restart: always} brings the same container back: Docker
     * counts a restart, and the container is "restarting", not stopped, in between.
     */
    public void crashOnce() {
        // The exec may die with the container (exit 137): what counts is that the container went down.
        DockerEngine.run(Duration.ofSeconds(30), "exec", name, "/bin/busybox", "kill", "1");
    }

    /** How often Docker restarted it (RestartCount). */
    public int restartCount() {
        return Integer.parseInt(DockerEngine.docker("inspect", "--format", "{{.RestartCount}}", name));
    }

    /**
     * ComfyUI killed, and failing at every start since (a broken install, a model path gone): its program is
     * replaced by one that exits 1, then its process is killed. Under {@code restart: always} it crash-loops, which
     * keeps it a target (a container that is merely stopped is not), and every probe of it fails. (A plain
     * {@code docker kill} is a manual stop to Docker: no restart, no target, no alert.)
     */
    public void crashLoop() {
        // The exec may die with the container (exit 137): what counts is that the container went down.
        DockerEngine.run(Duration.ofSeconds(30), "exec", name, "/bin/busybox", "sh", "-c",
                "printf '#!/bin/sh\\nexit 1\\n' > /serve && kill 1");
    }

    /** Status and restart count, for failure messages. */
    public String state() {
        return DockerEngine.run(DockerEngine.TIMEOUT, "inspect", "--format",
                "{{.State.Status}}, {{.RestartCount}} restarts, started {{.State.StartedAt}}", name).stdout().strip();
    }

    @Override
    public void close() {
        container.close();
    }
}
