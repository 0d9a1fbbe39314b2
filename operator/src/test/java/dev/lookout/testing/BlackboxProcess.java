package dev.lookout.testing;

import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;

/**
 * The real blackbox_exporter ({@link Tools#blackbox()}) for a test: on 127.0.0.1 only, on a free port,
 * reading the given config file. It needs no flag to accept {@code POST -/reload}.
 */
public final class BlackboxProcess implements AutoCloseable {
    public static final Duration READY_TIMEOUT = Duration.ofSeconds(20);

    private final ServerProcess server;

    private BlackboxProcess(ServerProcess server) {
        this.server = server;
    }

    /** Starts blackbox_exporter; skips (fails in CI) when it is not installed. */
    public static BlackboxProcess start(Path configFile) {
        Path binary = Tools.require(Tools.blackbox(), "blackbox_exporter");
        // blackbox has no -/ready (the path falls through to its landing page); -/healthy is the real check.
        return new BlackboxProcess(ServerProcess.start("blackbox", (port, dir) -> List.of(binary.toString(),
                "--config.file=" + configFile.toAbsolutePath(),
                "--web.listen-address=" + ServerProcess.HOST + ":" + port), "-/healthy", READY_TIMEOUT));
    }

    /** {@code http://127.0.0.1:PORT/}. */
    public URI uri() {
        return server.uri();
    }

    /** {@code host:port}, as Prometheus' relabelling sets {@code __address__}. */
    public String address() {
        return ServerProcess.HOST + ":" + server.port();
    }

    /** The configuration blackbox has loaded, as it prints it on {@code /config}: tells whether a reload took. */
    public String loadedConfig() {
        return server.get("config");
    }

    /** One probe, as Prometheus would scrape it: the metrics text ({@code probe_success} …). */
    public String probe(String target, String module) {
        return server.get("probe?target=" + URLEncoder.encode(target, StandardCharsets.UTF_8)
                + "&module=" + URLEncoder.encode(module, StandardCharsets.UTF_8));
    }

    /** Polls until {@code condition} holds, at most {@code atMost}; a timeout fails with blackbox's log. */
    public void awaitTrue(String what, Callable<Boolean> condition, Duration atMost) {
        server.await(what, condition, atMost);
    }

    public String log() {
        return server.log();
    }

    @Override
    public void close() {
        server.close();
    }
}
