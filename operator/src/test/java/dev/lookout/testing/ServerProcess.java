package dev.lookout.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.awaitility.Awaitility;
import org.awaitility.core.ConditionTimeoutException;

/**
 * A real server binary (prometheus, blackbox_exporter) run for a test: on 127.0.0.1 only, on a free port,
 * with its own temp folder holding its log and data. Starting waits, bounded, until it answers 200 on its
 * readiness path; closing kills it and removes the folder. A JVM that dies mid-test still kills it.
 */
final class ServerProcess implements AutoCloseable {
    static final String HOST = "127.0.0.1";
    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(2)).build();
    private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(10);
    /** Another process may take the port between our probe and the server's bind: try a few. */
    private static final int ATTEMPTS = 3;

    private final String name;
    private final Process process;
    private final Path dir;
    private final Path log;
    private final int port;
    private final Thread killer;

    private ServerProcess(String name, Process process, Path dir, Path log, int port) {
        this.name = name;
        this.process = process;
        this.dir = dir;
        this.log = log;
        this.port = port;
        this.killer = new Thread(process::destroyForcibly, "kill-" + name + "-" + process.pid());
        Runtime.getRuntime().addShutdownHook(killer);
    }

    /**
     * Starts the server and waits until {@code GET readyPath} answers 200.
     *
     * @param command the command line for a port and the server's temp folder
     */
    static ServerProcess start(String name, CommandLine command, String readyPath, Duration readyTimeout) {
        String path = readyPath.startsWith("/") ? readyPath.substring(1) : readyPath;
        return start(name, command, port -> status(uri(port).resolve(path)) == 200, readyTimeout);
    }

    /**
     * Starts the server and waits until {@code ready} holds: for a server that speaks something else than plain
     * HTTP (TLS with client certificates, say).
     */
    static ServerProcess start(String name, CommandLine command, ReadyProbe ready, Duration readyTimeout) {
        for (int attempt = 1; ; attempt++) {
            int port = freePort();
            Path dir = createTempDir(name);
            Path log = dir.resolve(name + ".log");
            ServerProcess server;
            try {
                Process process = new ProcessBuilder(command.build(port, dir))
                        .redirectErrorStream(true).redirectOutput(log.toFile()).start();
                process.getOutputStream().close();
                server = new ServerProcess(name, process, dir, log, port);
            } catch (IOException e) {
                delete(dir);
                throw new UncheckedIOException("cannot start " + name, e);
            }
            try {
                server.awaitStarted(ready, readyTimeout);
                return server;
            } catch (RuntimeException | Error e) {
                boolean portTaken = !server.process.isAlive() && server.log().contains("address already in use");
                String output = server.log();
                server.close();
                if (!portTaken || attempt == ATTEMPTS) {
                    throw new AssertionError(name + " did not become ready on " + HOST + ":" + port + " within "
                            + readyTimeout + ": " + e.getMessage() + "\n--- " + name + " log ---\n" + output, e);
                }
            }
        }
    }

    /** Builds a command line once the port and folder are known. */
    interface CommandLine {
        List<String> build(int port, Path dir);
    }

    /** Whether the server on this port is ready: false while it does not answer as it should. */
    interface ReadyProbe {
        boolean ready(int port);
    }

    private void awaitStarted(ReadyProbe ready, Duration timeout) {
        Awaitility.await(name + " ready on " + HOST + ":" + port).atMost(timeout).pollInterval(Duration.ofMillis(50))
                .until(() -> {
                    if (!process.isAlive()) {
                        throw new IllegalStateException(name + " exited with " + process.exitValue());
                    }
                    return ready.ready(port);
                });
    }

    int port() {
        return port;
    }

    /** {@code http://127.0.0.1:PORT/}. */
    URI uri() {
        return uri(port);
    }

    private static URI uri(int port) {
        return URI.create("http://" + HOST + ":" + port + "/");
    }

    Path dir() {
        return dir;
    }

    Path logFile() {
        return log;
    }

    /** Everything the server printed so far. */
    String log() {
        try {
            return Files.readString(log, StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "(log unreadable: " + e + ")";
        }
    }

    boolean alive() {
        return process.isAlive();
    }

    /**
     * Polls {@code condition} until it holds or {@code atMost} passes; the failure carries the server's log,
     * which is usually where the reason is.
     */
    void await(String what, Callable<Boolean> condition, Duration atMost) {
        try {
            Awaitility.await(what).atMost(atMost).pollInterval(Duration.ofMillis(50)).until(condition);
        } catch (ConditionTimeoutException e) {
            throw new AssertionError(e.getMessage() + "\n--- " + name + " log ---\n" + log(), e);
        }
    }

    /** {@code GET} under the server's root; the body of a 200, else an AssertionError with status and body. */
    String get(String pathAndQuery) {
        URI uri = uri().resolve(pathAndQuery.startsWith("/") ? pathAndQuery.substring(1) : pathAndQuery);
        HttpResponse<String> response = send(uri);
        if (response.statusCode() != 200) {
            throw new AssertionError("GET " + uri + ": HTTP " + response.statusCode() + "\n" + response.body());
        }
        return response.body();
    }

    /** The status code of a GET, or -1 when nothing answers (a readiness probe). */
    static int status(URI uri) {
        try {
            return HTTP.send(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(2)).GET().build(),
                    HttpResponse.BodyHandlers.discarding()).statusCode();
        } catch (IOException e) {
            return -1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return -1;
        }
    }

    private static HttpResponse<String> send(URI uri) {
        try {
            return HTTP.send(HttpRequest.newBuilder(uri).timeout(REQUEST_TIMEOUT).GET().build(),
                    HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new UncheckedIOException("GET " + uri, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted: GET " + uri, e);
        }
    }

    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                process.waitFor(10, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
        try {
            Runtime.getRuntime().removeShutdownHook(killer);
        } catch (IllegalStateException shuttingDown) {
            // the hook is running or will run; nothing to undo
        }
        delete(dir);
    }

    /** A port nothing listens on right now, on 127.0.0.1. */
    static int freePort() {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getByName(HOST))) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException("no free port on " + HOST, e);
        }
    }

    static Path createTempDir(String name) {
        try {
            return Files.createTempDirectory("lookout-" + name + "-");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static void delete(Path dir) {
        try (Stream<Path> paths = Files.walk(dir)) {
            for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        } catch (IOException e) {
            // a leftover temp folder is not worth failing a test for
        }
    }
}
