package dev.lookout.reload;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.lookout.exposition.ExpositionParser;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;

/**
 * Talks to a running Prometheus: asks it to reload what Lookout wrote, confirms whether the last reload
 * held, and runs instant queries (remediation asks whether a probe has failed long enough). The base URL
 * may carry a path prefix ({@code http://h:9090/prom} for a Prometheus started with
 * {@code --web.route-prefix=/prom}); every endpoint is resolved under it. Every call is bounded by the
 * timeout; only {@link #query} throws, as a query without a result has no answer to stand in for it.
 */
public final class PrometheusClient {
    /** Prometheus' own gauge: 1 when the last reload attempt (from any source: HTTP, SIGHUP) succeeded. */
    public static final String LAST_RELOAD_METRIC = "prometheus_config_last_reload_successful";
    static final String DISABLED = "reload endpoint disabled: start Prometheus with --web.enable-lifecycle";
    private static final String QUERY = "api/v1/query";
    private static final String RULES = "api/v1/rules?type=alert";
    private static final ObjectMapper JSON = new ObjectMapper();

    private final HttpEndpoint endpoint;
    private final Duration timeout;

    public PrometheusClient(URI baseUrl, Duration timeout) {
        this(baseUrl, timeout, timeout);
    }

    /** @param reloadTimeout how long a reload may take to answer (thousands of jobs: a minute or more) */
    public PrometheusClient(URI baseUrl, Duration timeout, Duration reloadTimeout) {
        this.endpoint = new HttpEndpoint(baseUrl, timeout, reloadTimeout);
        this.timeout = timeout;
    }

    /** The base URL as used, with its trailing slash. */
    public URI baseUrl() {
        return endpoint.base();
    }

    /**
     * {@code POST -/reload}. Prometheus 3.5 answers 200 with an empty body when it applied the config;
     * 500 with {@code failed to reload config: …} when it refused it; 403 "Lifecycle API is not enabled."
     * without {@code --web.enable-lifecycle}, reported as {@link ReloadOutcome.Disabled}. A 500 is not
     * all-or-nothing: scrape pools keep their old config, but other parts (rules) may have moved on.
     */
    public ReloadOutcome reload() {
        return endpoint.reload(DISABLED);
    }

    /**
     * Whether Prometheus' last reload attempt succeeded, from its {@code /metrics}; empty when it cannot
     * be asked. Confirms a reload that something else triggered, or one whose answer was lost.
     */
    public Optional<Boolean> lastReloadSuccessful() {
        return endpoint.flag(LAST_RELOAD_METRIC);
    }

    /** {@code GET -/ready} answers 200: started and serving (503 while it replays its WAL). */
    public boolean ready() {
        return endpoint.answers200("-/ready");
    }

    /**
     * An instant query at the current time, {@code POST api/v1/query} (a form body: no URL length limit for
     * long selectors). Prometheus is asked to stop evaluating when this client stops waiting.
     *
     * @return the elements of an instant vector (empty when no series matches, as for a comparison that
     *         filters everything out), or the one value of a scalar, without labels
     * @throws QueryException when Prometheus refuses or fails the query (its {@code errorType} and
     *                        {@code error}), when the result is a range vector or a string, or when no API
     *                        answer comes (unreachable, timeout, a server that is not Prometheus)
     */
    public List<QuerySample> query(String promql) throws QueryException {
        URI uri = endpoint.resolve(QUERY);
        HttpResponse<String> response;
        try {
            response = endpoint.postForm(QUERY, Map.of("query", promql, "timeout", Durations.text(timeout)));
        } catch (IOException e) {
            throw new QueryException(null, "Prometheus did not answer the query: " + endpoint.reason(e, uri));
        }
        return samples(apiData(response, uri, "the query"));
    }

    /**
     * The alerting rules Prometheus has loaded, with their state, from {@code GET api/v1/rules?type=alert}:
     * what it evaluates, which may differ from what was written until a reload has been applied.
     *
     * @throws QueryException when no API answer comes or Prometheus answers with an error
     */
    public List<AlertingRuleState> alertingRules() throws QueryException {
        URI uri = endpoint.resolve(RULES);
        HttpResponse<String> response;
        try {
            response = endpoint.get(RULES);
        } catch (IOException e) {
            throw new QueryException(null, "Prometheus did not answer: " + endpoint.reason(e, uri));
        }
        List<AlertingRuleState> rules = new ArrayList<>();
        for (JsonNode group : apiData(response, uri, "the rules request").path("groups")) {
            for (JsonNode rule : group.path("rules")) {
                rules.add(new AlertingRuleState(group.path("name").asText(), rule.path("name").asText(),
                        rule.path("state").asText(), rule.path("health").asText(), rule.path("lastError").asText("")));
            }
        }
        return rules;
    }

    /** The {@code data} of a successful API answer; the reason in Prometheus's or HTTP's words otherwise. */
    private static JsonNode apiData(HttpResponse<String> response, URI uri, String what) throws QueryException {
        JsonNode answer = json(response.body());
        String status = answer == null ? "" : answer.path("status").asText();
        if (status.equals("error")) {
            String errorType = answer.hasNonNull("errorType") ? answer.get("errorType").asText() : null;
            throw new QueryException(errorType, BoundedHttp.cut("Prometheus refused " + what + " (" + (errorType == null
                    ? "no errorType" : errorType) + "): " + answer.path("error").asText("no error message")));
        }
        if (!status.equals("success") || response.statusCode() != 200) {
            String body = BoundedHttp.firstLine(response.body());
            throw new QueryException(null, "HTTP " + response.statusCode() + " from " + uri + " is not a Prometheus API answer"
                    + (body.isEmpty() ? "" : ": " + body));
        }
        return answer.path("data");
    }

    /** The result of a successful instant query: a vector or a scalar. */
    private static List<QuerySample> samples(JsonNode data) throws QueryException {
        String type = data.path("resultType").asText();
        if (type.equals("scalar")) {
            return List.of(new QuerySample(Map.of(), value(data.path("result"))));
        }
        if (!type.equals("vector")) {
            throw new QueryException(null, "the query gives a " + (type.isEmpty() ? "result without a type" : type)
                    + ", not an instant vector or a scalar");
        }
        List<QuerySample> samples = new ArrayList<>();
        for (JsonNode element : data.path("result")) {
            if (!element.has("value")) {
                throw new QueryException(null, "the query gives native histograms, which are not read");
            }
            Map<String, String> labels = new LinkedHashMap<>();
            for (Iterator<Map.Entry<String, JsonNode>> fields = element.path("metric").fields(); fields.hasNext(); ) {
                Map.Entry<String, JsonNode> label = fields.next();
                labels.put(label.getKey(), label.getValue().asText());
            }
            samples.add(new QuerySample(labels, value(element.path("value"))));
        }
        return samples;
    }

    /** {@code [<unix time>, "<value>"]}: the value is a string, so that NaN and ±Inf survive JSON. */
    private static double value(JsonNode pair) throws QueryException {
        OptionalDouble value = ExpositionParser.number(pair.path(1).asText());
        if (value.isEmpty()) {
            throw new QueryException(null, "unreadable sample value " + pair);
        }
        return value.getAsDouble();
    }

    private static JsonNode json(String body) {
        try {
            return body.isBlank() ? null : JSON.readTree(body);
        } catch (JsonProcessingException e) {
            return null;
        }
    }
}
