package dev.lookout.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lookout.testing.Manifests;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RenderCommandTest {
    static final Path EXAMPLES = Manifests.EXAMPLES;

    private static CliRun run(String... args) {
        return CliRun.of(args);
    }

    @Test
    void printsEveryFileHeadedByItsPathButNoSecret() {
        CliRun run = run("render", "--config", EXAMPLES.resolve("lookout.yaml").toString(), EXAMPLES.toString());
        assertThat(run.exit()).as(run.err()).isZero();
        assertThat(run.out()).contains("# prometheus/scrape/comfyprobe.default.comfy.yml\nscrape_configs:",
                "# blackbox/blackbox.yml\nmodules:", "# prometheus/secrets/default.nginx-status.password\n# (secret");
        assertThat(run.out() + run.err()).doesNotContain("change-me");
        assertThat(run.err()).contains("scrape_config_files:");
    }

    @Test
    void inOperatorModeAlsoPrintsTheObjectsButNoSecretValue(@TempDir Path dir) throws Exception {
        Path config = Files.writeString(dir.resolve("lookout.yaml"), Files.readString(EXAMPLES.resolve("lookout.yaml"))
                .replace("mode: include ", "mode: operator  "));

        CliRun run = run("render", "--config", config.toString(), EXAMPLES.toString());

        assertThat(run.exit()).as(run.err()).isZero();
        assertThat(run.out()).contains("kind: \"ScrapeConfig\"", "name: \"lookout-comfyprobe-comfy\"", "kind: \"PrometheusRule\"",
                "jobName: \"lookout/nginxvtstarget/default/edge\"",
                "# Secret default/lookout-nginxvtstarget-edge-auth, keys [password, username] (values only in the cluster)");
        assertThat(run.out() + run.err()).doesNotContain("change-me").doesNotContain("Y2hhbmdlLW1l");
        assertThat(run.err()).doesNotContain("scrape_config_files:");
    }

    @Test
    void writesTheTreeWithOut(@TempDir Path out) throws Exception {
        CliRun run = run("render", "--config", EXAMPLES.resolve("lookout.yaml").toString(), EXAMPLES.toString(), "--out", out.toString());
        assertThat(run.exit()).as(run.err()).isZero();
        assertThat(run.err()).contains("wrote 11 files, removed 0 stale files");
        assertThat(Files.readString(out.resolve("prometheus/secrets/default.nginx-status.password"))).isEqualTo("change-me-nginx");
        CliRun again = run("render", "--config", EXAMPLES.resolve("lookout.yaml").toString(), EXAMPLES.toString(), "--out", out.toString());
        assertThat(again.err()).contains("wrote 0 files, removed 0 stale files");
    }

    @Test
    void invalidInputExitsOneWithValidatesMessages(@TempDir Path dir) {
        Path file = Manifests.write(dir, "p.yaml", "apiVersion: lookout.dev/v1alpha1\nkind: GpuNode\nmetadata: {name: g}\nspec: {gpus: some}\n");
        CliRun run = run("render", file.toString());
        assertThat(run.exit()).isEqualTo(1);
        assertThat(run.err()).contains(file + ":4: GpuNode default/g: spec.gpus: \"some\" is not allowed");
        assertThat(run.out()).isEmpty();
    }
}
