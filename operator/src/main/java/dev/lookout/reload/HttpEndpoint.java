package dev.lookout.reload;

import dev.lookout.exposition.ExpositionParser;
import dev.lookout.exposition.Sample;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.UnknownHostException;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.channels.UnresolvedAddressException;
import java.time.Duration;
import java.util.Locale;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import javax.net.ssl.SSLException;

/**
 * The HTTP side shared by Prometheus and blackbox-exporter: both serve {@code POST -/reload} and
 * {@code GET metrics} under a base URL that may carry a path prefix ({@code --web.route-prefix}). Every
 * call is bounded by the timeout, body included, and turns failures into short human reasons.
 */
final class HttpEndpoint {
    /** A reason or message longer than this is cut: it ends up in a status condition. */
    static final int MAX_MESSAGE = 2000;

    private final URI base;
    private final Duration timeout;
    private final HttpClient http;

    HttpEndpoint(URI baseUrl, Duration timeout) {
        String scheme = baseUrl.getScheme() == null ? "" : baseUrl.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("http") && !scheme.equals("https") || baseUrl.getHost() == null) {
            throw new IllegalArgumentException("not an http(s) URL with a host: " + baseUrl);
        }
        if (timeout.isNegative() || timeout.isZero()) {
            throw new IllegalArgumentException("timeout must be positive: " + timeout);
        }
        String path = baseUrl.getRawPath() == null ? "" : baseUrl.getRawPath();
        // "-/reload" resolves against the last path segment's folder: without the slash, /prom would be dropped.
        this.base = URI.create(baseUrl.getScheme() + "://" + baseUrl.getRawAuthority() + (path.endsWith("/") ? path : path + "/"));
        this.timeout = timeout;
        this.http = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1) // both servers speak HTTP/1.1; no h2c upgrade dance
                .connectTimeout(timeout)
                .followRedirects(HttpClient.Redirect.NEVER)
                .build();
    }

    URI base() {
        return base;
    }

    URI resolve(String relative) {
        return base.resolve(relative);
    }

    /**
     * {@code POST -/reload}: 200 applied, 500 rejected with the body, 403 disabled with
     * {@code disabledMessage}; any other answer means the URL is not the server's reload endpoint.
     */
    ReloadOutcome reload(String disabledMessage) {
        URI uri = resolve("-/reload");
        HttpResponse<String> response;
        try {
            response = send(HttpRequest.newBuilder(uri).POST(HttpRequest.BodyPublishers.noBody()));
        } catch (IOException e) {
            return new ReloadOutcome.Unreachable(reason(e, uri, timeout));
        }
        String body = cut(response.body().trim());
        return switch (response.statusCode()) {
            case 200 -> new ReloadOutcome.Applied();
            case 500 -> new ReloadOutcome.Rejected(body.isEmpty() ? "HTTP 500 without a message" : body);
            case 403 -> new ReloadOutcome.Disabled(disabledMessage);
            default -> new ReloadOutcome.Unreachable("HTTP " + response.statusCode() + " from " + uri
                    + (body.isEmpty() ? "" : ": " + body.lines().findFirst().orElse("")));
        };
    }

    /** True when {@code GET relative} answers 200. */
    boolean answers200(String relative) {
        try {
            return send(HttpRequest.newBuilder(resolve(relative)).GET()).statusCode() == 200;
        } catch (IOException e) {
            return false;
        }
    }

    /** The value of the first sample of {@code metric} on {@code GET metrics}; empty when unreachable or absent. */
    OptionalDouble gauge(String metric) {
        try {
            HttpResponse<String> response = send(HttpRequest.newBuilder(resolve("metrics")).GET()
                    .header("Accept", "text/plain;version=0.0.4")); // not protobuf, not OpenMetrics
            if (response.statusCode() != 200) {
                return OptionalDouble.empty();
            }
            Optional<Sample> sample = ExpositionParser.parse(response.body()).first(metric);
            return sample.isPresent() ? OptionalDouble.of(sample.get().value()) : OptionalDouble.empty();
        } catch (IOException e) {
            return OptionalDouble.empty();
        }
    }

    /** A 0/1 gauge as a boolean: 1 is true, anything else false. */
    Optional<Boolean> flag(String metric) {
        OptionalDouble value = gauge(metric);
        return value.isPresent() ? Optional.of(value.getAsDouble() == 1) : Optional.empty();
    }

    /**
     * Sends and waits at most the timeout for the whole response: the client's own request timeout ends
     * with the headers, and a server that then trickles its body must not hold the loop.
     */
    private HttpResponse<String> send(HttpRequest.Builder request) throws IOException {
        CompletableFuture<HttpResponse<String>> future = http.sendAsync(request.timeout(timeout).build(),
                HttpResponse.BodyHandlers.ofString());
        try {
            return future.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            future.cancel(true);
            throw new HttpTimeoutException("no whole answer within " + Durations.text(timeout));
        } catch (InterruptedException e) {
            future.cancel(true);
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted");
        } catch (ExecutionException e) {
            if (e.getCause() instanceof IOException io) {
                throw io;
            }
            throw new IOException(e.getCause());
        }
    }

    /** A short reason for a failed call, from the most telling exception in the chain. */
    static String reason(Throwable failure, URI uri, Duration timeout) {
        String connect = null;
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof HttpConnectTimeoutException) {
                return "connect timed out after " + Durations.text(timeout);
            }
            if (t instanceof HttpTimeoutException) {
                return "no answer within " + Durations.text(timeout);
            }
            if (t instanceof UnresolvedAddressException || t instanceof UnknownHostException) {
                return "unknown host " + uri.getHost();
            }
            if (t instanceof SSLException) {
                return "TLS failed: " + firstLine(t.getMessage());
            }
            if (t instanceof InterruptedIOException) {
                return "interrupted";
            }
            if (t instanceof ConnectException && t.getMessage() != null && connect == null) {
                connect = t.getMessage(); // "Connection refused", "No route to host"
            }
        }
        if (connect != null || failure instanceof ConnectException) {
            return connect == null ? "connection refused" : lowerFirst(firstLine(connect));
        }
        String deepest = null; // wrappers repeat their cause as "java.io.IOException: …"; the root says it plainly
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t.getMessage() != null && !t.getMessage().isBlank()) {
                deepest = t.getMessage();
            }
        }
        return deepest == null ? failure.getClass().getSimpleName() : lowerFirst(firstLine(deepest));
    }

    private static String firstLine(String text) {
        return cut(text == null ? "" : text.lines().findFirst().orElse("").trim());
    }

    /** "Connection refused" → "connection refused", but "HTTP/1.1 …" stays. */
    private static String lowerFirst(String text) {
        return text.length() < 2 || !Character.isLowerCase(text.charAt(1)) ? text
                : Character.toLowerCase(text.charAt(0)) + text.substring(1);
    }

    static String cut(String text) {
        return text.length() <= MAX_MESSAGE ? text : text.substring(0, MAX_MESSAGE) + "…";
    }
}
