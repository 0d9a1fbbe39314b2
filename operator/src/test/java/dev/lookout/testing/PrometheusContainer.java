package dev.lookout.testing;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

/**
 * The real Prometheus ({@link TestImages#prometheus()}) in a container on a test network, as Lookout's compose
 * stack runs it: alias {@code prometheus}, reloads enabled, the host folder {@code configDir} mounted (read-only)
 * at /etc/prometheus, read from its prometheus.yml (Lookout's default outputDir, /etc/prometheus/lookout, is
 * then {@code configDir/lookout}). Port 9090 is published on 127.0.0.1 ({@link #uri()}); targets on the network
 * are scraped by container name or alias.
 */
public final class PrometheusContainer implements AutoCloseable {
    public static final String ALIAS = "prometheus";
    public static final int PORT = 9090;
    public static final Duration READY_TIMEOUT = Duration.ofSeconds(30);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(2)).build();

    private final TestContainer container;
    private final URI uri;

    private PrometheusContainer(TestContainer container) {
        this.container = container;
        this.uri = container.uri(PORT);
    }

    /**
     * Starts it and waits until it is ready. {@code configDir} must hold prometheus.yml already: Prometheus
     * exits without one. {@code extraArgs} are added flags ({@code --web.route-prefix=/prom}).
     */
    public static PrometheusContainer start(TestNetwork network, Path configDir, String... extraArgs) {
        List<String> args = new ArrayList<>(List.of("--config.file=/etc/prometheus/prometheus.yml",
                "--storage.tsdb.path=/prometheus", "--web.enable-lifecycle"));
        args.addAll(List.of(extraArgs));
        TestContainer container = TestContainer.builder(TestImages.prometheus(), "prometheus")
                .network(network, ALIAS).mount(configDir, "/etc/prometheus").publish(PORT)
                .args(args.toArray(String[]::new)).start();
        try {
            container.awaitHttp(PORT, "-/ready", READY_TIMEOUT);
            return new PrometheusContainer(container);
        } catch (RuntimeException | Error e) {
            container.close();
            throw e;
        }
    }

    /** {@code http://127.0.0.1:<published port>/}: what Lookout's config names as Prometheus' url in a test. */
    public URI uri() {
        return uri;
    }

    public String name() {
        return container.name();
    }

    /** An instant query through the published port; the elements of its result vector ({@code metric}, {@code value}). */
    public List<JsonNode> query(String promql) {
        URI query = uri.resolve("api/v1/query?query=" + URLEncoder.encode(promql, StandardCharsets.UTF_8));
        String body = get(query);
        try {
            JsonNode data = JSON.readTree(body).path("data");
            if (!"vector".equals(data.path("resultType").asText())) {
                throw new AssertionError("not an instant vector: " + promql + " → " + body);
            }
            List<JsonNode> result = new ArrayList<>();
            data.path("result").forEach(result::add);
            return result;
        } catch (JsonProcessingException e) {
            throw new AssertionError("GET " + query + " is not JSON: " + body, e);
        }
    }

    /** Polls until {@code condition} holds, at most {@code atMost}; a timeout fails with Prometheus' log. */
    public void awaitTrue(String what, Callable<Boolean> condition, Duration atMost) {
        container.await(what, condition, atMost);
    }

    public String logs() {
        return container.logs();
    }

    @Override
    public void close() {
        container.close();
    }

    private static String get(URI uri) {
        try {
            HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(10))
                    .GET().build(), HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() != 200) {
                throw new AssertionError("GET " + uri + ": HTTP " + response.statusCode() + "\n" + response.body());
            }
            return response.body();
        } catch (IOException e) {
            throw new UncheckedIOException("GET " + uri, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted: GET " + uri, e);
        }
    }
}
