package dev.lookout.prometheus;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lookout.config.OperatorConfig;
import dev.lookout.reload.ToolProcess;
import dev.lookout.render.PrometheusRenderer;
import dev.lookout.testing.Tools;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The rendered tree checked by the real tools: promtool (config in both modes, rules) and
 * blackbox_exporter --config.check. Paths inside the files point into the temp folder, as they would
 * point into Prometheus' own output directory.
 */
class RealToolsTest {
    private static final Duration TIMEOUT = Duration.ofSeconds(60);

    @TempDir
    Path dir;

    private OutputTree renderExamplesInto(OperatorConfig.Mode mode, String base) throws IOException {
        return Rendering.renderExamplesInto(dir, mode, base);
    }

    private static ToolProcess.Result run(List<String> cmd) {
        return Tools.run(cmd, TIMEOUT);
    }

    @Test
    void promtoolAcceptsIncludeModeConfig() throws IOException {
        Path promtool = Tools.require(Tools.promtool(), "promtool");
        renderExamplesInto(OperatorConfig.Mode.INCLUDE, null);
        Path prometheusYml = dir.resolve("prometheus.yml");
        Files.writeString(prometheusYml, "global:\n  scrape_interval: 15s\n"
                + PrometheusRenderer.includeSnippet(configFor(dir)));
        ToolProcess.Result result = run(List.of(promtool.toString(), "check", "config", prometheusYml.toString()));
        assertThat(result.exit()).as(result.output()).isZero();
        assertThat(result.output()).contains("SUCCESS").contains("rules found");
    }

    @Test
    void promtoolAcceptsFullModeConfigKeepingTheUsersJobs() throws IOException {
        Path promtool = Tools.require(Tools.promtool(), "promtool");
        renderExamplesInto(OperatorConfig.Mode.FULL, "scrape_configs:\n  - job_name: node\n    static_configs:\n      - targets: [node-exporter:9100]\n");
        Path full = dir.resolve("prometheus/prometheus.yml");
        ToolProcess.Result result = run(List.of(promtool.toString(), "check", "config", full.toString()));
        assertThat(result.exit()).as(result.output()).isZero();
        assertThat(Files.readString(full)).contains("job_name: node", "job_name: lookout/comfyprobe/default/comfy");
    }

    @Test
    void promtoolAcceptsEveryRuleFile() throws IOException {
        Path promtool = Tools.require(Tools.promtool(), "promtool");
        OutputTree tree = renderExamplesInto(OperatorConfig.Mode.INCLUDE, null);
        List<String> cmd = new ArrayList<>(List.of(promtool.toString(), "check", "rules"));
        tree.files().stream().filter(f -> f.path().startsWith("prometheus/rules/")).forEach(f -> cmd.add(dir.resolve(f.path()).toString()));
        assertThat(cmd).hasSizeGreaterThan(3);
        ToolProcess.Result result = run(cmd);
        assertThat(result.exit()).as(result.output()).isZero();
    }

    @Test
    void blackboxAcceptsTheMergedConfig() throws IOException {
        Path blackbox = Tools.require(Tools.blackbox(), "blackbox_exporter");
        renderExamplesInto(OperatorConfig.Mode.INCLUDE, null);
        ToolProcess.Result result = run(List.of(blackbox.toString(), "--config.check",
                "--config.file=" + dir.resolve("blackbox/blackbox.yml")));
        assertThat(result.exit()).as(result.output()).isZero();
        assertThat(Files.readString(dir.resolve("blackbox/blackbox.yml"))).contains("http_2xx:", "lookout/default/comfy:");
    }

    private static OperatorConfig configFor(Path dir) {
        return new OperatorConfig(null, new OperatorConfig.Prometheus(null, dir.resolve("prometheus").toString(), null, null, null),
                null, null, null);
    }
}
