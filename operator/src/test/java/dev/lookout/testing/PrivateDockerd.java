package dev.lookout.testing;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.model.Container;
import com.github.dockerjava.core.DefaultDockerClientConfig;
import com.github.dockerjava.core.DockerClientImpl;
import com.github.dockerjava.zerodep.ZerodepDockerHttpClient;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.StandardProtocolFamily;
import java.net.URI;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.awaitility.Awaitility;

/**
 * A Docker daemon of a test's own, beside the machine's shared one, so that a test may stop, restart or freeze
 * it. Everything it has is its own: socket, data-root, exec-root, pidfile, config file, containerd (supervised
 * by it, in namespaces of its own) and a network namespace ({@code unshare --net}), in which it runs with its
 * usual defaults: its own docker0, its own iptables rules and address pools.
 *
 * <p>Why a network namespace, learned the hard way on dockerd 20.10: {@code --bridge=none} makes dockerd
 * DELETE the host's {@code docker0} (the shared daemon's default bridge) at startup, and even with
 * {@code -b <own bridge>} a restart on the same data-root deletes {@code docker0} while clearing its stale default
 * network. With {@code --iptables=false} beside a shared daemon whose FORWARD policy is DROP, containers on a
 * user network resolve each other but cannot connect. In a namespace of its own none of this touches the host,
 * and user-defined bridge networks work as on any engine. Its containers are reachable from inside its
 * namespace only; the socket is a file, so clients reach the daemon as usual.
 *
 * <p>It has no images: {@link #loadImage} copies one from the shared daemon. {@link #close} removes its
 * containers and networks, stops it, unmounts what is left under its folder and deletes the folder. Needs root,
 * {@code dockerd} and {@code unshare}; {@link #assumeAvailable} fails a test in CI where they are missing, and skips it
 * elsewhere.
 */
public final class PrivateDockerd implements AutoCloseable {
    public static final String SHARED_SOCKET = "/var/run/docker.sock";
    private static final Duration START_TIMEOUT = Duration.ofSeconds(30);
    private static final Duration STOP_TIMEOUT = Duration.ofSeconds(20);

    private final Path dir;
    private final String id;
    private final List<String> extraArgs;
    private final Path extraPath;
    private Process process;
    private final Thread killer;

    private PrivateDockerd(Path dir, String id, List<String> extraArgs, Path extraPath) {
        this.dir = dir;
        this.id = id;
        this.extraArgs = List.copyOf(extraArgs);
        this.extraPath = extraPath;
        this.killer = new Thread(this::killQuietly, "kill-private-dockerd-" + id);
        Runtime.getRuntime().addShutdownHook(killer);
    }

    /**
     * Ends the calling test where no private daemon can run (not root, or no dockerd, or no shared daemon to copy
     * images from): a failure in CI ({@code CI=true}), where skipping would hide that nothing was checked, a skip
     * elsewhere.
     */
    public static void assumeAvailable() {
        if (!"root".equals(System.getProperty("user.name"))) {
            Tools.unavailable("a private dockerd needs root");
        }
        if (!onPath("dockerd") || !onPath("unshare")) {
            Tools.unavailable("a private dockerd needs dockerd and unshare on PATH (run bash .ci/docker.sh)");
        }
        DockerEngine.require();
    }

