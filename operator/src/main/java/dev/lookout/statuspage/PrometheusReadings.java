package dev.lookout.statuspage;

import dev.lookout.reload.AlertingRuleState;
import dev.lookout.reload.PrometheusClient;
import dev.lookout.reload.QueryException;
import dev.lookout.reload.QuerySample;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * What Prometheus says now about Lookout's jobs: each target's last result ({@code probe_success} for a
 * probe, {@code up} for the rest) with the time of its sample, and the state of every alerting rule. Asked
 * at each page view with a short timeout, so a slow or absent Prometheus costs the page a second at most,
 * and the page says why the column is empty.
 */
final class PrometheusReadings {
    static final String JOBS = "job=~\"lookout/.+\"";
    private static final String RESULTS = "{__name__=~\"probe_success|up\"," + JOBS + "}";
    /** timestamp() drops the metric name; label_replace keeps which metric each time belongs to. */
    private static final String TIMES = "label_replace(timestamp(probe_success{" + JOBS + "}), \"lookout_metric\", \"probe_success\", \"\", \"\")"
            + " or label_replace(timestamp(up{" + JOBS + "}), \"lookout_metric\", \"up\", \"\", \"\")";

    /** One target's last sample. */
    record TargetReading(String job, String instance, String metric, double value, Instant sampledAt) {
        boolean ok() {
            return value == 1;
        }
    }

    /** @param problem why Prometheus could not be read; empty when it answered */
    record Readings(List<TargetReading> targets, List<AlertingRuleState> rules, String problem) {
        boolean answered() {
            return problem.isEmpty();
        }
    }

    /** The three questions of a page view go out together: a slow Prometheus costs one timeout, not three. */
    private static final java.util.concurrent.ExecutorService ASKING = java.util.concurrent.Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "lookout-status-page-prometheus");
        t.setDaemon(true);
        return t;
    });

    private final PrometheusClient prometheus;

    PrometheusReadings(PrometheusClient prometheus) {
        this.prometheus = prometheus;
    }

    Readings read() {
        var resultsAsked = ask(() -> prometheus.query(RESULTS));
        var timesAsked = ask(() -> prometheus.query(TIMES));
        var rulesAsked = ask(prometheus::alertingRules);
        try {
            List<QuerySample> results = answer(resultsAsked);
            Map<String, Double> times = new HashMap<>();
            for (QuerySample time : answer(timesAsked)) {
                times.put(key(time.labels().get("lookout_metric"), time.labels()), time.value());
            }
            List<TargetReading> targets = new ArrayList<>();
            for (QuerySample result : results) {
                String metric = result.labels().get("__name__");
                Double seconds = times.get(key(metric, result.labels()));
                targets.add(new TargetReading(result.labels().get("job"), result.labels().getOrDefault("instance", ""), metric,
                        result.value(), seconds == null ? null : Instant.ofEpochMilli(Math.round(seconds * 1000))));
            }
            return new Readings(probesFirst(targets), answer(rulesAsked), "");
        } catch (QueryException e) {
            return new Readings(List.of(), List.of(), e.getMessage());
        }
    }

    private interface Question<T> {
        T ask() throws QueryException;
    }

    private static <T> java.util.concurrent.CompletableFuture<T> ask(Question<T> question) {
        return java.util.concurrent.CompletableFuture.supplyAsync(() -> {
            try {
                return question.ask();
            } catch (QueryException e) {
                throw new java.util.concurrent.CompletionException(e);
            }
        }, ASKING);
    }

    /** The answer, or the client's own QueryException (its timeout bounds the wait). */
    private static <T> T answer(java.util.concurrent.CompletableFuture<T> asked) throws QueryException {
        try {
            return asked.join();
        } catch (java.util.concurrent.CompletionException e) {
            if (e.getCause() instanceof QueryException q) {
                throw q;
            }
            throw e;
        }
    }

    private static String key(String metric, Map<String, String> labels) {
        return metric + "\u0000" + labels.get("job") + "\u0000" + labels.get("instance");
    }

    /** A probe job has both: blackbox answering (up) and the probe's own result, which is the one to show. */
    private static List<TargetReading> probesFirst(List<TargetReading> targets) {
        Map<String, TargetReading> byTarget = new HashMap<>();
        for (TargetReading t : targets) {
            String key = t.job() + "\u0000" + t.instance();
            TargetReading seen = byTarget.get(key);
            if (seen == null || t.metric().equals("probe_success")) {
                byTarget.put(key, t);
            }
        }
        List<TargetReading> kept = new ArrayList<>(byTarget.values());
        kept.sort(java.util.Comparator.comparing(TargetReading::job).thenComparing(TargetReading::instance));
        return kept;
    }
}
