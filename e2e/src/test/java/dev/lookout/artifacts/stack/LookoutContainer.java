package dev.lookout.artifacts.stack;

import dev.lookout.testing.DockerEngine;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Lookout's image run with {@code docker run -d}, as a user runs it outside compose: named
 * {@code lookout-test-lookout-<random>}, with whatever options the test gives (the socket, its group, health check
 * timings) and, after the image, its arguments (none: the image's default command). Closing removes it; so does a
 * JVM that exits first.
 */
public final class LookoutContainer implements AutoCloseable {
    private final String name;
    private final AtomicBoolean closed = new AtomicBoolean();
    private final Thread hook;

    private LookoutContainer(String name) {
        this.name = name;
        this.hook = new Thread(this::remove, "remove-" + name);
        Runtime.getRuntime().addShutdownHook(hook);
    }

    /** {@code docker run --detach OPTIONS IMAGE ARGS}. */
    public static LookoutContainer run(String image, List<String> options, String... args) {
        LookoutContainer container = new LookoutContainer(DockerEngine.randomName("lookout"));
        List<String> run = new ArrayList<>(List.of("run", "--detach", "--name", container.name,
                "--label", DockerEngine.LABEL + "=" + container.name));
        run.addAll(options);
        run.add(image);
        run.addAll(List.of(args));
        try {
            DockerEngine.docker(run.toArray(String[]::new));
        } catch (RuntimeException e) {
            container.close();
            throw e;
        }
        return container;
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
        DockerEngine.Result result = DockerEngine.run(DockerEngine.TIMEOUT, "logs", name);
        return result.stdout() + result.stderr();
    }

    @Override
    public void close() {
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException shuttingDown) {
            // the hook is running or will run
        }
        remove();
    }

    private void remove() {
        if (closed.compareAndSet(false, true)) {
            DockerEngine.run(DockerEngine.TIMEOUT, "rm", "--force", "--volumes", name);
        }
    }
}
