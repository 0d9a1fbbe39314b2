package dev.lookout.artifacts.stack;

import dev.lookout.testing.DockerEngine;
import dev.lookout.testing.Manifests;
import dev.lookout.testing.Teardown;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The repository's compose stack (compose/docker-compose.yml), driven through {@code compose/stack.sh} as
 * {@code make up} drives it, with {@link StackEnvironment}'s variables winning over compose/.env. Closing runs
 * {@code down --volumes --remove-orphans}, also when the JVM exits first, so nothing of the project is left.
 */
public final class ComposeStack implements AutoCloseable {
    public static final Path SCRIPT = Manifests.REPO.resolve("compose/stack.sh");
    /** `up --wait` of six containers, Lookout's JVM start and its first health check included: ~15 s on 2 cores. */
    private static final Duration UP_TIMEOUT = Duration.ofMinutes(3);
    private static final Duration CALL_TIMEOUT = Duration.ofSeconds(60);

    private final StackEnvironment environment;
    private final Teardown teardown;

    private ComposeStack(StackEnvironment environment) {
        this.environment = environment;
        this.teardown = Teardown.atExit("down-" + environment.project(), this::down);
    }

    /**
     * {@code stack.sh up --pull never --wait}: returns once every service runs and Lookout is healthy. Images are
     * never pulled: no registry is reachable in tests, and a pull would only hang.
     */
    public static ComposeStack up(StackEnvironment environment) {
        ComposeStack stack = new ComposeStack(environment);
        try {
            stack.script(UP_TIMEOUT, "up", "--pull", "never", "--wait", "--wait-timeout", "150");
        } catch (RuntimeException e) {
            String logs = stack.logsQuietly();
            stack.close();
            throw new IllegalStateException(e.getMessage() + "\n--- logs ---\n" + logs, e);
        }
        return stack;
    }

    public String project() {
        return environment.project();
    }

    /** {@code http://127.0.0.1:<port>/}: where the engine published {@code containerPort} of {@code service}. */
    public URI uri(String service, int containerPort) {
        String binding = script(CALL_TIMEOUT, "port", service, Integer.toString(containerPort)).strip();
        if (!binding.startsWith("127.0.0.1:")) {
            throw new AssertionError(service + ":" + containerPort + " is published at '" + binding
                    + "', expected on 127.0.0.1 only");
        }
        return URI.create("http://" + binding + "/");
    }

    /** The name of the one container of {@code service}. */
    public String container(String service) {
        List<String> names = script(CALL_TIMEOUT, "ps", "--all", "--format", "{{.Name}}", service).lines()
                .filter(line -> !line.isBlank()).toList();
        if (names.size() != 1) {
            throw new AssertionError("service " + service + " has containers " + names + ", expected exactly one");
        }
        return names.get(0);
    }

    /** The services with a container, running or not. */
    public List<String> services() {
        return script(CALL_TIMEOUT, "ps", "--all", "--format", "{{.Service}}").lines().filter(line -> !line.isBlank())
                .sorted().toList();
    }

    /** The last lines each of {@code services} logged (all services when none is named): for failure messages. */
    public String logs(String... services) {
        List<String> args = new ArrayList<>(List.of("logs", "--no-color", "--tail", "40"));
        args.addAll(List.of(services));
        DockerEngine.Result result = run(CALL_TIMEOUT, args.toArray(String[]::new));
        return result.stdout() + result.stderr();
    }

    /**
     * Runs {@code stack.sh ARGS}; its stdout. stdout and stderr are kept apart: the script's answer is on stdout,
     * compose's warnings on stderr.
     *
     * @throws IllegalStateException naming the command, its status and both streams, when it exits non-zero
     */
    public String script(Duration timeout, String... args) {
        DockerEngine.Result result = run(timeout, args);
        if (result.exit() != 0) {
            throw new IllegalStateException("stack.sh " + String.join(" ", args) + " exited with " + result.exit()
                    + ":\n" + result.stdout() + result.stderr());
        }
        return result.stdout();
    }

    /** {@code bash compose/stack.sh ARGS} from the repository's root, as {@code make up} runs it. */
    private DockerEngine.Result run(Duration timeout, String... args) {
        List<String> command = new ArrayList<>(List.of("bash", SCRIPT.toString()));
        command.addAll(List.of(args));
        return DockerEngine.exec(command, environment.variables(), Manifests.REPO, timeout);
    }

    @Override
    public void close() {
        teardown.run();
    }

    /** Containers, the project's volumes and anything orphaned (once: see {@link #close}). The shared network is the caller's. */
    private void down() {
        script(CALL_TIMEOUT, "down", "--volumes", "--remove-orphans", "--timeout", "5");
    }

    private String logsQuietly() {
        try {
            return logs();
        } catch (RuntimeException e) {
            return "(no logs: " + e.getMessage() + ")";
        }
    }
}
