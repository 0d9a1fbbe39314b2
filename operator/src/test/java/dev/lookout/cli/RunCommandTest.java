package dev.lookout.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code lookout run} refuses a source it cannot use before it starts anything (no port bound, no Docker client). */
class RunCommandTest {
    @Test
    void refusesNeitherAFolderNorKubernetes() {
        CliRun run = CliRun.of("run");

        assertThat(run.exit()).isEqualTo(2);
        assertThat(run.err()).contains("give exactly one of --watch DIR and --kubernetes");
    }

    @Test
    void refusesAFolderAndKubernetesTogether(@TempDir Path dir) {
        CliRun run = CliRun.of("run", "--watch", dir.toString(), "--kubernetes");

        assertThat(run.exit()).isEqualTo(2);
        assertThat(run.err()).contains("give exactly one of --watch DIR and --kubernetes");
    }

    @Test
    void refusesAKubeconfigWithoutKubernetes(@TempDir Path dir) {
        CliRun run = CliRun.of("run", "--watch", dir.toString(), "--kubeconfig", dir.resolve("kubeconfig").toString());

        assertThat(run.exit()).isEqualTo(2);
        assertThat(run.err()).contains("--kubeconfig needs --kubernetes");
    }

    @Test
    void refusesAKubeconfigThatIsNotThere(@TempDir Path dir) {
        CliRun run = CliRun.of("run", "--kubernetes", "--kubeconfig", dir.resolve("absent").toString());

        assertThat(run.exit()).isEqualTo(2);
        assertThat(run.err()).contains("--kubeconfig").contains("absent: no such file");
    }
}
