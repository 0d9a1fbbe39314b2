package dev.lookout.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.lookout.config.OperatorConfig;
import dev.lookout.directory.DirectoryOperator;
import dev.lookout.prometheus.TreeSurgery;
import dev.lookout.render.PrometheusRenderer;
import dev.lookout.testing.Manifests;
import dev.lookout.testing.Tools;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Outputs that Lookout's own checks or promtool refuse never reach the folder Prometheus reads: the resource
 * is marked with the check's message and the others are written. No Prometheus runs here (nothing listens
 * on port 1), so the outputs are written and the reload is owed.
 */
class RefusedBeforeWriteTest {
    @TempDir
    Path tmp;

    private DirectoryOperator start(boolean promtoolOnly, String from, String to) throws Exception {
        Path promtool = Tools.require(Tools.promtool(), "promtool");
        OperatorConfig config = new OperatorConfig(null,
                new OperatorConfig.Prometheus("http://127.0.0.1:1", tmp.resolve("out/prometheus").toString(), null, null, null),
                new OperatorConfig.Blackbox("http://127.0.0.1:1", null, tmp.resolve("out/blackbox/blackbox.yml").toString()), null, null);
        PrometheusRenderer real = new PrometheusRenderer();
        DirectoryOperator.Options options = DirectoryOperator.Options.of(Files.createDirectories(tmp.resolve("resources")), config, null,
                        tmp.resolve("out"), tmp.resolve("state"), new InetSocketAddress("127.0.0.1", 0))
                .withPromtool(promtool)
                .withRenderer(input -> {
                    PrometheusRenderer.Result r = real.render(input);
                    return new PrometheusRenderer.Result(TreeSurgery.editText(r.tree(),
                            "prometheus/" + (promtoolOnly ? "rules" : "scrape") + "/comfyprobe.default.bad.yml",
                            text -> text.replace(from, to)), r.notes());
                });
        if (promtoolOnly) {
            options = options.withoutOwnChecks();
        }
        return DirectoryOperator.start(options);
    }

    private static String probe(String name) {
        return DirectoryModeE2ETest.probe(name, "30s", "http://127.0.0.1:9/" + name);
    }

    private JsonCondition ready(DirectoryOperator lookout, String name) {
        ObjectNode o = lookout.engine().table().objects(new ObjectMapper()).stream()
                .filter(x -> x.path("metadata").path("name").asText().equals(name)).findFirst().orElseThrow();
        var c = o.path("status").path("conditions").get(0);
        return new JsonCondition(c.path("status").asText(), c.path("reason").asText(), c.path("message").asText());
    }

    record JsonCondition(String status, String reason, String message) {
    }

    @Test
    void lookoutsOwnChecksRefuseATimeoutLongerThanTheIntervalBeforeItIsWritten() throws Exception {
        try (DirectoryOperator lookout = start(false, "scrape_timeout: 1s", "scrape_timeout: 5m")) {
            Manifests.write(tmp.resolve("resources"), "good.yaml", probe("good"));
            Manifests.write(tmp.resolve("resources"), "bad.yaml", probe("bad"));
            assertThat(lookout.awaitQuiet(Duration.ofSeconds(20))).isTrue();
            assertThat(ready(lookout, "bad").reason()).isEqualTo("OutputCheckFailed");
            assertThat(ready(lookout, "bad").message()).contains("comfyprobe.default.bad.yml", "5m");
            assertThat(tmp.resolve("out/prometheus/scrape/comfyprobe.default.bad.yml")).doesNotExist();
            assertThat(tmp.resolve("out/prometheus/scrape/comfyprobe.default.good.yml")).exists();
            assertThat(ready(lookout, "good").reason()).isNotEqualTo("OutputCheckFailed");
        }
    }

    @Test
    void promtoolRefusesABadRuleExpressionBeforeItIsWritten() throws Exception {
        try (DirectoryOperator lookout = start(true, "probe_success{", "probe_success{{")) {
            Manifests.write(tmp.resolve("resources"), "good.yaml", probe("good"));
            Manifests.write(tmp.resolve("resources"), "bad.yaml", probe("bad"));
            assertThat(lookout.awaitQuiet(Duration.ofSeconds(20))).isTrue();
            assertThat(ready(lookout, "bad").reason()).isEqualTo("PromtoolCheckFailed");
            assertThat(tmp.resolve("out/prometheus/rules/comfyprobe.default.bad.yml")).doesNotExist();
            assertThat(tmp.resolve("out/prometheus/rules/comfyprobe.default.good.yml")).exists();
        }
    }
}
