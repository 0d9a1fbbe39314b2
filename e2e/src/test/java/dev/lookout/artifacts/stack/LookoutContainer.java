package dev.lookout.artifacts.stack;

import dev.lookout.testing.DockerEngine;
import dev.lookout.testing.TestContainer;
import java.util.ArrayList;
import java.util.List;

/**
 * Lookout's image run with {@code docker run -d}, as a user runs it outside compose: named
 * {@code lookout-test-lookout-<random>}, with whatever options the test gives (the socket, its group, health check
 * timings) and, after the image, its arguments (none: the image's default command). Closing removes it; so does a
 * JVM that exits first.
 */
public final class LookoutContainer implements AutoCloseable {
    private final TestContainer container;
    private final String name;

    private LookoutContainer(TestContainer container) {
        this.container = container;
        this.name = container.name();
    }

    /** {@code docker run --detach OPTIONS IMAGE ARGS}. */
    public static LookoutContainer run(String image, List<String> options, String... args) {
        return new LookoutContainer(TestContainer.run("lookout", null, options, image, List.of(args)));
    }

    /** The options that let Lookout use the host's engine: its socket, and the socket's group added to its user. */
    public static List<String> withTheEngine() {
        return List.of("--volume", DockerEngine.SOCKET + ":" + DockerEngine.SOCKET,
                "--group-add", Integer.toString(DockerSocket.group()));
    }

    public String name() {
        return name;
    }

    /** {@code starting}, {@code healthy} or {@code unhealthy}; empty for an image without a health check. */
    public String health() {
        return inspect("{{if .State.Health}}{{.State.Health.Status}}{{end}}");
    }

    /** The health check's last runs: exit codes and output, for failure messages. */
    public String healthLog() {
        return inspect("{{if .State.Health}}{{range .State.Health.Log}}[exit {{.ExitCode}}] {{.Output}} {{end}}{{end}}");
    }

    public String inspect(String format) {
        return DockerEngine.docker("container", "inspect", "--format", format, name);
    }

    /** A command run inside it, as its own user; its stdout. */
    public String exec(String... command) {
        List<String> args = new ArrayList<>(List.of("exec", name));
        args.addAll(List.of(command));
        return DockerEngine.docker(args.toArray(String[]::new));
    }

    /** What Lookout logged so far. */
    public String logs() {
        return container.logs();
    }

    @Override
    public void close() {
        container.close();
    }
}
