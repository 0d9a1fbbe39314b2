package dev.lookout.artifacts.stack;

import com.fasterxml.jackson.databind.JsonNode;
import dev.lookout.artifacts.http.LoopbackHttp;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalDouble;

/** The stack's Prometheus through its published port: what it scrapes, and what it stored. */
public final class PrometheusApi {
    private final URI base;

    public PrometheusApi(URI base) {
        this.base = base;
    }

    /** One active target of {@code GET /api/v1/targets}. */
    public record Target(String job, String instance, String health, String lastError) {
    }

    /** One stored sample: when it was taken (the scrape's start) and its value. */
    public record Sample(Instant time, double value) {
    }

    public List<Target> activeTargets() {
        List<Target> targets = new ArrayList<>();
        for (JsonNode t : success("api/v1/targets?state=active").path("activeTargets")) {
            targets.add(new Target(t.path("labels").path("job").asText(), t.path("labels").path("instance").asText(),
                    t.path("health").asText(), t.path("lastError").asText()));
        }
        return targets;
    }

    /** The value of the first series {@code promql} returns now, or empty when it returns none. */
    public OptionalDouble value(String promql) {
        JsonNode result = success("api/v1/query?query=" + encode(promql)).path("result");
        return result.isEmpty() ? OptionalDouble.empty() : OptionalDouble.of(result.get(0).path("value").get(1).asDouble());
    }

    /** Every sample of the series {@code selector} matches within the last {@code window}, oldest first. */
    public List<Sample> samples(String selector, Duration window) {
        List<Sample> samples = new ArrayList<>();
        for (JsonNode series : success("api/v1/query?query=" + encode(selector + "[" + window.toSeconds() + "s]")).path("result")) {
            for (JsonNode point : series.path("values")) {
                samples.add(new Sample(Instant.ofEpochMilli(Math.round(point.get(0).asDouble() * 1000)), point.get(1).asDouble()));
            }
        }
        samples.sort(java.util.Comparator.comparing(Sample::time));
        return samples;
    }

    private JsonNode success(String path) {
        URI uri = base.resolve(path);
        JsonNode reply = LoopbackHttp.json(uri);
        if (!"success".equals(reply.path("status").asText())) {
            throw new IllegalStateException("GET " + uri + " did not succeed: " + reply);
        }
        return reply.path("data");
    }

    private static String encode(String text) {
        return URLEncoder.encode(text, StandardCharsets.UTF_8);
    }
}
