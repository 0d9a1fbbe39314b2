package dev.lookout.artifacts.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Set;

/**
 * GETs from the e2e tests to what they started on this host (Prometheus, Alertmanager, Lookout's published ports):
 * to 127.0.0.1 only, by the network rule, so a URI naming any other host is refused before anything is sent. Each
 * request is bounded; a failure is an exception naming the URI.
 */
public final class LoopbackHttp {
    public static final String HOST = "127.0.0.1";
    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(2)).build();
    private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(10);
    private static final ObjectMapper JSON = new ObjectMapper();

    private LoopbackHttp() {
    }

    /** {@code http://127.0.0.1:<port><pathAndQuery>}; {@code pathAndQuery} starts with a slash. */
    public static URI uri(int port, String pathAndQuery) {
        return URI.create("http://" + HOST + ":" + port + pathAndQuery);
    }

    /** The answer, whatever its status. */
    public static HttpResponse<String> get(URI uri) {
        if (!"http".equals(uri.getScheme()) || !HOST.equals(uri.getHost())) {
            throw new IllegalArgumentException("tests reach " + HOST + " only (the network rule), not " + uri);
        }
        try {
            return HTTP.send(HttpRequest.newBuilder(uri).timeout(REQUEST_TIMEOUT).GET().build(),
                    HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new IllegalStateException("GET " + uri + " failed: " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted: GET " + uri, e);
        }
    }

    /** The body of a 200 answer, as JSON. */
    public static JsonNode json(URI uri) {
        return json(uri, Set.of(200));
    }

    /**
     * The body, as JSON, of an answer whose status is one of {@code statuses}: an API that answers a refusal in
     * JSON too (Prometheus' 400 and 422) names them.
     */
    public static JsonNode json(URI uri, Set<Integer> statuses) {
        HttpResponse<String> response = get(uri);
        if (!statuses.contains(response.statusCode())) {
            throw new IllegalStateException("GET " + uri + " answered " + response.statusCode() + ": " + response.body());
        }
        try {
            return JSON.readTree(response.body());
        } catch (IOException e) {
            throw new IllegalStateException("GET " + uri + " is not JSON: " + response.body(), e);
        }
    }
}
