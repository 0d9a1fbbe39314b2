package dev.lookout.testing;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;

/**
 * The real blackbox_exporter ({@link TestImages#blackbox()}) in a container on a test network, as Lookout's
 * compose stack runs it: alias {@code blackbox-exporter}, the host folder {@code configDir} mounted (read-only)
 * at /etc/blackbox, read from its blackbox.yml (Lookout's default blackbox configFile). Port 9115 is published on
 * 127.0.0.1 ({@link #uri()}) for reloads and probes from the test; Prometheus on the network scrapes it as
 * {@code blackbox-exporter:9115}, and it probes targets there by container name.
 */
public final class BlackboxContainer implements AutoCloseable {
    public static final String ALIAS = "blackbox-exporter";
    public static final int PORT = 9115;
    public static final Duration READY_TIMEOUT = Duration.ofSeconds(30);

    private final TestContainer container;
    private final URI uri;

    private BlackboxContainer(TestContainer container) {
        this.container = container;
        this.uri = container.uri(PORT);
    }

    /** Starts it and waits until it is healthy; {@code configDir} must hold blackbox.yml already. */
    public static BlackboxContainer start(TestNetwork network, Path configDir) {
        TestContainer container = TestContainer.builder(TestImages.blackbox(), "blackbox")
                .network(network, ALIAS).mount(configDir, "/etc/blackbox").publish(PORT)
                .args("--config.file=/etc/blackbox/blackbox.yml").start();
        try {
            // blackbox has no -/ready (the path falls through to its landing page); -/healthy is the real check.
            container.awaitHttp(PORT, "-/healthy", READY_TIMEOUT);
            return new BlackboxContainer(container);
        } catch (RuntimeException | Error e) {
            container.close();
            throw e;
        }
    }

    /** {@code http://127.0.0.1:<published port>/}. */
    public URI uri() {
        return uri;
    }

    /** {@code blackbox-exporter:9115}: the address Prometheus on the network scrapes. */
    public String address() {
        return ALIAS + ":" + PORT;
    }

    public String name() {
        return container.name();
    }

    public String logs() {
        return container.logs();
    }

    @Override
    public void close() {
        container.close();
    }
}
