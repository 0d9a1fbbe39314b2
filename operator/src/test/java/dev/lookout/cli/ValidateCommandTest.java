package dev.lookout.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.lookout.testing.Manifests;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ValidateCommandTest {
    static final Path EXAMPLES = Manifests.EXAMPLES;

    private static CliRun run(String... args) {
        return CliRun.of(args);
    }

    @Test
    void validExamplesExitZeroWithASummary() {
        CliRun run = run("validate", EXAMPLES.toString());
        assertThat(run.exit()).isZero();
        assertThat(run.out().strip().lines().reduce((a, b) -> b).orElse("")).isEqualTo("6 resources OK, 1 warning");
    }

    @Test
    void problemsExitOneAndPrintOneLineEach(@TempDir Path dir) {
        Path file = Manifests.write(dir, "p.yaml", """
                apiVersion: lookout.dev/v1alpha1
                kind: ComfyProbe
                metadata: {name: p}
                spec:
                  targets: [{url: "ftp://x"}]
                  interval: soon
                """);
        CliRun run = run("validate", file.toString());
        assertThat(run.exit()).isEqualTo(1);
        assertThat(run.out().lines()).containsExactly(
                file + ":5: ComfyProbe default/p: spec.targets[0].url: must be an absolute http:// or https:// URL",
                file + ":6: ComfyProbe default/p: spec.interval: \"soon\" is not a Prometheus duration (such as 30s, 2m, 1h30m, 500ms; units y w d h m s ms)",
                "2 errors (1 document rejected), 0 resources OK");
    }

    @Test
    void jsonOutputForTooling(@TempDir Path dir) throws Exception {
        Path file = Manifests.write(dir, "p.yaml", "apiVersion: lookout.dev/v1alpha1\nkind: GpuNode\nmetadata: {name: g}\nspec: {gpus: some}\n");
        CliRun run = run("validate", "-o", "json", file.toString());
        assertThat(run.exit()).isEqualTo(1);
        JsonNode json = new ObjectMapper().readTree(run.out());
        assertThat(json.get("valid").asBoolean()).isFalse();
        JsonNode problem = json.get("problems").get(0);
        assertThat(problem.get("file").asText()).isEqualTo(file.toString());
        assertThat(problem.get("line").asInt()).isEqualTo(4);
        assertThat(problem.get("resource").asText()).isEqualTo("GpuNode default/g");
        assertThat(problem.get("field").asText()).isEqualTo("spec.gpus");
        assertThat(problem.get("severity").asText()).isEqualTo("error");
    }

    @Test
    void helpListsValidate() {
        CliRun run = run("--help");
        assertThat(run.exit()).isZero();
        assertThat(run.out()).contains("validate");
    }
}