    public static PrivateDockerd start() {
        return builder().start();
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Options for what a test needs of the daemon: a runtime in daemon.json, a fake hook on its PATH. */
    public static final class Builder {
        private final List<String> extraArgs = new ArrayList<>();
        private String daemonJson = "{}";
        private Path extraPath;

        /** More dockerd flags; none that the config file also sets (dockerd refuses a directive set twice). */
        public Builder args(String... args) {
            extraArgs.addAll(List.of(args));
            return this;
        }

        /** The daemon's config file, e.g. {@code {"runtimes": {"nvidia": {"path": "runc"}}}}. */
        public Builder daemonJson(String json) {
            this.daemonJson = json;
            return this;
        }

        /** A folder put first on dockerd's PATH (and so its runtimes' and hooks'). */
        public Builder extraPath(Path folder) {
            this.extraPath = folder;
            return this;
        }

        public PrivateDockerd start() {
            Path dir;
            try {
                // Short: the socket path must stay under the 108 bytes of sockaddr_un.
                dir = Files.createTempDirectory(Path.of("/tmp"), "lookout-test-dockerd-",
                        PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
                Files.writeString(dir.resolve("daemon.json"), daemonJson);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot make a folder for a private dockerd", e);
            }
            String id = Long.toString(ProcessHandle.current().pid(), 36) + randomSuffix(4);
            PrivateDockerd daemon = new PrivateDockerd(dir, id, extraArgs, extraPath);
            try {
                daemon.launch();
                return daemon;
            } catch (RuntimeException | Error e) {
                daemon.close();
                throw e;
            }
        }
    }

    private void launch() {
        // unshare execs sh, which brings up the namespace's loopback and execs dockerd: the Process is dockerd.
        List<String> command = new ArrayList<>(List.of("unshare", "--net", "sh", "-c",
                "ip link set lo up 2>/dev/null || true; exec \"$0\" \"$@\"", "dockerd",
                "-H", url(),
                "--data-root", dir.resolve("data").toString(),
                "--exec-root", dir.resolve("exec").toString(),
                "--pidfile", dir.resolve("docker.pid").toString(),
                "--config-file", dir.resolve("daemon.json").toString(),
                "--containerd-namespace", "lookout-test-" + id,
                "--containerd-plugins-namespace", "lookout-test-" + id + "-plugins",
                // containers that ignore SIGTERM would hold each stop for the default 15 s
                "--shutdown-timeout", "2"));
        command.addAll(extraArgs);
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log().toFile()));
        if (extraPath != null) {
            builder.environment().put("PATH", extraPath + ":" + System.getenv().getOrDefault("PATH", "/usr/bin:/bin"));
        }
        try {
            process = builder.start();
            process.getOutputStream().close();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start dockerd", e);
        }
        try {
            Awaitility.await("private dockerd answers on " + socket()).atMost(START_TIMEOUT)
                    .pollInterval(Duration.ofMillis(50)).until(() -> {
                        if (!process.isAlive()) {
                            throw new IllegalStateException("it exited with " + process.exitValue());
                        }
                        return pings();
                    });
        } catch (RuntimeException e) {
            throw new AssertionError("private dockerd did not start: " + e.getMessage() + "\n" + logTail(), e);
        }
    }

    /** {@code unix:///tmp/lookout-test-dockerd-…/docker.sock}. */
    public String url() {
        return "unix://" + socket();
    }

    public Path socket() {
        return dir.resolve("docker.sock");
    }

    public Path dir() {
        return dir;
    }

    public Path log() {
        return dir.resolve("dockerd.log");
    }

    public boolean running() {
        return process != null && process.isAlive();
    }

    public long pid() {
        return process.pid();
    }

    /** A plain docker-java client on this daemon, for a test's setup and checks (the caller closes it). */
    public DockerClient client() {
        return client(url());
    }

    /** A plain docker-java client on the shared daemon. */
    public static DockerClient sharedClient() {
        return client("unix://" + SHARED_SOCKET);
    }

    private static DockerClient client(String url) {
        var http = new ZerodepDockerHttpClient.Builder().dockerHost(URI.create(url))
                .connectionTimeout(Duration.ofSeconds(3)).responseTimeout(Duration.ofSeconds(60)).build();
        var config = DefaultDockerClientConfig.createDefaultConfigBuilder().withDockerHost(url)
                .withDockerTlsVerify(false).build();
        return DockerClientImpl.getInstance(config, http);
    }

    /**
     * Runs {@code docker -H <this daemon> ARGS} within {@link DockerEngine#TIMEOUT}; its stdout without the trailing
     * newline. Throws with stderr when it exits non-zero.
     */
    public String docker(String... args) {
        List<String> cmd = new ArrayList<>(List.of(DockerEngine.cliCommand(), "--host=" + url()));
        cmd.addAll(List.of(args));
        DockerEngine.Result result = DockerEngine.exec(cmd, java.util.Map.of(), DockerEngine.TIMEOUT);
        if (result.exit() != 0) {
            throw new IllegalStateException(String.join(" ", cmd) + " exited with " + result.exit() + ": "
                    + result.stderr().strip());
        }
        return result.stdout().strip();
    }

    /** Copies {@code image} from the shared daemon into this one. */
    public void loadImage(String image) {
        try (DockerClient shared = sharedClient(); DockerClient own = client();
             InputStream tar = shared.saveImageCmd(image).exec()) {
            own.loadImageCmd(tar).exec();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot copy " + image + " into the private dockerd", e);
        }
    }

