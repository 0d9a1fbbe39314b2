package dev.lookout.prometheus;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.lookout.reload.ToolProcess;
import dev.lookout.testing.Tools;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code promtool test rules} on the rules rendered for examples/: synthetic series carrying exactly the
 * labels the generated scrape jobs produce make each alert fire, and healthy series (or DCGM's
 * not-supported sentinel) do not. This is what proves an alert's selector matches its own job.
 */
class AlertRulesTest {
    private static final String PROBE_JOB = "lookout/comfyprobe/default/comfy";
    private static final String NGINX_JOB = "lookout/nginxvtstarget/default/edge";
    private static final String GPU_JOB = "lookout/gpunode/default/gpu-node-01";
    private static final String SENTINEL = "9223372036854775794";

    @TempDir
    Path dir;

    private OutputTree tree;

    private record Series(String labels, String values) {
    }

    /** One promtool test case: series, then at {@code evalTime} either exactly {@code firing} (labels) or none. */
    private record Case(String alert, List<Series> series, String evalTime, Map<String, String> firing, String value) {
        Case(String alert, List<Series> series, String evalTime, Map<String, String> firing) {
            this(alert, series, evalTime, firing, null);
        }
    }

    @Test
    void comfyUiDownFiresOnFailedProbesOnly() throws IOException {
        String target = "https://comfy-1:8188/object_info/CheckpointLoaderSimple";
        Map<String, String> labels = Map.of("job", PROBE_JOB, "instance", target, "target", target);
        check("comfyprobe.default.comfy.yml",
                new Case("ComfyUIDown", List.of(new Series(selector("probe_success", labels), "0x10")), "5m",
                        with(labels, "severity", "critical")),
                new Case("ComfyUIDown", List.of(new Series(selector("probe_success", labels), "1x10")), "5m", null),
                new Case("ComfyUIDown", List.of(new Series(selector("probe_success", labels), "0x10")), "1m", null));
    }

    @Test
    void restartAlertFiresOnLookoutsOwnRestartCounter() throws IOException {
        Map<String, String> labels = Map.of("job", "lookout/operator", "instance", "lookout:8080",
                "probe", "default/comfy", "container", "flux-20002-comfy-1");
        check("comfyprobe.default.comfy.yml",
                new Case("ComfyUIRestarting", List.of(new Series(selector("lookout_container_restarts_total", labels), "0 1 2 3 4 4 4")),
                        "4m", with(labels, "severity", "critical"), "4"),
                new Case("ComfyUIRestarting", List.of(new Series(selector("lookout_container_restarts_total", labels), "0 1 1 1 1 1 1")),
                        "6m", null));
    }

    @Test
    void nginxErrorRatioCountsRealHostsOverEveryCode() throws IOException {
        Map<String, String> host = Map.of("job", NGINX_JOB, "instance", "lookout-nginx-default_edge:443", "host", "comfy.example");
        Map<String, String> star = with(host, "host", "*");
        List<Series> failing = List.of(
                new Series(selector("nginx_vts_server_requests_total", with(host, "code", "5xx")), "0+10x30"),
                new Series(selector("nginx_vts_server_requests_total", with(host, "code", "2xx")), "0+90x30"),
                // the aggregate host="*" must not dilute or double the ratio
                new Series(selector("nginx_vts_server_requests_total", with(star, "code", "2xx")), "0+100000x30"));
        List<Series> healthy = List.of(
                new Series(selector("nginx_vts_server_requests_total", with(host, "code", "5xx")), "0+1x30"),
                new Series(selector("nginx_vts_server_requests_total", with(host, "code", "2xx")), "0+999x30"));
        check("nginxvtstarget.default.edge.yml",
                new Case("NginxHighErrorRatio", failing, "20m", Map.of("host", "comfy.example", "severity", "warning")),
                new Case("NginxHighErrorRatio", healthy, "20m", null));
    }

