package dev.lookout.artifacts.run;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/** GETs on 127.0.0.1 only (the network rule), each bounded; a failure is an exception naming the URL. */
final class LocalHttp {
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private static final ObjectMapper JSON = new ObjectMapper();

    private LocalHttp() {
    }

    static HttpResponse<String> get(int port, String pathAndQuery) {
        URI uri = URI.create("http://127.0.0.1:" + port + pathAndQuery);
        try {
            return HTTP.send(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(5)).GET().build(),
                    HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new UncheckedIOException("GET " + uri + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted: GET " + uri, e);
        }
    }

    /** The body of a 200 answer, as JSON. */
    static JsonNode json(int port, String pathAndQuery) {
        HttpResponse<String> response = get(port, pathAndQuery);
        if (response.statusCode() != 200) {
            throw new IllegalStateException("GET 127.0.0.1:" + port + pathAndQuery + ": HTTP " + response.statusCode() + ": " + response.body());
        }
        try {
            return JSON.readTree(response.body());
        } catch (IOException e) {
            throw new UncheckedIOException("not JSON from 127.0.0.1:" + port + pathAndQuery, e);
        }
    }

    /** True when something accepts connections on the port. */
    static boolean listening(int port) {
        try (java.net.Socket socket = new java.net.Socket()) {
            socket.connect(new java.net.InetSocketAddress("127.0.0.1", port), 500);
            return true;
        } catch (IOException e) {
            return false;
        }
    }
}
