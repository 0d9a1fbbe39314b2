package dev.lookout.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * A compose project driven by the real Compose v2 ({@link Tools#dockerCompose()}) against the engine on
 * {@value DockerEngine#SOCKET}: the test's compose file in a temp folder, the project named
 * {@code lookout-test-compose-<random>}, so its containers are {@code <project>-<service>-<n>}. Every call is
 * bounded; closing runs {@code down -v --remove-orphans} and deletes the folder (a JVM that exits first does
 * the same).
 *
 * <pre>{@code
 * try (ComposeProject project = ComposeProject.create(yaml)) {
 *     project.up(Map.of("comfy", 2));
 *     project.ps();   // [lookout-test-compose-1a2b3c4d-comfy-1, lookout-test-compose-1a2b3c4d-comfy-2]
 * }
 * }</pre>
 */
public final class ComposeProject implements AutoCloseable {
    /** One compose call; creating a few busybox containers takes a second. */
    public static final Duration TIMEOUT = Duration.ofSeconds(120);

    private final Path binary;
    private final String name;
    private final Path dir;
    private final Path file;
    private final Teardown teardown;

    private ComposeProject(Path binary, String name, Path dir, Path file) {
        this.binary = binary;
        this.name = name;
        this.dir = dir;
        this.file = file;
        this.teardown = Teardown.atExit("down-" + name, this::down);
    }

    /** Writes {@code composeYaml} as compose.yaml of a new project; nothing runs until {@link #up}. */
    public static ComposeProject create(String composeYaml) {
        DockerEngine.require();
        Path binary = Tools.require(Tools.dockerCompose(), "docker-compose");
        String name = DockerEngine.randomName("compose");
        try {
            Path dir = Files.createTempDirectory(name + "-");
            Path file = Files.writeString(dir.resolve("compose.yaml"), composeYaml);
            return new ComposeProject(binary, name, dir, file);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the compose file of " + name, e);
        }
    }

    public String name() {
        return name;
    }

    public Path file() {
        return file;
    }

    /**
     * Makes the project's default network beforehand, in {@code subnet}, labelled as compose labels the ones it makes
     * (so {@link #up} takes it as its own): a network as a daemon with other address pools would have given it.
     *
     * @return its name
     */
    public String createDefaultNetwork(String subnet) {
        String network = name + "_default";
        DockerEngine.docker("network", "create", "--subnet", subnet, "--label", "com.docker.compose.project=" + name,
                "--label", "com.docker.compose.network=default", network);
        return network;
    }

    /** {@code <project>-<service>-<index>}: the name Compose v2 gives a replica (index from 1). */
    public String container(String service, int index) {
        return name + "-" + service + "-" + index;
    }

    /** {@code up -d} of every service, one replica each unless the file says otherwise. */
    public void up() {
        up(Map.of());
    }

    /**
     * {@code up -d --scale service=n ...}. Images are never pulled ({@code --pull never}): no registry is
     * reachable in tests, and a pull would only hang until the timeout.
     */
    public void up(Map<String, Integer> replicas) {
        List<String> args = new ArrayList<>(List.of("up", "--detach", "--pull", "never"));
        replicas.forEach((service, n) -> args.add("--scale=" + service + "=" + n));
        compose(args.toArray(String[]::new));
    }

    /** Sets a service's replica count, leaving its running containers as they are. */
    public void scale(String service, int replicas) {
        compose("up", "--detach", "--pull", "never", "--no-recreate", "--scale=" + service + "=" + replicas, service);
    }

    public void stop(String... services) {
        compose(withArgs("stop", services));
    }

    public void start(String... services) {
        compose(withArgs("start", services));
    }

    public void kill(String... services) {
        compose(withArgs("kill", services));
    }

    public void restart(String... services) {
        compose(withArgs("restart", services));
    }

    /** One replica, by container name ({@link #container}), through the docker CLI: compose acts on services. */
    public void stopContainer(String container) {
        DockerEngine.docker("stop", container);
    }

    public void startContainer(String container) {
        DockerEngine.docker("start", container);
    }

    public void killContainer(String container) {
        DockerEngine.docker("kill", container);
    }

    public void restartContainer(String container) {
        DockerEngine.docker("restart", container);
    }

    /** The names of the project's containers, running or not, sorted. */
    public List<String> ps() {
        return compose("ps", "--all", "--format", "{{.Name}}").lines().filter(line -> !line.isBlank()).sorted()
                .toList();
    }

    /**
     * Runs {@code docker-compose -p <project> -f <file> ARGS} in the project folder; its stdout.
     *
     * @throws IllegalStateException with stderr when it exits non-zero or times out
     */
    public String compose(String... args) {
        List<String> cmd = new ArrayList<>(List.of(binary.toString(), "--project-name", name,
                "--file", file.toString(), "--project-directory", dir.toString()));
        cmd.addAll(List.of(args));
        DockerEngine.Result result = DockerEngine.exec(cmd,
                Map.of("DOCKER_HOST", "unix://" + DockerEngine.SOCKET), TIMEOUT);
        if (result.exit() != 0) {
            throw new IllegalStateException("docker-compose " + String.join(" ", args) + " (project " + name
                    + ") exited with " + result.exit() + ": " + result.stderr().strip());
        }
        return result.stdout();
    }

    @Override
    public void close() {
        teardown.run();
    }

    /** Removes the containers, networks and volumes of the project, and its folder (once: see {@link #close}). */
    private void down() {
        try {
            compose("down", "--volumes", "--remove-orphans", "--timeout", "5");
        } finally {
            deleteDir();
        }
    }

    private void deleteDir() {
        try (Stream<Path> paths = Files.walk(dir)) {
            for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        } catch (IOException e) {
            // a leftover temp folder is not worth failing a test for
        }
    }

    private static String[] withArgs(String command, String... services) {
        List<String> args = new ArrayList<>(List.of(command));
        args.addAll(List.of(services));
        return args.toArray(String[]::new);
    }
}
