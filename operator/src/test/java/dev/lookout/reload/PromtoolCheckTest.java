package dev.lookout.reload;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.lookout.config.OperatorConfig;
import dev.lookout.prometheus.OutputTree;
import dev.lookout.prometheus.RenderedFile;
import dev.lookout.prometheus.Rendering;
import dev.lookout.testing.Tools;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@link PromtoolCheck} with the real promtool 3.5 on staged files. */
class PromtoolCheckTest {
    private static final String SCRAPE = "prometheus/scrape/";
    private static final String RULES = "prometheus/rules/";
    private static final String COMFY_SCRAPE = SCRAPE + "comfyprobe.default.comfy.yml";
    private static final String GPU_SCRAPE = SCRAPE + "gpunode.default.gpu-node-01.yml";
    private static final String COMFY_RULES = RULES + "comfyprobe.default.comfy.yml";
    private static final String NGINX_RULES = RULES + "nginxvtstarget.default.edge.yml";

    @TempDir
    Path staging;

    private PromtoolCheck promtool() {
        return new PromtoolCheck(Tools.require(Tools.promtool(), "promtool"), PromtoolCheck.DEFAULT_TIMEOUT);
    }

    private static List<String> under(OutputTree tree, String folder) {
        return tree.files().stream().map(RenderedFile::path).filter(p -> p.startsWith(folder)).toList();
    }

    private void edit(String file, String from, String to) throws IOException {
        Path path = staging.resolve(file);
        String text = Files.readString(path);
        assertThat(text).contains(from);
        Files.writeString(path, text.replace(from, to));
    }

    @Test
    void acceptsTheRenderedExamples() throws IOException {
        OutputTree tree = Rendering.renderExamplesInto(staging, OperatorConfig.Mode.INCLUDE, null);

        PromtoolCheck.CheckResult result = promtool().check(staging, under(tree, SCRAPE), under(tree, RULES), null);

        assertThat(result).isEqualTo(new PromtoolCheck.CheckResult(true, "", Set.of()));
    }

    @Test
    void acceptsTheRenderedExamplesInFullMode() throws IOException {
        OutputTree tree = Rendering.renderExamplesInto(staging, OperatorConfig.Mode.FULL,
                "scrape_configs:\n  - job_name: node\n    authorization: {credentials_file: /not/on/this/host}\n"
                        + "    static_configs: [{targets: ['node:9100']}]\n");

        PromtoolCheck.CheckResult result = promtool().check(staging, List.of(), under(tree, RULES),
                tree.get("prometheus/prometheus.yml").text());

        assertThat(result.ok()).as(result.message()).isTrue();
    }

    @Test
    void namesTheBadScrapeFile() throws IOException {
        OutputTree tree = Rendering.renderExamplesInto(staging, OperatorConfig.Mode.INCLUDE, null);
        edit(COMFY_SCRAPE, "scrape_interval: 30s", "scrape_interval: 5x");

        PromtoolCheck.CheckResult result = promtool().check(staging, under(tree, SCRAPE), under(tree, RULES), null);

        assertThat(result.ok()).isFalse();
        assertThat(result.inconclusive()).isFalse();
        assertThat(result.files()).containsExactly(COMFY_SCRAPE);
        assertThat(result.message()).isEqualTo("error loading scrape configs: \"" + COMFY_SCRAPE + "\": unknown unit \"x\" in duration \"5x\"");
    }

    @Test
    void namesBothFilesOfADuplicateJob() throws IOException {
        OutputTree tree = Rendering.renderExamplesInto(staging, OperatorConfig.Mode.INCLUDE, null);
        edit(GPU_SCRAPE, "job_name: lookout/gpunode/default/gpu-node-01", "job_name: lookout/comfyprobe/default/comfy");

        PromtoolCheck.CheckResult result = promtool().check(staging, under(tree, SCRAPE), List.of(), null);

        assertThat(result.files()).containsExactlyInAnyOrder(COMFY_SCRAPE, GPU_SCRAPE);
        assertThat(result.jobNames()).containsExactly("lookout/comfyprobe/default/comfy");
    }

    @Test
    void namesBadRuleFilesEvenBehindABadScrapeFile() throws IOException {
        OutputTree tree = Rendering.renderExamplesInto(staging, OperatorConfig.Mode.INCLUDE, null);
        edit(COMFY_SCRAPE, "scrape_timeout: 15s", "scrape_timeout: 1m");
        edit(COMFY_RULES, "for: 2m", "for: 2x");
        edit(NGINX_RULES, " > 0.05", " >");

        PromtoolCheck.CheckResult result = promtool().check(staging, under(tree, SCRAPE), under(tree, RULES), null);

        assertThat(result.files()).containsExactly(COMFY_RULES, NGINX_RULES, COMFY_SCRAPE);
        assertThat(result.message()).contains("scrape timeout greater than scrape interval", "unknown unit \"x\" in duration \"2x\"",
                "could not parse expression");
    }