    /** SIGTERM, then a bounded wait; SIGKILL (and its containerd) when it does not end in time. */
    public void stop() {
        if (process == null || !process.isAlive()) {
            return;
        }
        process.destroy();
        try {
            if (!process.waitFor(STOP_TIMEOUT.toSeconds(), TimeUnit.SECONDS)) {
                process.destroyForcibly();
                process.waitFor(5, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
        killOwnContainerd();
    }

    /** Stops it and starts it again on the same socket and data-root (in a new network namespace). */
    public void restart() {
        stop();
        launch();
    }

    /** Freezes (SIGSTOP) or thaws (SIGCONT) the daemon: it accepts connections and answers nothing. */
    public void freeze(boolean frozen) {
        run("kill", frozen ? "-STOP" : "-CONT", Long.toString(process.pid()));
    }

    @Override
    public void close() {
        if (process != null && process.isAlive()) {
            freezeQuietlyOff();
            removeEverything();
        }
        stop();
        unmountUnder(dir);
        deleteTree(dir);
        try {
            Runtime.getRuntime().removeShutdownHook(killer);
        } catch (IllegalStateException shuttingDown) {
            // the hook runs anyway
        }
    }

    private void freezeQuietlyOff() {
        runQuietly("kill", "-CONT", Long.toString(process.pid()));
    }

    /** Containers first, so that their mounts and shims are gone before the daemon and its folder. */
    private void removeEverything() {
        try (DockerClient own = client()) {
            for (Container c : own.listContainersCmd().withShowAll(true).exec()) {
                try {
                    own.removeContainerCmd(c.getId()).withForce(true).exec();
                } catch (RuntimeException e) {
                    // removed meanwhile, or stuck: the daemon's stop and the unmounts below still clean up
                }
            }
        } catch (IOException | RuntimeException e) {
            // the daemon is not answering: stop() and the unmounts below still clean up
        }
    }

    /** A dockerd killed with SIGKILL leaves the containerd it supervised running. */
    private void killOwnContainerd() {
        Path pidFile = dir.resolve("exec/containerd/containerd.pid");
        try {
            if (!Files.exists(pidFile)) {
                return;
            }
            long pid = Long.parseLong(Files.readString(pidFile).trim());
            ProcessHandle.of(pid).filter(p -> p.info().commandLine().orElse("").contains(dir.toString()))
                    .ifPresent(p -> {
                        p.destroy();
                        try {
                            p.onExit().get(5, TimeUnit.SECONDS);
                        } catch (Exception e) {
                            p.destroyForcibly();
                        }
                    });
        } catch (IOException | NumberFormatException e) {
            // no containerd of ours to end
        }
    }

    /** For a JVM that ends without close(): nothing of this daemon may outlive the test run. */
    private void killQuietly() {
        if (process != null) {
            process.destroyForcibly();
        }
        killOwnContainerd();
    }

    private boolean pings() {
        try (SocketChannel channel = SocketChannel.open(StandardProtocolFamily.UNIX)) {
            if (!Files.exists(socket())) {
                return false;
            }
            channel.connect(UnixDomainSocketAddress.of(socket()));
            channel.write(ByteBuffer.wrap("GET /_ping HTTP/1.0\r\nHost: docker\r\n\r\n"
                    .getBytes(StandardCharsets.US_ASCII)));
            ByteBuffer answer = ByteBuffer.allocate(64);
            channel.read(answer);
            return new String(answer.array(), 0, answer.position(), StandardCharsets.US_ASCII)
                    .startsWith("HTTP/1.0 200");
        } catch (IOException e) {
            return false;
        }
    }

    private String logTail() {
        try {
            List<String> lines = Files.readAllLines(log());
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 30), lines.size()));
        } catch (IOException e) {
            return "(no log: " + e + ")";
        }
    }

    /** Mounts left under {@code root} (overlay layers, netns, shm of a daemon that was killed), deepest first. */
    private static void unmountUnder(Path root) {
        List<String> mounts = new ArrayList<>();
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/mountinfo"))) {
                String[] fields = line.split(" ");
                if (fields.length > 4) {
                    String point = fields[4].replace("\\040", " ");
                    if (point.startsWith(root + "/")) {
                        mounts.add(point);
                    }
                }
            }
        } catch (IOException e) {
            return;
        }
        mounts.sort(Comparator.comparingInt(String::length).reversed());
        for (String point : mounts) {
            if (!runQuietly("umount", point)) {
                runQuietly("umount", "-l", point);
            }
        }
    }

    /** Deletes without following links, and only once nothing is mounted under it any more. */
    private static void deleteTree(Path root) {
        if (!Files.exists(root)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(root)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> {
                try {
                    Files.deleteIfExists(p);
                } catch (IOException e) {
                    // a busy file: the rest still goes
                }
            });
        } catch (IOException | UncheckedIOException e) {
            // best effort: a folder under /tmp
        }
    }

    private static String randomSuffix(int length) {
        StringBuilder s = new StringBuilder();
        for (int i = 0; i < length; i++) {
            s.append(Character.forDigit(ThreadLocalRandom.current().nextInt(36), 36));
        }
        return s.toString();
    }

    private static boolean onPath(String program) {
        return Stream.of(System.getenv().getOrDefault("PATH", "").split(":"))
                .anyMatch(d -> !d.isEmpty() && Files.isExecutable(Path.of(d, program)));
    }

    private static void run(String... command) {
        if (!runQuietly(command)) {
            throw new IllegalStateException("failed: " + String.join(" ", command));
        }
    }

    private static boolean runQuietly(String... command) {
        try {
            Process p = new ProcessBuilder(command).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            return p.waitFor(10, TimeUnit.SECONDS) && p.exitValue() == 0;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    @Override
    public String toString() {
        return "private dockerd " + url();
    }
}
