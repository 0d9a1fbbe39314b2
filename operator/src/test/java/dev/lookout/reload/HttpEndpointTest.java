package dev.lookout.reload;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * How answers map to {@link ReloadOutcome}, against a fake server on 127.0.0.1: the cases the real servers
 * cannot easily be made to produce (a 404 behind a wrong prefix, an empty 500, a server that never answers).
 */
class HttpEndpointTest {
    private static final Duration TIMEOUT = Duration.ofSeconds(5);
    private final List<AutoCloseable> open = new ArrayList<>();

    @AfterEach
    void closeAll() throws Exception {
        for (AutoCloseable c : open) {
            c.close();
        }
    }

    /** A server answering every request on {@code /prom/} with {@code status} and {@code body}; returns its base URL. */
    private URI fake(int status, String body) throws IOException {
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/prom/", exchange -> {
            byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(status, bytes.length == 0 ? -1 : bytes.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(bytes);
            }
        });
        server.start();
        open.add(() -> server.stop(0));
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/prom");
    }

    static Stream<Arguments> answers() {
        return Stream.of(
                Arguments.of(200, "", new ReloadOutcome.Applied()),
                Arguments.of(500, "failed to reload config: bad\n", new ReloadOutcome.Rejected("failed to reload config: bad")),
                Arguments.of(500, "", new ReloadOutcome.Rejected("HTTP 500 without a message")),
                Arguments.of(403, "Lifecycle API is not enabled.", new ReloadOutcome.Disabled(PrometheusClient.DISABLED)));
    }

    @ParameterizedTest
    @MethodSource("answers")
    void statusMapsToOutcome(int status, String body, ReloadOutcome expected) throws IOException {
        assertThat(new PrometheusClient(fake(status, body), TIMEOUT).reload()).isEqualTo(expected);
    }

    @Test
    void otherStatusSaysTheUrlIsWrongNotTheConfig() throws IOException {
        URI base = fake(404, "404 page not found\n");

        assertThat(new PrometheusClient(base, TIMEOUT).reload()).isEqualTo(
                new ReloadOutcome.Unreachable("HTTP 404 from " + base + "/-/reload: 404 page not found"));
    }

    @Test
    void longMessageIsCut() throws IOException {
        ReloadOutcome outcome = new PrometheusClient(fake(500, "x".repeat(5000)), TIMEOUT).reload();

        assertThat(((ReloadOutcome.Rejected) outcome).message()).hasSize(BoundedHttp.MAX_MESSAGE + 1).endsWith("…");
    }

    @Test
    void serverThatNeverAnswersIsUnreachableWithinTheTimeout() throws IOException {
        ServerSocket silent = new ServerSocket(0, 50, InetAddress.getLoopbackAddress()); // the kernel accepts; nobody answers
        open.add(silent);
        PrometheusClient client = new PrometheusClient(URI.create("http://127.0.0.1:" + silent.getLocalPort()), Duration.ofMillis(300));
        long start = System.nanoTime();

        assertThat(client.reload()).isEqualTo(new ReloadOutcome.Unreachable("no answer within 300ms"));
        assertThat(client.lastReloadSuccessful()).isEmpty();
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(3));
    }

    @Test
    void aReloadIsGivenItsOwnLongerTimeAndOtherCallsKeepTheShortOne() throws IOException {
        ServerSocket silent = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        open.add(silent);
        PrometheusClient client = new PrometheusClient(URI.create("http://127.0.0.1:" + silent.getLocalPort()),
                Duration.ofMillis(200), Duration.ofMillis(700));

        assertThat(client.reload()).isEqualTo(new ReloadOutcome.Unreachable("no answer within 700ms"));
        assertThat(client.lastReloadSuccessful()).as("metrics keep the short timeout").isEmpty();
    }

    @Test
    void metricsAreReadUnderThePrefix() throws IOException {
        URI base = fake(200, "# TYPE prometheus_config_last_reload_successful gauge\nprometheus_config_last_reload_successful 0\n");

        assertThat(new PrometheusClient(base, TIMEOUT).lastReloadSuccessful()).contains(false);
        assertThat(new BlackboxClient(base, TIMEOUT).lastReloadSuccessful()).as("blackbox's gauge is absent").isEmpty();
    }

    @Test
    void queryAnsweredByNotPrometheusSaysSo() throws IOException {
        URI base = fake(404, "404 page not found\n");

        QueryException e = catchThrowableOfType(QueryException.class, () -> new PrometheusClient(base, TIMEOUT).query("up"));

        assertThat(e).hasMessage("HTTP 404 from " + base + "/api/v1/query is not a Prometheus API answer: 404 page not found");
        assertThat(e.errorType()).isEmpty();
    }

    @Test
    void queryErrorWithoutAnErrorTypeIsStillReadable() throws IOException {
        URI base = fake(422, "{\"status\":\"error\",\"error\":\"" + "x".repeat(3000) + "\"}");

        QueryException e = catchThrowableOfType(QueryException.class, () -> new PrometheusClient(base, TIMEOUT).query("up"));

        assertThat(e.getMessage()).startsWith("Prometheus refused the query (no errorType): xxx").hasSize(BoundedHttp.MAX_MESSAGE + 1);
        assertThat(e.errorType()).isEmpty();
    }

    @Test
    void baseUrlGetsItsTrailingSlash() {
        assertThat(new PrometheusClient(URI.create("http://h:9090/prom"), TIMEOUT).baseUrl()).hasToString("http://h:9090/prom/");
        assertThat(new PrometheusClient(URI.create("http://h:9090"), TIMEOUT).baseUrl()).hasToString("http://h:9090/");
        assertThat(new BlackboxClient(URI.create("https://h/a/b/"), TIMEOUT).baseUrl()).hasToString("https://h/a/b/");
    }

    @Test
    void rejectsWhatIsNotAnHttpUrl() {
        assertThatThrownBy(() -> new PrometheusClient(URI.create("prometheus:9090"), TIMEOUT))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("not an http(s) URL");
        assertThatThrownBy(() -> new PrometheusClient(URI.create("http://h:9090"), Duration.ZERO))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void aGaugeIsReadFromItsOwnFamilyAlone() {
        String metrics = """
                # HELP prometheus_config_last_reload_successful_total not this one
                prometheus_config_last_reload_successful_total 7
                prometheus_target_sync_length_seconds{scrape_job="lookout/comfyprobe/default/p1",quantile="0.5"} 0.1
                # HELP prometheus_config_last_reload_successful Whether the last configuration reload attempt was successful.
                # TYPE prometheus_config_last_reload_successful gauge
                prometheus_config_last_reload_successful 1
                """;

        String family = HttpEndpoint.family(metrics, "prometheus_config_last_reload_successful");

        assertThat(family.lines()).containsExactly(
                "# HELP prometheus_config_last_reload_successful Whether the last configuration reload attempt was successful.",
                "# TYPE prometheus_config_last_reload_successful gauge",
                "prometheus_config_last_reload_successful 1");
        assertThat(dev.lookout.exposition.ExpositionParser.parse(family).first("prometheus_config_last_reload_successful")
                .map(dev.lookout.exposition.Sample::value)).contains(1.0);
    }
}