    @Test
    void nginxP99FiresWhenTheSlowestPercentIsSlow() throws IOException {
        Map<String, String> host = Map.of("job", NGINX_JOB, "instance", "lookout-nginx-default_edge:443", "host", "comfy.example");
        String bucket = "nginx_vts_server_request_duration_seconds_bucket";
        List<Series> slow = List.of(
                new Series(selector(bucket, with(host, "le", "0.5")), "0+50x30"),
                new Series(selector(bucket, with(host, "le", "1")), "0+60x30"),
                new Series(selector(bucket, with(host, "le", "5")), "0+100x30"),
                new Series(selector(bucket, with(host, "le", "+Inf")), "0+100x30"));
        List<Series> fast = List.of(
                new Series(selector(bucket, with(host, "le", "0.5")), "0+100x30"),
                new Series(selector(bucket, with(host, "le", "1")), "0+100x30"),
                new Series(selector(bucket, with(host, "le", "5")), "0+100x30"),
                new Series(selector(bucket, with(host, "le", "+Inf")), "0+100x30"));
        check("nginxvtstarget.default.edge.yml",
                new Case("NginxHighLatencyP99", slow, "25m", Map.of("host", "comfy.example", "severity", "warning")),
                new Case("NginxHighLatencyP99", fast, "25m", null));
    }

    @Test
    void gpuAlertsFireOnCurrentDcgmNamesAndIgnoreSentinels() throws IOException {
        Map<String, String> gpu = new TreeMap<>(Map.of("job", GPU_JOB, "instance", "lookout-dcgm-exporter-default_gpu-node-01:9400",
                "node", "gpu-node-01", "gpu", "0", "UUID", "GPU-1f027ee8-6e1e-2b8c-0108-3d370e5f0418", "Hostname", "gpu-node-01"));
        Map<String, String> firing = with(gpu, "severity", "warning");
        check("gpunode.default.gpu-node-01.yml",
                new Case("GpuTemperatureHigh", List.of(new Series(selector("DCGM_FI_DEV_GPU_TEMP", gpu), "85x10")), "6m", firing),
                new Case("GpuTemperatureHigh", List.of(new Series(selector("DCGM_FI_DEV_GPU_TEMP", gpu), "60x10")), "6m", null),
                new Case("GpuTemperatureHigh", List.of(new Series(selector("DCGM_FI_DEV_GPU_TEMP", gpu), SENTINEL + "x10")), "6m", null),
                new Case("GpuUtilizationHigh", List.of(new Series(selector("DCGM_FI_DEV_GPU_UTIL", gpu), "99x15")), "11m", firing),
                new Case("GpuUtilizationHigh", List.of(new Series(selector("DCGM_FI_DEV_GPU_UTIL", gpu), "99x15")), "9m", null),
                new Case("GpuMemoryLow", List.of(new Series(selector("DCGM_FI_DEV_FB_FREE", gpu), "100x10")), "6m", firing),
                new Case("GpuMemoryLow", List.of(new Series(selector("DCGM_FI_DEV_FB_FREE", gpu), "80000x10")), "6m", null),
                new Case("GpuPowerNearLimit", List.of(new Series(selector("DCGM_FI_DEV_POWER_USAGE", gpu), "398x10"),
                        new Series(selector("DCGM_FI_DEV_POWER_MGMT_LIMIT", gpu), "400x10")), "6m", firing),
                new Case("GpuPowerNearLimit", List.of(new Series(selector("DCGM_FI_DEV_POWER_USAGE", gpu), "200x10"),
                        new Series(selector("DCGM_FI_DEV_POWER_MGMT_LIMIT", gpu), "400x10")), "6m", null),
                new Case("GpuXidError", List.of(new Series(selector("DCGM_FI_DEV_XID_ERRORS", gpu), "0 0 0 79 79 79")), "4m",
                        with(gpu, "severity", "critical"), "79"),
                new Case("GpuXidError", List.of(new Series(selector("DCGM_FI_DEV_XID_ERRORS", gpu), "0x20")), "15m", null));
    }

