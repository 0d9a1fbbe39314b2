package dev.lookout.http;

import static dev.lookout.testing.StatusObjects.resource;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.net.BindException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class OperatorHttpServerTest {
    private static final Instant CREATED = Instant.parse("2025-01-01T00:00:00Z");
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient CLIENT = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private static final AtomicReference<List<ObjectNode>> RESOURCES = new AtomicReference<>(List.of());
    private static final AtomicReference<List<String>> NOT_READY = new AtomicReference<>(List.of());
    private static final AtomicReference<List<String>> DEAD = new AtomicReference<>(List.of());
    private static PrometheusMeterRegistry registry;
    private static LookoutMetrics metrics;
    private static OperatorHttpServer server;

    @BeforeAll
    static void start() throws IOException {
        registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        metrics = new LookoutMetrics(registry);
        server = new OperatorHttpServer(new InetSocketAddress("127.0.0.1", 0), registry,
                () -> RESOURCES.get(), () -> NOT_READY.get(), () -> DEAD.get());
        server.start();
    }

    @AfterAll
    static void stop() {
        server.close();
        metrics.close();
        registry.close();
    }

    @BeforeEach
    void reset() {
        RESOURCES.set(List.of(
                resource("GpuNode", "default", "gpu-node-01", CREATED, "True", "MetricsFlowing"),
                resource("ComfyProbe", "team-b", "comfy", CREATED, "False", "TargetsDown"),
                resource("ComfyProbe", "default", "comfy", CREATED, "True", "AllTargetsUp"),
                resource("NetworkPolicy", "default", "bridges", CREATED, "True", "Compliant"),
                resource("ComfyProbe", "default", "a-first", CREATED, null, null)));
        NOT_READY.set(List.of());
        DEAD.set(List.of());
    }

    private static HttpResponse<String> send(String method, String path, String... headers) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + path))
                .method(method, HttpRequest.BodyPublishers.noBody());
        if (headers.length > 0) {
            request.headers(headers);
        }
        return CLIENT.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static HttpResponse<String> get(String path) throws Exception {
        return send("GET", path);
    }

    private static List<String> names(HttpResponse<String> response) throws IOException {
        List<String> names = new ArrayList<>();
        for (JsonNode item : JSON.readTree(response.body()).get("items")) {
            names.add(item.get("kind").asText() + " " + item.at("/metadata/namespace").asText() + "/" + item.at("/metadata/name").asText());
        }
        return names;
    }

    /** The {@code error} of a JSON failure answered with {@code status}. */
    private static String error(HttpResponse<String> response, int status) throws IOException {
        assertThat(response.statusCode()).as(response.uri().toString()).isEqualTo(status);
        assertThat(response.headers().firstValue("Content-Type")).hasValue("application/json");
        return JSON.readTree(response.body()).get("error").asText();
    }

    @Test
    void metricsAreServedInPrometheusTextFormatWithTheOperatorsNames() throws Exception {
        metrics.reconciled("ComfyProbe", Duration.ofMillis(20), true);
        HttpResponse<String> response = get("/metrics");
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("Content-Type")).hasValue("text/plain; version=0.0.4; charset=utf-8");
        assertThat(response.body()).contains("lookout_reconcile_total{kind=\"ComfyProbe\",result=\"success\"}",
                "lookout_queue_depth 0.0", "jvm_memory_used_bytes");
    }

    @Test
    void metricsAreServedAsOpenMetricsWhenTheScraperAsksForIt() throws Exception {
        HttpResponse<String> response = send("GET", "/metrics", "Accept",
                "application/openmetrics-text;version=1.0.0,application/openmetrics-text;version=0.0.1;q=0.75,"
                        + "text/plain;version=0.0.4;q=0.5,*/*;q=0.1");
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("Content-Type")).hasValue("application/openmetrics-text; version=1.0.0; charset=utf-8");
        assertThat(response.body()).contains("# TYPE lookout_reconcile counter").endsWith("# EOF\n");
    }

    @Test
    void healthzIsOkWhileTheLoopLivesAnd503WithWhyOtherwise() throws Exception {
        HttpResponse<String> ok = get("/healthz");
        assertThat(ok.statusCode()).isEqualTo(200);
        assertThat(ok.body()).isEqualTo("ok\n");
        assertThat(ok.headers().firstValue("Content-Type")).hasValue("text/plain; charset=utf-8");

        DEAD.set(List.of("reconcile loop thread died: IllegalStateException"));
        HttpResponse<String> dead = get("/healthz");
        assertThat(dead.statusCode()).isEqualTo(503);
        assertThat(dead.body()).isEqualTo("reconcile loop thread died: IllegalStateException\n");
    }

    @Test
    void readyzIsOkOr503WithOneReasonPerLine() throws Exception {
        assertThat(get("/readyz").body()).isEqualTo("ok\n");
        NOT_READY.set(List.of("prometheus http://127.0.0.1:9090: unreachable (connection refused); outputs written, reload retried",
                "blackbox http://127.0.0.1:9115: unreachable (connection refused)"));
        HttpResponse<String> response = get("/readyz");
        assertThat(response.statusCode()).isEqualTo(503);
        assertThat(response.body().lines()).containsExactly(
                "prometheus http://127.0.0.1:9090: unreachable (connection refused); outputs written, reload retried",
                "blackbox http://127.0.0.1:9115: unreachable (connection refused)");
    }

    @Test
    void resourcesAreAKubectlListSortedByKindNamespaceAndName() throws Exception {
        HttpResponse<String> response = get("/api/v1/resources");
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("Content-Type")).hasValue("application/json");
        JsonNode list = JSON.readTree(response.body());
        assertThat(list.get("apiVersion").asText()).isEqualTo("v1");
        assertThat(list.get("kind").asText()).isEqualTo("List");
        assertThat(names(response)).containsExactly(
                "ComfyProbe default/a-first", "ComfyProbe default/comfy", "ComfyProbe team-b/comfy",
                "GpuNode default/gpu-node-01", "NetworkPolicy default/bridges");
        assertThat(list.at("/items/1/status/conditions/0/reason").asText()).isEqualTo("AllTargetsUp");
    }

    @Test
    void kindMatchesTheKindPluralSingularOrShortNameInAnyCase() throws Exception {
        for (String kind : List.of("ComfyProbe", "comfyprobes", "comfyprobe", "COMFYPROBES", "comfyprobes.lookout.dev")) {
            assertThat(names(get("/api/v1/resources?kind=" + kind))).as(kind).hasSize(3).allMatch(n -> n.startsWith("ComfyProbe "));
        }
        for (String kind : List.of("dnp", "networkpolicy", "networkpolicies", "NetworkPolicy")) {
            assertThat(names(get("/api/v1/resources?kind=" + kind))).as(kind).containsExactly("NetworkPolicy default/bridges");
        }
        assertThat(names(get("/api/v1/resources?kind=nginxvtstargets"))).isEmpty();
    }

    @Test
    void namespaceAndNameFilterTheList() throws Exception {
        assertThat(names(get("/api/v1/resources?namespace=team-b"))).containsExactly("ComfyProbe team-b/comfy");
        assertThat(names(get("/api/v1/resources?kind=comfyprobe&name=comfy")))
                .containsExactly("ComfyProbe default/comfy", "ComfyProbe team-b/comfy");
        assertThat(names(get("/api/v1/resources?kind=comfyprobe&namespace=default&name=comfy"))).containsExactly("ComfyProbe default/comfy");
    }

    @Test
    void unknownKindOrParameterIs400NamingWhatIsKnown() throws Exception {
        HttpResponse<String> kind = get("/api/v1/resources?kind=comfyprobz");
        assertThat(error(kind, 400)).isEqualTo("unknown kind \"comfyprobz\" (did you mean comfyprobe? known: comfyprobes, gpunodes, "
                + "networkpolicies (dnp), nginxvtstargets)");
        HttpResponse<String> parameter = get("/api/v1/resources?labelSelector=x");
        assertThat(error(parameter, 400)).isEqualTo("unknown parameter \"labelSelector\" (known: kind, name, namespace)");
    }

    @Test
    void oneResourceByKindNamespaceAndName() throws Exception {
        HttpResponse<String> response = get("/api/v1/resources/comfyprobes/team-b/comfy");
        assertThat(response.statusCode()).isEqualTo(200);
        JsonNode object = JSON.readTree(response.body());
        assertThat(object.at("/metadata/namespace").asText()).isEqualTo("team-b");
        assertThat(object.at("/status/conditions/0/status").asText()).isEqualTo("False");
        assertThat(get("/api/v1/resources/dnp/default/bridges").statusCode()).isEqualTo(200);
    }

    @Test
    void missingResourceOrKindIs404Json() throws Exception {
        HttpResponse<String> missing = get("/api/v1/resources/comfyprobes/default/nope");
        assertThat(error(missing, 404)).isEqualTo("comfyprobes \"nope\" not found in namespace \"default\"");
        HttpResponse<String> kind = get("/api/v1/resources/pods/default/nope");
        assertThat(error(kind, 404)).startsWith("unknown kind \"pods\"");
        assertThat(get("/api/v1/resources/comfyprobes/default").statusCode()).isEqualTo(404);
    }

    @Test
    void theStatusPageIsServedAtTheRootAsHtmlOnlyOnceOneIsGiven() throws Exception {
        assertThat(error(get("/"), 404)).startsWith("no such path / (endpoints:");

        server.withStatusPage(() -> "<!doctype html><title>Lookout</title>");
        try {
            HttpResponse<String> page = get("/");
            assertThat(page.statusCode()).isEqualTo(200);
            assertThat(page.headers().firstValue("Content-Type")).hasValue("text/html; charset=utf-8");
            assertThat(page.body()).isEqualTo("<!doctype html><title>Lookout</title>");
            assertThat(send("POST", "/").statusCode()).isEqualTo(405);
        } finally {
            server.withStatusPage(null);
        }
    }

    @Test
    void unknownPathsAre404AndOtherMethods405() throws Exception {
        HttpResponse<String> unknown = get("/metricsx");
        assertThat(error(unknown, 404)).isEqualTo("no such path /metricsx (endpoints: /metrics, /healthz, /readyz, /api/v1/resources)");
        for (String path : List.of("/metrics", "/healthz", "/readyz", "/api/v1/resources", "/api/v1/resources/comfyprobes/default/comfy")) {
            HttpResponse<String> post = send("POST", path);
            assertThat(post.headers().firstValue("Allow")).hasValue("GET, HEAD");
            assertThat(error(post, 405)).isEqualTo("POST is not allowed on " + path + " (only GET)");
        }
        assertThat(send("DELETE", "/api/v1/resources/comfyprobes/default/comfy").statusCode()).isEqualTo(405);
    }

    @Test
    void headAnswersWithoutABody() throws Exception {
        HttpResponse<String> head = send("HEAD", "/healthz");
        assertThat(head.statusCode()).isEqualTo(200);
        assertThat(head.body()).isEmpty();
    }

    @Test
    void aFailingCatalogIs500WithoutAStackTrace() throws Exception {
        RESOURCES.set(null);
        HttpResponse<String> response = get("/api/v1/resources");
        assertThat(error(response, 500)).isEqualTo("internal error (NullPointerException); the operator's log has the details");
        assertThat(response.body()).doesNotContain("at dev.lookout", "Exception:");
    }

    @Test
    void aMalformedRequestIs400NotAnError() throws Exception {
        try (Socket socket = new Socket("127.0.0.1", server.port())) {
            socket.getOutputStream().write("GET /api/v1/resources?kind=%zz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"
                    .getBytes(StandardCharsets.US_ASCII));
            String answer = new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertThat(answer).startsWith("HTTP/1.1 400 ");
        }
    }

    @Test
    void aPortInUseNamesTheAddress() {
        InetSocketAddress taken = new InetSocketAddress("127.0.0.1", server.port());
        assertThatThrownBy(() -> new OperatorHttpServer(taken, registry, List::of, List::of, List::of))
                .isInstanceOf(BindException.class)
                .hasMessageStartingWith("cannot listen on " + taken + ": ");
    }
}
