package dev.lookout.docker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.lookout.config.OperatorConfig;
import dev.lookout.testing.PrivateDockerd;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The traps of a daemon that restarts or hangs, on a daemon of the test's own. */
@Timeout(60)
class DockerEngineClientOnPrivateDaemonTest {
    private static PrivateDockerd daemon;

    @BeforeAll
    static void startDaemon() {
        PrivateDockerd.assumeAvailable();
        TestEngine.requireSharedEngine();
        daemon = PrivateDockerd.start();
        daemon.loadImage(TestEngine.image());
    }

    @AfterAll
    static void stopDaemon() {
        if (daemon != null) {
            daemon.close();
        }
    }

    private static DockerEngineClient client(DockerSettings settings) {
        return new DockerEngineClient(new OperatorConfig.DockerHost("private", daemon.url(), null), settings);
    }

    @Test
    void theFirstCallsAfterADaemonRestartSucceedThroughTheRetry() {
        try (DockerEngineClient client = client(DockerSettings.defaults())) {
            String id = client.create(TestEngine.spec("lookout-test-restart", "restart"));
            client.start(id);
            assertThat(client.inspect(id).orElseThrow().running()).isTrue();
            assertThat(client.retriedCalls()).isZero();

            daemon.restart();

            // The pooled connections died with the old daemon: a POST (which httpclient never re-sends by itself)
            // meets one, fails, and is retried on a fresh connection.
            client.start(id);
            assertThat(client.retriedCalls()).as("attempts repeated after a dead pooled connection").isPositive();
            assertThat(client.inspect(id).orElseThrow().running()).isTrue();
            client.remove(id);
        }
    }

    @Test
    void aDaemonThatHangsIsUnavailableWithinTheResponseTimeoutEvenOnAUnixSocket() {
        DockerSettings quick = DockerSettings.defaults().withTimeouts(Duration.ofMillis(500), Duration.ofSeconds(1));
        try (DockerEngineClient client = client(quick)) {
            client.ping();
            daemon.freeze(true);
            try {
                long start = System.nanoTime();
                assertThatThrownBy(client::ping).isInstanceOf(DockerException.Unavailable.class)
                        .hasMessageContaining("'private' (" + daemon.url() + ")")
                        .hasMessageContaining("did not answer ping within");
                assertThat(Duration.ofNanos(System.nanoTime() - start)).isBetween(Duration.ofMillis(1400),
                        Duration.ofSeconds(4));
            } finally {
                daemon.freeze(false);
            }
            client.ping();
        }
    }
}
