package dev.lookout.statuspage;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.lookout.api.ObjectKey;
import dev.lookout.engine.OutputsReport;
import dev.lookout.prometheus.JobNames;
import dev.lookout.reload.AlertingRuleState;
import dev.lookout.reload.PrometheusClient;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;

/**
 * The page a person opens on Lookout's HTTP port: every resource with its Ready condition and reason, its
 * targets with their last result in Prometheus, its alerts with their state and a link to the expression
 * in Prometheus's graph page, and the last write and reload of the outputs.
 *
 * <p>Plain HTML and CSS, built on the server at each view and refreshed by the browser every few seconds:
 * nothing to build, no script to trust, and it reads the same in a terminal browser. The elements carry
 * {@code data-} attributes (ready, result, state) so that tests and scripts need not parse the wording.
 */
public final class StatusPage {
    static final int REFRESH_SECONDS = 5;

    private final Supplier<List<ObjectNode>> resources;
    private final Supplier<Optional<OutputsReport>> outputs;
    private final RuleFiles rules;
    private final PrometheusReadings prometheus;
    private final URI prometheusLink;
    private final Clock clock;

    /**
     * @param outRoot        the output folder, whose rule files list the alerts
     * @param prometheus     a client with a short timeout: it is asked on the HTTP thread at each view
     * @param prometheusLink where a browser reaches Prometheus (lookout.yaml {@code prometheus.externalUrl})
     */
    public StatusPage(Supplier<List<ObjectNode>> resources, Supplier<Optional<OutputsReport>> outputs, Path outRoot,
                      PrometheusClient prometheus, URI prometheusLink, Clock clock) {
        this.resources = resources;
        this.outputs = outputs;
        this.rules = new RuleFiles(outRoot);
        this.prometheus = new PrometheusReadings(prometheus);
        this.prometheusLink = prometheusLink;
        this.clock = clock;
    }

