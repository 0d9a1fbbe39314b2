package dev.lookout.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.lookout.reload.ToolProcess;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class ToolsTest {
    private static final Duration TIMEOUT = Duration.ofSeconds(30);

    @Test
    void promtoolIsVersion3() {
        assertThat(version(Tools.promtool(), "promtool")).containsPattern("version 3\\.\\d+");
    }

    @Test
    void prometheusIsVersion3() {
        assertThat(version(Tools.prometheus(), "prometheus")).containsPattern("version 3\\.\\d+");
    }

    @Test
    void blackboxExporterIsVersion0Point2x() {
        assertThat(version(Tools.blackbox(), "blackbox_exporter")).containsPattern("version 0\\.2\\d");
    }

    @Test
    void runReturnsExitStatusAndCombinedOutput() {
        ToolProcess.Result result = Tools.run(List.of("sh", "-c", "echo out; echo err >&2; exit 3"), TIMEOUT);

        assertThat(result.exit()).isEqualTo(3);
        assertThat(result.output()).contains("out\n").contains("err\n");
    }

    @Test
    void runKillsWhatOutlivesTheTimeout() {
        long start = System.nanoTime();

        assertThatThrownBy(() -> Tools.run(List.of("sh", "-c", "echo started; sleep 30"), Duration.ofMillis(300)))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("did not finish within")
                .hasMessageContaining("started");
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(10));
    }

    /** The tool's --version output; in CI a missing tool fails, elsewhere it skips. */
    private static String version(Optional<Path> tool, String name) {
        Path path = Tools.require(tool, name);
        ToolProcess.Result result = Tools.run(List.of(path.toString(), "--version"), TIMEOUT);
        assertThat(result.exit()).as(path + " --version\n" + result.output()).isZero();
        return result.output();
    }
}
