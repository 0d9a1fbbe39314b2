package dev.lookout.dashboards;

import com.fasterxml.jackson.databind.JsonNode;
import dev.lookout.artifacts.http.LoopbackHttp;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * The queries Grafana's Prometheus datasource makes, sent to a Prometheus on 127.0.0.1: instant and range queries,
 * and label values for a variable. Prometheus' refusal (bad PromQL) is an answer here, not an exception.
 */
final class PrometheusApi {
    /** 400 and 422 carry Prometheus' refusal as JSON; anything else is not an answer to the query. */
    private static final Set<Integer> ANSWERS = Set.of(200, 400, 422);

    private final URI base;

    PrometheusApi(URI base) {
        this.base = base;
    }

    /**
     * What Prometheus said to one query.
     *
     * @param error  Prometheus' {@code errorType: error} when it refused the query, else null
     * @param series how many series (or one scalar) it returned
     * @param finite how many of their values are numbers (not NaN or ±Inf)
     */
    record Answer(String error, int series, int finite) {
        boolean valid() {
            return error == null;
        }

        /** Valid, and at least one real number to draw. */
        boolean answered() {
            return valid() && finite > 0;
        }

        @Override
        public String toString() {
            return !valid() ? "refused: " + error : series == 0 ? "no series" : series + " series, " + finite + " finite values";
        }
    }

    Answer instant(String promql) {
        return answer(get("api/v1/query?query=" + encode(promql)));
    }

    /** The values {@code label} takes in an instant query's result. */
    java.util.SortedSet<String> labelValuesIn(String promql, String label) {
        java.util.SortedSet<String> values = new java.util.TreeSet<>();
        get("api/v1/query?query=" + encode(promql)).path("data").path("result")
                .forEach(series -> values.add(series.path("metric").path(label).asText()));
        return values;
    }

    /** A range query over the last {@code window}, one point per {@code step}, as a time series panel asks. */
    Answer range(String promql, Duration window, Duration step) {
        Instant end = Instant.now();
        return answer(get("api/v1/query_range?query=" + encode(promql) + "&start=" + end.minus(window).getEpochSecond()
                + "&end=" + end.getEpochSecond() + "&step=" + step.toSeconds()));
    }

    /** {@code label_values(selector, label)}: the API call Grafana makes for it. */
    List<String> labelValues(String label, String selector) {
        JsonNode reply = get("api/v1/label/" + label + "/values?match%5B%5D=" + encode(selector));
        if (!"success".equals(reply.path("status").asText())) {
            throw new AssertionError("label_values(" + selector + ", " + label + ") refused: " + reply);
        }
        List<String> values = new ArrayList<>();
        reply.path("data").forEach(v -> values.add(v.asText()));
        return values;
    }

    private static Answer answer(JsonNode reply) {
        if (!"success".equals(reply.path("status").asText())) {
            return new Answer(reply.path("errorType").asText() + ": " + reply.path("error").asText(), 0, 0);
        }
        JsonNode data = reply.path("data");
        if ("scalar".equals(data.path("resultType").asText())) {
            return new Answer(null, 1, finite(data.path("result").path(1)) ? 1 : 0);
        }
        int finite = 0;
        for (JsonNode series : data.path("result")) {
            for (JsonNode point : series.has("values") ? series.path("values") : List.of(series.path("value"))) {
                finite += finite(point.path(1)) ? 1 : 0;
            }
        }
        return new Answer(null, data.path("result").size(), finite);
    }

    private static boolean finite(JsonNode value) {
        try {
            return Double.isFinite(Double.parseDouble(value.asText()));
        } catch (NumberFormatException e) {
            return false;
        }
    }

    private JsonNode get(String pathAndQuery) {
        return LoopbackHttp.json(base.resolve(pathAndQuery), ANSWERS);
    }

    private static String encode(String text) {
        return URLEncoder.encode(text, StandardCharsets.UTF_8);
    }
}
