package dev.lookout.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.channels.UnresolvedAddressException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * Reads {@code /api/v1/resources} from a running operator. Short timeouts (2 s to connect, 5 s for an
 * answer): the operator is local or close by, and a person is waiting at the prompt.
 */
final class OperatorClient {
    static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(2);
    static final Duration READ_TIMEOUT = Duration.ofSeconds(5);
    private static final ObjectMapper JSON = new ObjectMapper();

    /** A failure with a message for a person; {@code unreachable} when no answer came at all. */
    static final class Failure extends Exception {
        private final boolean unreachable;

        Failure(String message, boolean unreachable) {
            super(message);
            this.unreachable = unreachable;
        }

        boolean unreachable() {
            return unreachable;
        }
    }

    private final URI server;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(CONNECT_TIMEOUT).build();

    /** @param server e.g. {@code http://127.0.0.1:8080}; a trailing slash is fine */
    OperatorClient(URI server) {
        this.server = server;
    }

    /** The items of {@code kind}, in {@code namespace} (every namespace when null), named {@code name} when not null. */
    List<JsonNode> list(String kind, String namespace, String name) throws Failure {
        StringBuilder query = new StringBuilder("?kind=").append(encode(kind));
        if (namespace != null) {
            query.append("&namespace=").append(encode(namespace));
        }
        if (name != null) {
            query.append("&name=").append(encode(name));
        }
        JsonNode list = get("/api/v1/resources" + query).orElseThrow(() -> new Failure(
                "unexpected answer from " + server + ": /api/v1/resources not found (is this a Lookout operator?)", false));
        List<JsonNode> items = new ArrayList<>();
        list.path("items").forEach(items::add);
        return items;
    }

    /** One object, or empty when the operator answers 404 for it. */
    Optional<JsonNode> one(String kind, String namespace, String name) throws Failure {
        return get("/api/v1/resources/" + encode(kind) + "/" + encode(namespace) + "/" + encode(name));
    }

    private Optional<JsonNode> get(String pathAndQuery) throws Failure {
        URI uri = URI.create(server.toString().replaceAll("/+$", "") + pathAndQuery);
        HttpRequest request = HttpRequest.newBuilder(uri).timeout(READ_TIMEOUT).header("Accept", "application/json").GET().build();
        HttpResponse<String> response;
        try {
            response = http.send(request, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
        } catch (HttpConnectTimeoutException e) {
            throw new Failure("no connection within " + CONNECT_TIMEOUT.toSeconds() + "s", true);
        } catch (HttpTimeoutException e) {
            throw new Failure("no answer within " + READ_TIMEOUT.toSeconds() + "s", true);
        } catch (IOException e) {
            throw new Failure(reason(e), true);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new Failure("interrupted", true);
        }
        JsonNode body = parse(response.body());
        if (response.statusCode() == 200 && body != null) {
            return Optional.of(body);
        }
        if (response.statusCode() == 404 && body != null && body.has("error")) {
            return Optional.empty();
        }
        String error = body != null && body.hasNonNull("error") ? body.get("error").asText() : "HTTP " + response.statusCode();
        throw new Failure("Error from server: " + error, false);
    }

    private static JsonNode parse(String body) {
        try {
            return body.isBlank() ? null : JSON.readTree(body);
        } catch (JsonProcessingException e) {
            return null;
        }
    }

    /** The innermost cause's message ({@code connection refused}), which is what a person can act on. */
    private static String reason(IOException e) {
        String reason = null;
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof UnresolvedAddressException) {
                return "unknown host";
            }
            if (t.getMessage() != null && !t.getMessage().isBlank()) {
                reason = t.getMessage();
            }
        }
        if (reason == null) {
            return e instanceof ConnectException ? "connection refused" : e.getClass().getSimpleName();
        }
        return reason.substring(0, 1).toLowerCase(Locale.ROOT) + reason.substring(1);
    }

    private static String encode(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20");
    }
}
