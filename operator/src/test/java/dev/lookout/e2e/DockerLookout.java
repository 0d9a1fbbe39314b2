package dev.lookout.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.lookout.config.OperatorConfig;
import dev.lookout.directory.DirectoryOperator;
import dev.lookout.docker.DockerSettings;
import dev.lookout.exposition.ExpositionParser;
import dev.lookout.exposition.Sample;
import dev.lookout.testing.BlackboxProcess;
import dev.lookout.testing.OutputFolders;
import dev.lookout.testing.PrometheusProcess;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import org.awaitility.Awaitility;
import org.awaitility.core.ConditionTimeoutException;

/**
 * {@code lookout run} in the test's JVM ({@link DirectoryOperator}) on Docker hosts a test names, with the real
 * Prometheus and blackbox_exporter on 127.0.0.1 reading what it writes, so that Ready means what it means in
 * production (outputs live in Prometheus, and for a GpuNode, its exporter's metrics flowing). Lookout can be
 * stopped and started again on the same folders ({@link #startLookout}), as an operator restart would.
 */
final class DockerLookout implements AutoCloseable {
    static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    final Path watch;
    final Path out;
    private final Path tmp;
    private final PrometheusProcess prometheus;
    private final BlackboxProcess blackbox;
    private DirectoryOperator lookout;

    private DockerLookout(Path tmp, PrometheusProcess prometheus, BlackboxProcess blackbox) {
        this.tmp = tmp;
        this.watch = tmp.resolve("resources");
        this.out = tmp.resolve("out");
        this.prometheus = prometheus;
        this.blackbox = blackbox;
    }

    /** Starts Prometheus and blackbox (fails in CI, skips elsewhere when they are not installed); no Lookout yet. */
    static DockerLookout prepare(Path tmp) throws IOException {
        Files.createDirectories(tmp.resolve("resources"));
        OutputFolders folders = OutputFolders.create(tmp);
        PrometheusProcess prometheus = PrometheusProcess.start(folders.prometheusConfig());
        try {
            return new DockerLookout(tmp, prometheus, BlackboxProcess.start(folders.blackboxConfig()));
        } catch (RuntimeException | Error e) {
            prometheus.close();
            throw e;
        }
    }

    /**
     * Starts Lookout (stopping the one running, if any) on the watch folder and the state folder {@code state}.
     *
     * @param network the Docker network Prometheus shares with exporters (lookout.yaml's prometheus.network)
     * @param images  lookout.yaml's {@code images}
     */
    DirectoryOperator startLookout(List<OperatorConfig.DockerHost> hosts, String network, Map<String, String> images,
                                   String state, DockerSettings docker) throws IOException {
        stopLookout();
        OperatorConfig config = config(hosts, network, images);
        lookout = DirectoryOperator.start(DirectoryOperator.Options.of(watch, config, null, out, tmp.resolve(state),
                new InetSocketAddress("127.0.0.1", 0)).withDocker(docker));
        return lookout;
    }

    /** The operator config {@link #startLookout} runs with: this Prometheus and blackbox, these hosts and images. */
    OperatorConfig config(List<OperatorConfig.DockerHost> hosts, String network, Map<String, String> images) {
        return new OperatorConfig(new OperatorConfig.Docker(hosts),
                new OperatorConfig.Prometheus(prometheus.uri().toString(), out.resolve("prometheus").toString(), null,
                        network, null),
                new OperatorConfig.Blackbox(blackbox.uri().toString(), blackbox.address(),
                        out.resolve("blackbox/blackbox.yml").toString()),
                null, images);
    }

    /** Reconnects fast (a daemon restart takes a second or two) and resyncs only when a test says so. */
    static DockerSettings quickReconnect() {
        return DockerSettings.defaults().withReconnect(Duration.ofMillis(100), Duration.ofSeconds(1))
                .withResyncInterval(Duration.ofMinutes(10));
    }

    void stopLookout() {
        if (lookout != null) {
            try {
                lookout.close();
            } catch (Exception e) {
                throw new IllegalStateException("closing Lookout", e);
            } finally {
                lookout = null;
            }
        }
    }

    DirectoryOperator lookout() {
        return lookout;
    }

    Optional<ObjectNode> find(String kind, String name) {
        return lookout.engine().table().objects(JSON).stream()
                .filter(o -> o.path("kind").asText().equals(kind) && o.path("metadata").path("name").asText().equals(name))
                .findFirst();
    }

    ObjectNode resource(String kind, String name) {
        return find(kind, name).orElseThrow(() -> new AssertionError("no " + kind + " " + name + " in Lookout"));
    }

    /** The Ready condition, or a missing node while the resource has none. */
    JsonNode ready(String kind, String name) {
        for (JsonNode c : find(kind, name).map(o -> o.path("status").path("conditions")).orElse(JSON.createArrayNode())) {
            if (c.path("type").asText().equals("Ready")) {
                return c;
            }
        }
        return JSON.missingNode();
    }

    /** The value of the first series {@code promql} returns in Prometheus now; NaN when it returns none. */
    double promValue(String promql) {
        List<JsonNode> result = prometheus.query(promql);
        return result.isEmpty() ? Double.NaN : result.get(0).path("value").get(1).asDouble();
    }

    /** Lookout's own /metrics, over HTTP as Prometheus reads it. */
    String metrics() {
        URI uri = URI.create("http://127.0.0.1:" + lookout.httpPort() + "/metrics");
        try {
            return HTTP.send(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(5)).build(),
                    HttpResponse.BodyHandlers.ofString()).body();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** {@code lookout_reconcile_total} of a kind, both results, from /metrics. */
    double reconciles(String kind) {
        return ExpositionParser.parse(metrics()).samples("lookout_reconcile_total").stream()
                .filter(s -> kind.equals(s.label("kind"))).mapToDouble(Sample::value).sum();
    }

    /** Polls every 50 ms until {@code condition} holds; on timeout fails with the resources as Lookout has them. */
    void await(String what, Duration atMost, Callable<Boolean> condition) {
        try {
            Awaitility.await(what).atMost(atMost).pollInterval(Duration.ofMillis(50)).ignoreExceptions()
                    .until(condition);
        } catch (ConditionTimeoutException e) {
            throw new AssertionError(what + " within " + atMost.toSeconds() + " s; resources: "
                    + (lookout == null ? "(no Lookout)" : lookout.engine().table().objects(JSON)), e);
        }
    }

    @Override
    public void close() {
        try {
            stopLookout();
        } finally {
            blackbox.close();
            prometheus.close();
        }
    }
}