    /** The rules under test: the rule file examples/ renders to (operator mode tests its PrometheusRules instead). */
    String ruleText(String ruleFile) throws IOException {
        if (tree == null) {
            tree = Rendering.renderExamples().tree();
        }
        return tree.get("prometheus/rules/" + ruleFile).text();
    }

    /** Writes one promtool test file for the rendered rule file and runs it; every case must pass. */
    private void check(String ruleFile, Case... cases) throws IOException {
        Path promtool = Tools.require(Tools.promtool(), "promtool");
        String rules = ruleText(ruleFile);
        Path rulesPath = dir.resolve(ruleFile);
        Files.writeString(rulesPath, rules);
        JsonNode ruleTree = RenderYaml.parse(rules);
        ObjectNode test = RenderYaml.object();
        test.putArray("rule_files").add(rulesPath.toString());
        test.put("evaluation_interval", "1m");
        ArrayNode tests = test.putArray("tests");
        for (Case c : cases) {
            ObjectNode t = tests.addObject();
            t.put("interval", "1m");
            ArrayNode input = t.putArray("input_series");
            c.series().forEach(s -> input.addObject().put("series", s.labels()).put("values", s.values()));
            ObjectNode expectation = t.putArray("alert_rule_test").addObject();
            expectation.put("eval_time", c.evalTime()).put("alertname", c.alert());
            ArrayNode expected = expectation.putArray("exp_alerts");
            if (c.firing() != null) {
                ObjectNode alert = expected.addObject();
                ObjectNode labels = alert.putObject("exp_labels");
                c.firing().forEach(labels::put);
                ObjectNode annotations = alert.putObject("exp_annotations");
                annotationsOf(ruleTree, c.alert()).forEach((k, v) -> annotations.put(k, expand(v, c.firing(), c.value())));
            }
        }
        Path testFile = dir.resolve("test-" + ruleFile);
        Files.writeString(testFile, RenderYaml.yaml(test));
        ToolProcess.Result result = Tools.run(List.of(promtool.toString(), "test", "rules", testFile.toString()), Duration.ofSeconds(60));
        assertThat(result.exit()).as("promtool test rules %s:%n%s%n%s", ruleFile, RenderYaml.yaml(test), result.output()).isZero();
        assertThat(result.output()).contains("SUCCESS");
    }

    private static Map<String, String> annotationsOf(JsonNode ruleTree, String alert) {
        for (JsonNode rule : ruleTree.at("/groups/0/rules")) {
            if (rule.path("alert").asText().equals(alert)) {
                Map<String, String> out = new LinkedHashMap<>();
                rule.path("annotations").fields().forEachRemaining(e -> out.put(e.getKey(), e.getValue().asText()));
                return out;
            }
        }
        throw new AssertionError("no alert " + alert + " rendered");
    }

    /** Expands the {{ $labels.x }} and {{ $value }} the rendered annotations use. */
    private static String expand(String template, Map<String, String> labels, String value) {
        String out = value == null ? template : template.replace("{{ $value }}", value);
        for (Map.Entry<String, String> e : labels.entrySet()) {
            out = out.replace("{{ $labels." + e.getKey() + " }}", e.getValue());
        }
        return out;
    }

    private static String selector(String metric, Map<String, String> labels) {
        StringBuilder sb = new StringBuilder(metric).append('{');
        new TreeMap<>(labels).forEach((k, v) -> sb.append(k).append("=\"").append(v).append("\","));
        sb.setLength(sb.length() - 1);
        return sb.append('}').toString();
    }

    private static Map<String, String> with(Map<String, String> labels, String key, String value) {
        Map<String, String> out = new TreeMap<>(labels);
        out.put(key, value);
        return out;
    }
}
