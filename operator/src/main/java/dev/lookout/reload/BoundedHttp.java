package dev.lookout.reload;

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
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import javax.net.ssl.SSLException;

/**
 * HTTP calls from the operator's loop to the servers it watches (Prometheus, blackbox-exporter,
 * dcgm-exporter): HTTP/1.1, no redirects followed (a redirect means the address is wrong, and following it
 * could leave the host Lookout was told about), every call bounded in time, body included, and failures
 * turned into short human reasons for status conditions and logs.
 */
public final class BoundedHttp {
    /** A reason or message longer than this is cut: it ends up in a status condition. */
    public static final int MAX_MESSAGE = 2000;

    private final Duration connectTimeout;
    private final Duration answerTimeout;
    private final HttpClient http;

    /**
     * @param connectTimeout how long a TCP (and TLS) connection may take
     * @param answerTimeout  how long a whole answer may take, from sending to the last byte of the body
     */
    public BoundedHttp(Duration connectTimeout, Duration answerTimeout) {
        if (connectTimeout.isNegative() || connectTimeout.isZero() || answerTimeout.isNegative() || answerTimeout.isZero()) {
            throw new IllegalArgumentException("timeouts must be positive: " + connectTimeout + ", " + answerTimeout);
        }
        this.connectTimeout = connectTimeout;
        this.answerTimeout = answerTimeout;
        this.http = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1) // the servers speak HTTP/1.1; no h2c upgrade dance
                .connectTimeout(connectTimeout)
                .followRedirects(HttpClient.Redirect.NEVER)
                .build();
    }

    /**
     * Sends and waits at most the answer timeout for the whole response: the client's own request timeout
     * ends with the headers, and a server that then trickles its body must not hold the loop.
     */
    public HttpResponse<String> send(HttpRequest.Builder request) throws IOException {
        CompletableFuture<HttpResponse<String>> future = http.sendAsync(request.timeout(answerTimeout).build(),
                HttpResponse.BodyHandlers.ofString());
        try {
            return future.get(answerTimeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            future.cancel(true);
            throw new HttpTimeoutException("no whole answer within " + Durations.text(answerTimeout));
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

    /** A short reason for a failed call to {@code uri}, from the most telling exception in the chain. */
    public String reason(Throwable failure, URI uri) {
        String connect = null;
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof HttpConnectTimeoutException) {
                return "connect timed out after " + Durations.text(connectTimeout);
            }
            if (t instanceof HttpTimeoutException) {
                return "no answer within " + Durations.text(answerTimeout);
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

    /** {@code text}, cut to {@link #MAX_MESSAGE} characters. */
    public static String cut(String text) {
        return text.length() <= MAX_MESSAGE ? text : text.substring(0, MAX_MESSAGE) + "…";
    }

    /** The first line of {@code text}, trimmed and cut: what a status condition can hold. */
    public static String firstLine(String text) {
        return cut(text == null ? "" : text.lines().findFirst().orElse("").trim());
    }

    /** "Connection refused" → "connection refused", but "HTTP/1.1 …" stays. */
    private static String lowerFirst(String text) {
        return text.length() < 2 || !Character.isLowerCase(text.charAt(1)) ? text
                : Character.toLowerCase(text.charAt(0)) + text.substring(1);
    }
}
