package dev.lookout.reload;

import dev.lookout.exposition.ExpositionParser;
import dev.lookout.exposition.Sample;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.StringJoiner;

/**
 * The HTTP side shared by Prometheus and blackbox-exporter: both serve {@code POST -/reload} and
 * {@code GET metrics} (Prometheus its query API too) under a base URL that may carry a path prefix
 * ({@code --web.route-prefix}). Every call is bounded by the timeout, body included, and turns failures
 * into short human reasons.
 */
final class HttpEndpoint {
    private final URI base;
    private final BoundedHttp http;
    private final BoundedHttp reloading;

    HttpEndpoint(URI baseUrl, Duration timeout) {
        this(baseUrl, timeout, timeout);
    }

    /**
     * @param reloadTimeout how long {@code POST -/reload} may take to answer: Prometheus answers once the reload is
     *                      done, which with thousands of jobs takes a minute or more; giving up earlier and asking again
     *                      would only start another reload behind the first
     */
    HttpEndpoint(URI baseUrl, Duration timeout, Duration reloadTimeout) {
        String scheme = baseUrl.getScheme() == null ? "" : baseUrl.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("http") && !scheme.equals("https") || baseUrl.getHost() == null) {
            throw new IllegalArgumentException("not an http(s) URL with a host: " + baseUrl);
        }
        String path = baseUrl.getRawPath() == null ? "" : baseUrl.getRawPath();
        // "-/reload" resolves against the last path segment's folder: without the slash, /prom would be dropped.
        this.base = URI.create(baseUrl.getScheme() + "://" + baseUrl.getRawAuthority() + (path.endsWith("/") ? path : path + "/"));
        this.http = new BoundedHttp(timeout, timeout);
        this.reloading = new BoundedHttp(timeout, reloadTimeout);
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
            response = reloading.send(HttpRequest.newBuilder(uri).POST(HttpRequest.BodyPublishers.noBody()));
        } catch (IOException e) {
            return new ReloadOutcome.Unreachable(reloading.reason(e, uri));
        }
        String body = BoundedHttp.cut(response.body().trim());
        return switch (response.statusCode()) {
            case 200 -> new ReloadOutcome.Applied();
            case 500 -> new ReloadOutcome.Rejected(body.isEmpty() ? "HTTP 500 without a message" : body);
            case 403 -> new ReloadOutcome.Disabled(disabledMessage);
            default -> new ReloadOutcome.Unreachable("HTTP " + response.statusCode() + " from " + uri
                    + (body.isEmpty() ? "" : ": " + body.lines().findFirst().orElse("")));
        };
    }

    /** {@code POST relative} with {@code fields} as an HTML form body; throws what {@link BoundedHttp#send} throws. */
    HttpResponse<String> postForm(String relative, Map<String, String> fields) throws IOException {
        StringJoiner form = new StringJoiner("&");
        fields.forEach((k, v) -> form.add(URLEncoder.encode(k, StandardCharsets.UTF_8) + "=" + URLEncoder.encode(v, StandardCharsets.UTF_8)));
        return http.send(HttpRequest.newBuilder(resolve(relative))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(form.toString())));
    }

    /** {@code GET relative}; throws what {@link BoundedHttp#send} throws. */
    HttpResponse<String> get(String relative) throws IOException {
        return http.send(HttpRequest.newBuilder(resolve(relative)).GET());
    }

    /** A short reason for a call to {@code uri} that failed with {@code failure}. */
    String reason(IOException failure, URI uri) {
        return http.reason(failure, uri);
    }

    /** True when {@code GET relative} answers 200. */
    boolean answers200(String relative) {
        try {
            return http.send(HttpRequest.newBuilder(resolve(relative)).GET()).statusCode() == 200;
        } catch (IOException e) {
            return false;
        }
    }

    /** The value of the first sample of {@code metric} on {@code GET metrics}; empty when unreachable or absent. */
    OptionalDouble gauge(String metric) {
        try {
            HttpResponse<String> response = http.send(HttpRequest.newBuilder(resolve("metrics")).GET()
                    .header("Accept", "text/plain;version=0.0.4")); // not protobuf, not OpenMetrics
            if (response.statusCode() != 200) {
                return OptionalDouble.empty();
            }
            Optional<Sample> sample = ExpositionParser.parse(family(response.body(), metric)).first(metric);
            return sample.isPresent() ? OptionalDouble.of(sample.get().value()) : OptionalDouble.empty();
        } catch (IOException e) {
            return OptionalDouble.empty();
        }
    }

    /**
     * The lines of {@code metric}'s family alone ({@code # HELP}, {@code # TYPE}, its samples): Prometheus's own
     * {@code /metrics} holds series per scrape pool, and parsing all of them to read one gauge made samples for every
     * job (with 5,000 jobs, enough to run a 128 MiB operator out of heap after each reload).
     */
    static String family(String exposition, String metric) {
        StringBuilder kept = new StringBuilder();
        for (int start = 0; start < exposition.length(); ) {
            int end = exposition.indexOf('\n', start);
            if (end < 0) {
                end = exposition.length();
            }
            int name = exposition.startsWith("# HELP ", start) || exposition.startsWith("# TYPE ", start) ? start + 7 : start;
            int after = name + metric.length();
            if (exposition.startsWith(metric, name) && after < end
                    && (exposition.charAt(after) == ' ' || exposition.charAt(after) == '{' || exposition.charAt(after) == '\t')) {
                kept.append(exposition, start, end).append('\n');
            }
            start = end + 1;
        }
        return kept.toString();
    }

    /** A 0/1 gauge as a boolean: 1 is true, anything else false. */
    Optional<Boolean> flag(String metric) {
        OptionalDouble value = gauge(metric);
        return value.isPresent() ? Optional.of(value.getAsDouble() == 1) : Optional.empty();
    }
}