    @Test
    void fullModeBlamesPrometheusYmlAndNamesTheJob() throws IOException {
        OutputTree tree = Rendering.renderExamplesInto(staging, OperatorConfig.Mode.FULL, null);
        String full = tree.get("prometheus/prometheus.yml").text().replace("scrape_timeout: 15s", "scrape_timeout: 1m");

        PromtoolCheck.CheckResult result = promtool().check(staging, List.of(), under(tree, RULES), full);

        assertThat(result.files()).containsExactly(PromtoolCheck.FULL_CONFIG);
        assertThat(result.jobNames()).containsExactly("lookout/comfyprobe/default/comfy");
        assertThat(result.message()).doesNotContain(staging.toString(), ".lookout-promtool-");
    }

    @Test
    void filesInPrometheusFolderNeedNotExistHere() throws IOException {
        Files.createDirectories(staging.resolve("scrape"));
        Files.writeString(staging.resolve("scrape/a.yml"), "scrape_configs:\n  - job_name: a\n"
                + "    basic_auth: {username: u, password_file: /etc/prometheus/lookout/secrets/a}\n"
                + "    file_sd_configs: [{files: [/etc/prometheus/lookout/targets/a.json]}]\n");

        assertThat(promtool().check(staging, List.of("scrape/a.yml"), List.of(), null).ok()).isTrue();
    }

    @Test
    void leavesNoTempFileBehind() throws IOException {
        Rendering.renderExamplesInto(staging, OperatorConfig.Mode.INCLUDE, null);
        promtool().check(staging, List.of(COMFY_SCRAPE), List.of(COMFY_RULES), "global: {}\n");

        try (var files = Files.list(staging)) {
            assertThat(files.map(p -> p.getFileName().toString())).containsExactlyInAnyOrder("prometheus", "blackbox");
        }
    }

    @Test
    void refusesPathsThatAreNotStaged() throws IOException {
        PromtoolCheck check = new PromtoolCheck(Path.of("/bin/true"), Duration.ofSeconds(1));
        Files.writeString(staging.resolve("a.yml"), "");

        for (String bad : List.of("/etc/passwd", "../a.yml", "scrape/*.yml", "missing.yml")) {
            assertThatThrownBy(() -> check.check(staging, List.of(bad), List.of(), null)).as(bad)
                    .isInstanceOf(IllegalArgumentException.class);
        }
    }

    @Test
    void aHangingPromtoolIsInconclusiveWithinTheTimeout() throws IOException {
        Path hanging = script(staging.resolve("bin"), "promtool", "sleep 30");
        Files.writeString(staging.resolve("a.yml"), "scrape_configs: []\n");
        long start = System.nanoTime();

        PromtoolCheck.CheckResult result = new PromtoolCheck(hanging, Duration.ofMillis(300))
                .check(staging, List.of("a.yml"), List.of(), null);

        assertThat(result).isEqualTo(new PromtoolCheck.CheckResult(false, "promtool did not finish within 300ms", Set.of(), true));
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(10));
    }

    @Test
    void locatesExplicitThenVariableThenPathThenCaches() throws IOException {
        Path explicit = script(staging.resolve("explicit"), "promtool", "");
        Path variable = script(staging.resolve("variable"), "promtool", "");
        Path onPath = script(staging.resolve("path"), "promtool", "");
        Path cache = script(staging.resolve("cache/bin"), "promtool", "");
        Map<String, String> env = Map.of("LOOKOUT_PROMTOOL", variable.toString(), "PATH", onPath.getParent().toString(),
                "LOOKOUT_CACHE", staging.resolve("cache").toString());

        assertThat(PromtoolCheck.locate(explicit, env).orElseThrow().executable()).isEqualTo(explicit);
        assertThat(PromtoolCheck.locate(null, env).orElseThrow().executable()).isEqualTo(variable);
        assertThat(PromtoolCheck.locate(null, Map.of("PATH", "/nonexistent:" + onPath.getParent(),
                "LOOKOUT_CACHE", staging.resolve("cache").toString())).orElseThrow().executable()).isEqualTo(onPath);
        assertThat(PromtoolCheck.locate(null, Map.of("LOOKOUT_CACHE", staging.resolve("cache").toString()))
                .orElseThrow().executable()).isEqualTo(cache);
        assertThatThrownBy(() -> PromtoolCheck.locate(staging.resolve("nothing"), env)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> PromtoolCheck.locate(null, Map.of("LOOKOUT_PROMTOOL", "/nonexistent")))
                .isInstanceOf(IllegalStateException.class);
    }

    private static Path script(Path dir, String name, String body) throws IOException {
        Files.createDirectories(dir);
        Path file = dir.resolve(name);
        Files.writeString(file, "#!/bin/sh\n" + body + "\n");
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rwxr-xr-x"));
        return file;
    }
}
