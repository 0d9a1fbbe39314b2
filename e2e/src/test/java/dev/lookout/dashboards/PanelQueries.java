package dev.lookout.dashboards;

import dev.lookout.dashboards.PrometheusApi.Answer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.awaitility.Awaitility;
import org.awaitility.core.ConditionTimeoutException;

/**
 * The queries a dashboard's panels send to Prometheus, with variables filled in as Grafana fills them, and
 * Prometheus' answers.
 */
final class PanelQueries {
    private static final Duration POLL = Duration.ofMillis(500);
    /** How far back a range query looks: the stand-ins' series are younger than this. */
    private static final Duration RANGE = Duration.ofMinutes(2);
    private static final Duration STEP = Duration.ofSeconds(2);

    private PanelQueries() {
    }

    /** A panel query with its variables filled in. */
    record Query(PanelTarget target, String expr) {
    }

    /**
     * Every query of {@code dashboard}, each variable set to every value Grafana would offer for it (what a user sees
     * first is "All"). The values come from the same API call Grafana makes, each variable's query filled in with the
     * variables before it. A variable that offers nothing within {@code wait}, or a query that names a variable the
     * dashboard does not define, fails.
     */
    static List<Query> of(GrafanaDashboard dashboard, PrometheusApi api, Duration wait) {
        TemplateValues values = new TemplateValues();
        for (TemplateVariable v : dashboard.variables()) {
            values.select(v, v.type().equals("datasource") ? List.of(v.current()) : offered(dashboard, v, values, api, wait));
        }
        List<Query> queries = new ArrayList<>();
        for (PanelTarget t : dashboard.targets()) {
            String expr = values.interpolate(t.expr());
            if (!values.unresolved(expr).isEmpty()) {
                throw new AssertionError(t.where() + ": variables the dashboard does not define: " + values.unresolved(expr));
            }
            queries.add(new Query(t, expr));
        }
        return queries;
    }

    private static List<String> offered(GrafanaDashboard dashboard, TemplateVariable v, TemplateValues earlier, PrometheusApi api,
                                        Duration wait) {
        String where = dashboard.label() + " variable " + v.name();
        TemplateVariable.LabelValues query = v.labelValues()
                .orElseThrow(() -> new AssertionError(where + ": not label_values(selector, label): " + v.query()));
        String selector = earlier.interpolate(query.selector());
        AtomicReference<List<String>> kept = new AtomicReference<>(List.of());
        try {
            Awaitility.await(where).atMost(wait).pollInterval(POLL).until(() -> {
                kept.set(v.keep(api.labelValues(query.label(), selector)));
                return !kept.get().isEmpty();
            });
        } catch (ConditionTimeoutException e) {
            throw new AssertionError(where + " offers no value: label_values(" + selector + ", " + query.label()
                    + ") kept by regex '" + v.regex() + "' is empty", e);
        }
        return kept.get();
    }

    /**
     * Asks every query until each has answered with a number, at most {@code wait}. A refused query is not asked
     * again (no amount of scraping makes bad PromQL good); the others still get their time, so that what is reported
     * as unanswered really was. Each query's last answer, whatever happened.
     */
    static Map<Query, Answer> awaitAnswers(PrometheusApi api, List<Query> queries, Duration wait) {
        Map<Query, Answer> answers = new LinkedHashMap<>();
        try {
            Awaitility.await("every panel query answered").atMost(wait).pollInterval(POLL).until(() -> {
                for (Query q : queries) {
                    if (!answers.containsKey(q) || (answers.get(q).valid() && !answers.get(q).answered())) {
                        answers.put(q, ask(api, q));
                    }
                }
                return answers.values().stream().allMatch(a -> a.answered() || !a.valid());
            });
        } catch (ConditionTimeoutException e) {
            // the answers say which queries, and why
        }
        return answers;
    }

    /** What Grafana asks for the target: the instant value, the series over a range, or both (the worse answer counts). */
    private static Answer ask(PrometheusApi api, Query q) {
        Answer instant = q.target().instant() ? api.instant(q.expr()) : null;
        Answer range = q.target().range() || !q.target().instant() ? api.range(q.expr(), RANGE, STEP) : null;
        if (instant == null || range == null) {
            return instant == null ? range : instant;
        }
        return !instant.answered() ? instant : range;
    }
}