    public String html() {
        Instant now = clock.instant();
        List<ObjectNode> objects = resources.get().stream().sorted(ORDER).toList();
        List<RenderedAlert> alerts;
        String rulesProblem = "";
        try {
            alerts = rules.alerts();
        } catch (IOException | RuntimeException e) {
            alerts = List.of();
            rulesProblem = "the rule files could not be read: " + e.getMessage();
        }
        PrometheusReadings.Readings live = prometheus.read();
        Map<String, AlertingRuleState> states = new HashMap<>();
        live.rules().forEach(r -> states.put(r.group() + "\u0000" + r.alert(), r));

        StringBuilder page = new StringBuilder(8192);
        page.append("<!doctype html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">")
                .append("<meta http-equiv=\"refresh\" content=\"").append(REFRESH_SECONDS).append("\">")
                .append("<meta name=\"viewport\" content=\"width=device-width\"><title>Lookout</title><style>").append(CSS)
                .append("</style></head>\n<body>\n<header><h1>Lookout</h1>");
        long ready = objects.stream().filter(o -> readyStatus(o).equals("True")).count();
        page.append("<p id=\"summary\">").append(objects.size()).append(objects.size() == 1 ? " resource, " : " resources, ")
                .append(ready).append(" ready · Prometheus <a href=\"").append(Html.text(prometheusLink.toString())).append("\">")
                .append(Html.text(prometheusLink.toString())).append("</a></p>\n");
        outputsLine(page, outputs.get(), now);
        if (!live.answered()) {
            page.append("<p class=\"problem\" id=\"prometheus-problem\">Targets and alert states are not shown: ")
                    .append(Html.text(live.problem())).append("</p>\n");
        }
        if (!rulesProblem.isEmpty()) {
            page.append("<p class=\"problem\">").append(Html.text(rulesProblem)).append("</p>\n");
        }
        page.append("</header>\n<main><table id=\"resources\"><thead><tr><th>Resource</th><th>Ready</th><th>Targets</th>")
                .append("<th>Alerts</th></tr></thead><tbody>\n");
        if (objects.isEmpty()) {
            page.append("<tr><td colspan=\"4\" class=\"none\">No resources yet: add YAML to the watched folder.</td></tr>\n");
        }
        for (ObjectNode object : objects) {
            resourceRow(page, object, alerts, states, live, now);
        }
        page.append("</tbody></table></main>\n<footer>Refreshed every ").append(REFRESH_SECONDS)
                .append(" s · <a href=\"/api/v1/resources\">api/v1/resources</a> · <a href=\"/metrics\">metrics</a>")
                .append(" · <a href=\"/readyz\">readyz</a></footer>\n</body></html>\n");
        return page.toString();
    }

    private static void outputsLine(StringBuilder page, Optional<OutputsReport> report, Instant now) {
        page.append("<p id=\"outputs\"");
        if (report.isEmpty()) {
            page.append(" data-result=\"none\">Outputs: not written yet</p>\n");
            return;
        }
        OutputsReport r = report.get();
        page.append(" data-result=\"").append(r.result()).append("\" class=\"").append(r.ok() ? "ok" : "bad").append("\">Outputs: ")
                .append(Html.text(r.result())).append(' ').append(ago(r.at(), now)).append(" — ").append(Html.text(r.detail()))
                .append("</p>\n");
    }

    private void resourceRow(StringBuilder page, ObjectNode object, List<RenderedAlert> alerts,
                             Map<String, AlertingRuleState> states, PrometheusReadings.Readings live, Instant now) {
        String kind = object.path("kind").asText();
        String namespace = object.path("metadata").path("namespace").asText();
        String name = object.path("metadata").path("name").asText();
        String job = JobNames.job(new ObjectKey(kind, namespace, name));
        JsonNode ready = readyCondition(object);
        String status = ready.path("status").asText("Unknown");
        page.append("<tr id=\"").append(Html.text(JobNames.fileStem(new ObjectKey(kind, namespace, name)))).append("\">")
                .append("<td><span class=\"kind\">").append(Html.text(kind)).append("</span><br>")
                .append(Html.text(namespace + "/" + name)).append("</td>");
        page.append("<td class=\"ready ").append(status.toLowerCase(java.util.Locale.ROOT)).append("\" data-ready=\"")
                .append(Html.text(status)).append("\"><b>").append(Html.text(status)).append("</b>");
        if (!ready.path("reason").asText().isEmpty()) {
            page.append(" <span class=\"reason\">").append(Html.text(ready.path("reason").asText())).append("</span>");
        }
        if (!ready.path("message").asText().isEmpty()) {
            page.append("<div class=\"message\">").append(Html.text(ready.path("message").asText())).append("</div>");
        }
        page.append("</td><td><ul class=\"targets\">");
        targets(page, object, job, live, now);
        page.append("</ul></td><td><ul class=\"alerts\">");
        for (RenderedAlert alert : alerts) {
            if (alert.group().equals(job)) {
                alertItem(page, alert, states.get(alert.group() + "\u0000" + alert.alert()), live.answered());
            }
        }
        page.append("</ul></td></tr>\n");
    }

    /** Prometheus's targets of the job, then the ones the resource lists that Prometheus has no sample of yet. */
    private static void targets(StringBuilder page, ObjectNode object, String job, PrometheusReadings.Readings live, Instant now) {
        Set<String> shown = new LinkedHashSet<>();
        for (PrometheusReadings.TargetReading t : live.targets()) {
            if (!t.job().equals(job)) {
                continue;
            }
            shown.add(t.instance());
            String value = t.value() == Math.rint(t.value()) ? Long.toString((long) t.value()) : Double.toString(t.value());
            page.append("<li class=\"").append(t.ok() ? "ok" : "bad").append("\" data-result=\"").append(Html.text(t.metric() + " " + value))
                    .append("\"><code>").append(Html.text(t.instance())).append("</code> ").append(Html.text(t.metric())).append(' ')
                    .append(value);
            if (t.sampledAt() != null) {
                page.append(" <span class=\"age\">").append(ago(t.sampledAt(), now)).append("</span>");
            }
            page.append("</li>");
        }
        for (JsonNode listed : object.path("status").path("targets")) {
            String url = listed.path("url").asText();
            if (!url.isEmpty() && shown.add(url)) {
                page.append("<li class=\"waiting\" data-result=\"none\"><code>").append(Html.text(url))
                        .append("</code> no sample in Prometheus yet</li>");
            }
        }
    }

    private void alertItem(StringBuilder page, RenderedAlert alert, AlertingRuleState state, boolean prometheusAnswered) {
        String shown = state != null ? state.state() : prometheusAnswered ? "not loaded" : "unknown";
        String graph = prometheusLink.toString().replaceAll("/+$", "") + "/graph?g0.expr="
                + URLEncoder.encode(alert.expr(), StandardCharsets.UTF_8) + "&g0.tab=0";
        page.append("<li class=\"").append(shown.replace(' ', '-')).append("\" data-state=\"").append(Html.text(shown))
                .append("\"><a href=\"").append(Html.text(graph)).append("\" title=\"").append(Html.text(alert.expr())).append("\">")
                .append(Html.text(alert.alert())).append("</a> ").append(Html.text(shown));
        if (!alert.duration().isEmpty()) {
            page.append(" · for ").append(Html.text(alert.duration()));
        }
        if (!alert.severity().isEmpty()) {
            page.append(" · ").append(Html.text(alert.severity()));
        }
        if (state != null && !state.lastError().isEmpty()) {
            page.append("<div class=\"message\">").append(Html.text(state.lastError())).append("</div>");
        }
        page.append("</li>");
    }

    private static JsonNode readyCondition(ObjectNode object) {
        for (JsonNode condition : object.path("status").path("conditions")) {
            if (condition.path("type").asText().equals("Ready")) {
                return condition;
            }
        }
        return com.fasterxml.jackson.databind.node.MissingNode.getInstance();
    }

    private static String readyStatus(ObjectNode object) {
        return readyCondition(object).path("status").asText("Unknown");
    }

    /** "4s ago", "3m ago", "2h ago": how long, to the unit a person reads at a glance. */
    static String ago(Instant then, Instant now) {
        long s = Math.max(0, Duration.between(then, now).getSeconds());
        return (s < 120 ? s + "s" : s < 7200 ? s / 60 + "m" : s < 172800 ? s / 3600 + "h" : s / 86400 + "d") + " ago";
    }

    private static final Comparator<ObjectNode> ORDER = Comparator
            .comparing((ObjectNode o) -> o.path("kind").asText())
            .thenComparing(o -> o.path("metadata").path("namespace").asText())
            .thenComparing(o -> o.path("metadata").path("name").asText());

    private static final String CSS = """
            body{font:14px/1.4 system-ui,sans-serif;margin:0;color:#1d2330;background:#f6f7f9}
            header,main,footer{padding:12px 24px}header{background:#1d2330;color:#fff}header a{color:#9cf}
            h1{margin:0 0 4px;font-size:20px}p{margin:4px 0}.problem{color:#ffb4a9}
            #outputs.ok::before{content:"● ";color:#4c4}#outputs.bad::before{content:"● ";color:#f54}
            table{border-collapse:collapse;width:100%;background:#fff}th,td{text-align:left;vertical-align:top;
            padding:8px 10px;border-bottom:1px solid #e3e6eb}th{background:#eceff3;font-weight:600}
            .kind{font-size:12px;color:#667;text-transform:uppercase;letter-spacing:.04em}
            .ready b{padding:1px 6px;border-radius:3px}.ready.true b{background:#d6f5d6}.ready.false b{background:#fbd5d0}
            .ready.unknown b{background:#eee}.reason{font-weight:600}.message{color:#556;font-size:12px;max-width:42em}
            ul{margin:0;padding:0;list-style:none}li{margin:2px 0}li.ok::before{content:"✔ ";color:#2a2}
            li.bad::before{content:"✘ ";color:#d22}li.waiting::before{content:"… "}code{font-size:12px}
            li.firing a{color:#c00;font-weight:700}li.pending a{color:#b60;font-weight:700}.age{color:#889;font-size:12px}
            footer{color:#667;font-size:12px}.none{color:#667}
            """;
}
