package dev.lookout.nginx;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.lookout.api.ObjectKey;
import dev.lookout.config.OperatorConfig;
import dev.lookout.prometheus.JobNames;
import dev.lookout.prometheus.KindOutputs;
import dev.lookout.prometheus.RenderContext;
import dev.lookout.prometheus.ScrapeConfigs;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;

/**
 * An NginxVtsTarget → its scrape job and alerts. Native mode scrapes VTS's own Prometheus format
 * (current names: {@code nginx_vts_server_requests_total{code}}, which has no {@code code="total"} since
 * VTS 0.2.0, and the {@code nginx_vts_server_request_duration_seconds} histogram); sidecar mode scrapes
 * nginx-vts-exporter, whose names differ and which has no histogram.
 */
public final class NginxVtsOutputs implements KindOutputs.Renderer<NginxVtsTarget> {
    public static final int SIDECAR_PORT = 9913;
    /** VTS aggregates every server under host="*": leave it out, or each request counts twice. */
    private static final String REAL_HOSTS = "host!=\"*\"";

    /**
     * Where Prometheus scrapes the target, as a URL (for status and {@code lookout get}): the same address the scrape job
     * is rendered with ({@link OperatorConfig#scrapeAddress(String, String, String, int)}), so the two cannot disagree.
     */
    public static String scrapeEndpoint(NginxVtsTargetSpec spec, ObjectKey key, OperatorConfig config) {
        return scheme(spec) + "://" + address(spec, key, config) + metricsPath(spec);
    }

    /** The exporter runs in nginx's network: both answer at nginx's address, the exporter on its own port. */
    private static String address(NginxVtsTargetSpec spec, ObjectKey key, OperatorConfig config) {
        return config.scrapeAddress(spec.host(), key.namespace(), NginxWorkload.name(key),
                spec.exporter().mode() == ExporterMode.SIDECAR ? SIDECAR_PORT : spec.listen().effectivePort());
    }

    private static String scheme(NginxVtsTargetSpec spec) {
        return spec.exporter().mode() != ExporterMode.SIDECAR && spec.listen().tls() != null ? "https" : "http";
    }

    private static String metricsPath(NginxVtsTargetSpec spec) {
        return spec.exporter().mode() == ExporterMode.SIDECAR ? "/metrics" : spec.status().path() + "/format/prometheus";
    }

    @Override
    public KindOutputs render(NginxVtsTarget target, ObjectKey key, RenderContext context) {
        NginxVtsTargetSpec spec = target.getSpec();
        String job = JobNames.job(key);
        boolean sidecar = spec.exporter().mode() == ExporterMode.SIDECAR;
        ObjectNode scrape = ScrapeConfigs.job(job);
        if (spec.scrape().interval() != null) {
            scrape.put("scrape_interval", spec.scrape().interval());
        }
        // Where the workload runs: a Docker host's shared network or published port, or (Kubernetes mode, a host that
        // names no Docker host) the workload's Service in the resource's namespace.
        String address = address(spec, key, context.config());
        if (sidecar) {
            scrape.put("metrics_path", metricsPath(spec));
        } else {
            boolean tls = spec.listen().tls() != null;
            scrape.put("scheme", scheme(spec));
            scrape.put("metrics_path", metricsPath(spec));
            if (spec.status().basicAuth() != null) {
                ObjectNode auth = scrape.putObject("basic_auth");
                auth.put("username", spec.status().basicAuth().username());
                auth.put("password_file", context.prometheusSecretFile(key.namespace(), spec.status().basicAuth().passwordSecretRef()));
            }
            if (tls) {
                // The certificate names the public host, not the container Prometheus reaches on the shared network.
                scrape.putObject("tls_config").put("insecure_skip_verify", true);
            }
        }
        scrape.putArray("static_configs").add(ScrapeConfigs.targetGroup(List.of(address), spec.scrape().labels()));

        List<ObjectNode> rules = new ArrayList<>();
        List<String> notes = new ArrayList<>();
        String selector = ScrapeConfigs.jobSelector(job);
        NginxAlerts.ErrorRatio errors = spec.alerts().errorRatio();
        if (errors != null) {
            String metric = sidecar ? "nginx_server_requests" : "nginx_vts_server_requests_total";
            String expr = "sum by (host) (rate(" + metric + "{" + selector + "," + REAL_HOSTS + ",code=\"5xx\"}[5m]))"
                    + " / sum by (host) (rate(" + metric + "{" + selector + "," + REAL_HOSTS + ",code=~\"[1-5]xx\"}[5m]))"
                    + " > " + ScrapeConfigs.number(errors.threshold());
            rules.add(ScrapeConfigs.alert("NginxHighErrorRatio", expr, errors.forDuration(), "warning",
                    "Nginx {{ $labels.host }} answers too many 5xx",
                    "More than " + percent(errors.threshold()) + " of requests to {{ $labels.host }} failed with 5xx for "
                            + errors.forDuration() + " (" + key + ")."));
        }
        NginxAlerts.LatencyP99 latency = spec.alerts().latencyP99();
        if (latency != null && sidecar) {
            notes.add("alerts.latencyP99 is not rendered: nginx-vts-exporter (sidecar mode) exports no latency histogram");
        } else if (latency != null) {
            String expr = "histogram_quantile(0.99, sum by (host, le) (rate(nginx_vts_server_request_duration_seconds_bucket{"
                    + selector + "," + REAL_HOSTS + "}[5m]))) > " + ScrapeConfigs.number(latency.thresholdSeconds());
            rules.add(ScrapeConfigs.alert("NginxHighLatencyP99", expr, latency.forDuration(), "warning",
                    "Nginx {{ $labels.host }} p99 latency is high",
                    "The 99th percentile of request time on {{ $labels.host }} exceeded " + ScrapeConfigs.number(latency.thresholdSeconds())
                            + "s for " + latency.forDuration() + " (" + key + ")."));
        }
        List<ObjectNode> groups = rules.isEmpty() ? List.of() : List.of(ScrapeConfigs.ruleGroup(job, rules));
        return new KindOutputs(List.of(scrape), groups, new TreeMap<>(), new TreeMap<>(), notes);
    }

    private static String percent(double ratio) {
        return ScrapeConfigs.number(ratio * 100) + "%";
    }
}
