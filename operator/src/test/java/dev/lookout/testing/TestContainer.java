package dev.lookout.testing;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.awaitility.Awaitility;
import org.awaitility.core.ConditionTimeoutException;

/**
 * One container a test runs with {@code docker run -d}: named {@code lookout-test-<role>-<random>}, on a
 * {@link TestNetwork} under aliases, its ports published on 127.0.0.1 only, at ports the engine picks (so two
 * runs never race for one). Closing removes it; a JVM that exits first removes it too.
 *
 * <pre>{@code
 * try (TestContainer exporter = TestContainer.builder(TestImages.busybox(), "dcgm")
 *         .network(network, "dcgm-exporter").env("METRICS_PORT", "9400").env("BODY", text).start()) { ... }
 * }</pre>
 */
public final class TestContainer implements AutoCloseable {

    private final String name;
    private final TestNetwork network;
    private final Teardown teardown;

    private TestContainer(String name, TestNetwork network) {
        this.name = name;
        this.network = network;
        this.teardown = Teardown.atExit("remove-" + name, this::remove);
    }

    /** A container of {@code image}; {@code role} goes into its name. */
    public static Builder builder(String image, String role) {
        return new Builder(image, role);
    }

    public static final class Builder {
        private final String image;
        private final String role;
        private TestNetwork network;
        private final List<String> aliases = new ArrayList<>();
        private final Map<String, String> env = new HashMap<>();
        private final List<String> mounts = new ArrayList<>();
        private final List<Integer> published = new ArrayList<>();
        private final List<String> args = new ArrayList<>();

        private Builder(String image, String role) {
            this.image = image;
            this.role = role;
        }

        public Builder network(TestNetwork network, String... aliases) {
            this.network = network;
            this.aliases.addAll(List.of(aliases));
            return this;
        }

        public Builder env(String name, String value) {
            env.put(name, value);
            return this;
        }

        /** A host folder or file at {@code containerPath}, read-only: the test writes, the container reads. */
        public Builder mount(Path hostPath, String containerPath) {
            mounts.add(hostPath.toAbsolutePath() + ":" + containerPath + ":ro");
            return this;
        }

        /** Publishes {@code containerPort}/tcp on 127.0.0.1, at a free port the engine picks ({@link #uri}). */
        public Builder publish(int containerPort) {
            published.add(containerPort);
            return this;
        }

        /** Arguments after the image: the command, or the entrypoint's flags. */
        public Builder args(String... args) {
            this.args.addAll(List.of(args));
            return this;
        }

        /** Creates and starts it (not waiting for what runs inside: see {@link #awaitHttp}). */
        public TestContainer start() {
            List<String> options = new ArrayList<>();
            if (network != null) {
                aliases.forEach(alias -> options.add("--network-alias=" + alias));
            }
            env.forEach((key, value) -> options.add("--env=" + key + "=" + value));
            mounts.forEach(mount -> options.add("--volume=" + mount));
            published.forEach(port -> options.add("--publish=127.0.0.1::" + port));
            return run(role, network, options, image, args);
        }
    }

    /**
     * {@code docker run --detach [--network] OPTIONS IMAGE ARGS}, named and labelled as every test container is: for a
     * container that needs {@code docker run} options the {@link Builder} has no method for (labels, a restart
     * policy, extra groups). {@code network} may be null.
     */
    public static TestContainer run(String role, TestNetwork network, List<String> options, String image, List<String> args) {
        String name = DockerEngine.randomName(role);
        List<String> run = new ArrayList<>(List.of("run", "--detach", "--name", name,
                "--label", DockerEngine.LABEL + "=" + name));
        if (network != null) {
            run.add("--network=" + network.name());
        }
        run.addAll(options);
        run.add(image);
        run.addAll(args);
        TestContainer container = new TestContainer(name, network);
        try {
            DockerEngine.docker(run.toArray(String[]::new));
        } catch (RuntimeException e) {
            container.close();   // docker run may have created it before failing to start it
            throw e;
        }
        return container;
    }

    public String name() {
        return name;
    }

    /** Its address on the network it was started on. */
    public String ip() {
        if (network == null) {
            throw new IllegalStateException(name + " was started on no test network");
        }
        return DockerEngine.containerIp(name, network.name());
    }

    /** {@code http://127.0.0.1:<host port>/} for a port given to {@link Builder#publish}. */
    public URI uri(int containerPort) {
        String binding = DockerEngine.docker("port", name, containerPort + "/tcp").lines().findFirst()
                .orElseThrow(() -> new IllegalStateException(name + " publishes no port " + containerPort));
        return URI.create("http://" + binding + "/");
    }

    public boolean running() {
        return "true".equals(DockerEngine.docker("container", "inspect", "--format", "{{.State.Running}}", name));
    }

    /** What it printed so far, stdout and stderr. */
    public String logs() {
        DockerEngine.Result result = DockerEngine.run(DockerEngine.TIMEOUT, "logs", name);
        return result.stdout() + result.stderr();
    }

    /**
     * Waits until {@code GET path} on a published port answers 200, at most {@code atMost}. A container that
     * exits, or a timeout, fails with its log.
     */
    public void awaitHttp(int containerPort, String path, Duration atMost) {
        URI uri = uri(containerPort).resolve(path.startsWith("/") ? path.substring(1) : path);
        await(name + " answers 200 on " + uri, () -> {
            if (ServerProcess.status(uri) == 200) {
                return true;
            }
            if (!running()) {
                throw new AssertionError(name + " exited");
            }
            return false;
        }, atMost);
    }

    /** Polls {@code condition} until it holds, at most {@code atMost}; a timeout fails with the container's log. */
    public void await(String what, Callable<Boolean> condition, Duration atMost) {
        try {
            Awaitility.await(what).atMost(atMost).pollInterval(Duration.ofMillis(200)).until(condition);
        } catch (ConditionTimeoutException | AssertionError e) {
            throw new AssertionError(e.getMessage() + "\n--- " + name + " log ---\n" + logs(), e);
        }
    }

    @Override
    public void close() {
        teardown.run();
    }

    /** Removes it, running or not, with its anonymous volumes; absent is fine. Once: see {@link #close}. */
    private void remove() {
        DockerEngine.run(DockerEngine.TIMEOUT, "rm", "--force", "--volumes", name);
    }
}
