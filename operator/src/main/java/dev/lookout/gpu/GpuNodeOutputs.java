package dev.lookout.gpu;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.lookout.api.ClusterNames;
import dev.lookout.api.ObjectKey;
import dev.lookout.prometheus.JobNames;
import dev.lookout.prometheus.KindOutputs;
import dev.lookout.prometheus.RenderContext;
import dev.lookout.prometheus.ScrapeConfigs;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;

/**
 * A GpuNode → the dcgm-exporter scrape job and alerts on dcgm-exporter's current names. DCGM reports a
 * field a GPU does not support as a huge sentinel (int64 blanks near 2^63, fp64 blank 2^47); every
 * comparison first keeps only values below {@link #SUPPORTED_BELOW}, so a sentinel can never fire an alert.
 */
public final class GpuNodeOutputs implements KindOutputs.Renderer<GpuNode> {
    /** Below every DCGM blank value (the smallest, DCGM_FP64_BLANK, is 2^47 ≈ 1.4e14); above any real reading. */
    static final String SUPPORTED_BELOW = "1e14";
    static final String TEMPERATURE_FOR = "5m";
    static final String MEMORY_FOR = "5m";
    static final String POWER_FOR = "5m";
    static final String XID_WINDOW = "10m";

    @Override
    public KindOutputs render(GpuNode node, ObjectKey key, RenderContext context) {
        GpuNodeSpec spec = node.getSpec();
        String job = JobNames.job(key);
        ObjectNode scrape = ScrapeConfigs.job(job);
        if (context.config().dockerHost(spec.host())) {
            scrape.putArray("static_configs").add(ScrapeConfigs.targetGroup(
                    List.of(context.config().scrapeAddress(spec.host(), key.namespace(), DcgmExporterWorkload.name(key),
                            spec.exporter().port())),
                    spec.labels()));
        } else {
            // In the cluster a DaemonSet runs one exporter per node behind a headless Service. A static target of the
            // Service's name would scrape whichever pod its lookup returns first; DNS discovery makes each pod (each
            // A record) a target of its own.
            ObjectNode dns = scrape.putArray("dns_sd_configs").addObject();
            dns.putArray("names").add(ClusterNames.serviceName(DcgmExporterWorkload.name(key), key.namespace()));
            dns.put("type", "A");
            dns.put("port", spec.exporter().port());
            if (!spec.labels().isEmpty()) {
                ArrayNode relabel = scrape.putArray("relabel_configs");
                new TreeMap<>(spec.labels()).forEach((name, value) -> relabel.addObject().put("target_label", name).put("replacement", value));
            }
        }

        String sel = ScrapeConfigs.jobSelector(job);
        GpuAlerts a = spec.alerts();
        List<ObjectNode> rules = new ArrayList<>();
        rules.add(ScrapeConfigs.alert("GpuTemperatureHigh",
                supported("DCGM_FI_DEV_GPU_TEMP", sel) + " > " + a.temperatureCelsius(), TEMPERATURE_FOR, "warning",
                "GPU {{ $labels.gpu }} on {{ $labels.Hostname }} is hot",
                "GPU {{ $labels.gpu }} ({{ $labels.UUID }}) is above " + a.temperatureCelsius() + " °C (" + key + ")."));
        rules.add(ScrapeConfigs.alert("GpuUtilizationHigh",
                supported("DCGM_FI_DEV_GPU_UTIL", sel) + " > " + a.utilization().percent(), a.utilization().forDuration(), "warning",
                "GPU {{ $labels.gpu }} on {{ $labels.Hostname }} is saturated",
                "GPU {{ $labels.gpu }} has been above " + a.utilization().percent() + "% utilization for "
                        + a.utilization().forDuration() + " (" + key + ")."));
        rules.add(ScrapeConfigs.alert("GpuMemoryLow",
                supported("DCGM_FI_DEV_FB_FREE", sel) + " < " + a.memoryFreeMiB(), MEMORY_FOR, "warning",
                "GPU {{ $labels.gpu }} on {{ $labels.Hostname }} is out of memory",
                "GPU {{ $labels.gpu }} has less than " + a.memoryFreeMiB() + " MiB of framebuffer free (" + key + ")."));
        rules.add(ScrapeConfigs.alert("GpuPowerNearLimit",
                supported("DCGM_FI_DEV_POWER_USAGE", sel) + " > " + ScrapeConfigs.number(a.powerNearLimitRatio()) + " * "
                        + supported("DCGM_FI_DEV_POWER_MGMT_LIMIT", sel), POWER_FOR, "warning",
                "GPU {{ $labels.gpu }} on {{ $labels.Hostname }} draws near its power limit",
                "GPU {{ $labels.gpu }} draws more than " + ScrapeConfigs.number(a.powerNearLimitRatio()) + " of its power limit (" + key + ")."));
        if (Boolean.TRUE.equals(a.xidErrors())) {
            // DCGM_FI_DEV_XID_ERRORS is a gauge holding the last XID seen, not a counter: alert when it changed
            // to a non-zero value recently.
            rules.add(ScrapeConfigs.alert("GpuXidError",
                    supported("DCGM_FI_DEV_XID_ERRORS", sel) + " > 0 and changes(DCGM_FI_DEV_XID_ERRORS{" + sel + "}["
                            + XID_WINDOW + "]) > 0", null, "critical",
                    "GPU {{ $labels.gpu }} on {{ $labels.Hostname }} reported XID {{ $value }}",
                    "A new XID error was reported by GPU {{ $labels.gpu }} ({{ $labels.UUID }}) (" + key + ")."));
        }
        return new KindOutputs(List.of(scrape), List.of(ScrapeConfigs.ruleGroup(job, rules)), new TreeMap<>(), new TreeMap<>(), List.of());
    }

    /** {@code (METRIC{job} < 1e14)}: the series with real readings only. */
    private static String supported(String metric, String selector) {
        return "(" + metric + "{" + selector + "} < " + SUPPORTED_BELOW + ")";
    }
}
