package dev.lookout.testing;

import dev.lookout.reload.ToolLocator;
import dev.lookout.reload.ToolProcess;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The local Docker engine for tests, driven through the docker CLI (env {@code LOOKOUT_DOCKER}, else
 * {@code docker} on {@code PATH}), always on {@value #SOCKET} whatever {@code DOCKER_HOST} says: that is the
 * engine {@code .ci/docker.sh} starts and the one Lookout's {@code local} host names.
 *
 * <p>Everything a test creates is named {@code lookout-test-…} with a random suffix and labelled
 * {@value #LABEL}, so leftovers of a killed run can be found ({@code docker ps -a --filter label=dev.lookout.test}).
 */
public final class DockerEngine {
    public static final String SOCKET = "/var/run/docker.sock";
    public static final String LABEL = "dev.lookout.test";
    /** For one CLI call: creating or removing a container takes well under a second on an idle engine. */
    public static final Duration TIMEOUT = Duration.ofSeconds(60);

    private static final String HOST = "unix://" + SOCKET;
    private static final SecureRandom RANDOM = new SecureRandom();
    private static volatile String version;

    private DockerEngine() {
    }

    /** Exit status and the two output streams of a command. */
    public record Result(int exit, String stdout, String stderr) {
    }

    /**
     * The engine's version, for a test that needs one: when the CLI is missing or no engine answers on
     * {@value #SOCKET}, fails in CI ({@code CI=true}) and skips elsewhere.
     */
    public static String require() {
        String known = version;
        if (known != null) {
            return known;
        }
        Optional<Path> cli = cli();
        if (cli.isEmpty()) {
            return Tools.unavailable("the docker CLI is not on PATH (nor named by LOOKOUT_DOCKER):"
                    + " run bash .ci/docker.sh (installs Debian's docker.io)");
        }
        Result result;
        try {
            result = run(Duration.ofSeconds(15), "version", "--format", "{{.Server.Version}}");
        } catch (IllegalStateException e) {
            return Tools.unavailable("no Docker engine answers on " + SOCKET + ": " + e.getMessage()
                    + " (run bash .ci/docker.sh)");
        }
        if (result.exit() != 0 || result.stdout().isBlank()) {
            return Tools.unavailable("no Docker engine answers on " + SOCKET + " (docker version exited with "
                    + result.exit() + ": " + result.stderr().strip() + "): run bash .ci/docker.sh, which starts one");
        }
        version = result.stdout().strip();
        return version;
    }

    /**
     * Runs {@code docker ARGS} within {@link #TIMEOUT}; its stdout without the trailing newline.
     *
     * @throws IllegalStateException with stderr when it exits non-zero, or when it times out
     */
    public static String docker(String... args) {
        return docker(TIMEOUT, args);
    }

    public static String docker(Duration timeout, String... args) {
        Result result = run(timeout, args);
        if (result.exit() != 0) {
            throw new IllegalStateException("docker " + String.join(" ", args) + " exited with " + result.exit()
                    + ": " + result.stderr().strip());
        }
        return result.stdout().strip();
    }

    /** Runs {@code docker ARGS}, whatever its exit status: for a test where failing is the point. */
    public static Result run(Duration timeout, String... args) {
        List<String> cmd = new ArrayList<>();
        cmd.add(cli().map(Path::toString).orElse("docker"));
        cmd.add("--host=" + HOST);
        cmd.addAll(List.of(args));
        return exec(cmd, Map.of(), timeout);
    }

    /**
     * Creates a bridge network named {@code lookout-test-net-<random>}, labelled {@value #LABEL};
     * {@code options} go before the name ({@code "--subnet", "10.99.0.0/24"}).
     */
    public static TestNetwork createNetwork(String... options) {
        String name = randomName("net");
        List<String> args = new ArrayList<>(List.of("network", "create", "--label", LABEL + "=" + name));
        args.addAll(List.of(options));
        args.add(name);
        docker(args.toArray(String[]::new));
        return new TestNetwork(name);
    }

    /** The container's IPv4 address on {@code network}; throws when it has none there (not attached, not running). */
    public static String containerIp(String container, String network) {
        String ip = docker("container", "inspect", "--format",
                "{{with index .NetworkSettings.Networks \"" + network + "\"}}{{.IPAddress}}{{end}}", container);
        if (ip.isEmpty()) {
            throw new IllegalStateException(container + " has no address on " + network);
        }
        return ip;
    }

    /** {@code lookout-test-<role>-<8 random hex digits>}: unique across runs and worktrees sharing the engine. */
    public static String randomName(String role) {
        byte[] bytes = new byte[4];
        RANDOM.nextBytes(bytes);
        return "lookout-test-" + role + "-" + HexFormat.of().formatHex(bytes);
    }

    /** The docker CLI this class runs (for a client of another daemon, such as {@link PrivateDockerd#docker}). */
    static String cliCommand() {
        return cli().map(Path::toString).orElse("docker");
    }

    private static Optional<Path> cli() {
        Map<String, String> env = System.getenv();
        Optional<Path> chosen = ToolLocator.fromEnv(env, "LOOKOUT_DOCKER");
        return chosen.isPresent() ? chosen : ToolLocator.find(ToolLocator.pathDirs(env), "docker");
    }

    /**
     * Runs {@code cmd} with stdin closed and {@code env} added to this JVM's environment, reading stdout and
     * stderr apart while it runs (a full pipe never blocks it). On timeout it and its children are killed.
     *
     * @throws IllegalStateException when it times out (with the output so far)
     * @throws UncheckedIOException  when it cannot start
     */
    public static Result exec(List<String> cmd, Map<String, String> env, Duration timeout) {
        return exec(cmd, env, null, timeout);
    }

    /** As {@link #exec(List, Map, Duration)}, in {@code workDir} (null: this JVM's): a script run as a user runs it. */
    public static Result exec(List<String> cmd, Map<String, String> env, Path workDir, Duration timeout) {
        ProcessBuilder builder = new ProcessBuilder(cmd).directory(workDir == null ? null : workDir.toFile());
        builder.environment().putAll(env);
        Process process;
        try {
            process = builder.start();
            process.getOutputStream().close();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot run " + cmd, e);
        }
        FutureTask<String> stdout = reader(process.getInputStream(), "stdout-" + process.pid());
        FutureTask<String> stderr = reader(process.getErrorStream(), "stderr-" + process.pid());
        try {
            if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                ToolProcess.kill(process);
                throw new IllegalStateException(cmd + " did not finish within " + timeout.toSeconds() + " s; output so far:\n"
                        + collect(stdout) + collect(stderr));
            }
            return new Result(process.exitValue(), collect(stdout), collect(stderr));
        } catch (InterruptedException e) {
            ToolProcess.kill(process);
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while running " + cmd, e);
        }
    }

    private static FutureTask<String> reader(InputStream stream, String name) {
        FutureTask<String> task = new FutureTask<>(() -> new String(stream.readAllBytes(), StandardCharsets.UTF_8));
        Thread thread = new Thread(task, name);
        thread.setDaemon(true);
        thread.start();
        return task;
    }

    /** What a reader got; the pipe closes when the process (and any child holding it) is gone. */
    private static String collect(FutureTask<String> output) {
        try {
            return output.get(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "(interrupted)";
        } catch (ExecutionException | TimeoutException e) {
            output.cancel(true);
            return "(unavailable: " + e + ")";
        }
    }
}
