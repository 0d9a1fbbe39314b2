package dev.lookout.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
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

    @Test
    void refusesLeaderElectionWithoutKubernetes(@TempDir Path dir) {
        CliRun run = CliRun.of("run", "--watch", dir.toString(), "--leader-elect");

        assertThat(run.exit()).isEqualTo(2);
        assertThat(run.err()).contains("--leader-elect and --leader-election-namespace need --kubernetes");
    }

    @Test
    void refusesWatchedNamespacesWithoutKubernetesOrThatAreNoNamespaceNames(@TempDir Path dir) {
        CliRun folder = CliRun.of("run", "--watch", dir.toString(), "--watch-namespaces", "team-a");
        assertThat(folder.exit()).isEqualTo(2);
        assertThat(folder.err()).contains("--watch-namespaces needs --kubernetes");

        CliRun bad = CliRun.of("run", "--kubernetes", "--watch-namespaces", "team-a,Team_B");
        assertThat(bad.exit()).isEqualTo(2);
        assertThat(bad.err()).contains("\"Team_B\" is not a namespace name");
    }

    @Test
    void refusesPrometheusOperatorModeOnAFolder(@TempDir Path dir) throws Exception {
        Path config = Files.writeString(dir.resolve("lookout.yaml"), "prometheus: {mode: operator}\n");
        Path manifests = Files.createDirectories(dir.resolve("manifests"));

        CliRun run = CliRun.of("run", "--watch", manifests.toString(), "--config", config.toString());

        assertThat(run.exit()).isEqualTo(2);
        assertThat(run.err()).contains("prometheus.mode: operator").contains("needs --kubernetes");
    }

    @Test
    void refusesALeaseNamespaceWithoutLeaderElection() {
        CliRun run = CliRun.of("run", "--kubernetes", "--leader-election-namespace", "monitoring");

        assertThat(run.exit()).isEqualTo(2);
        assertThat(run.err()).contains("--leader-election-namespace needs --leader-elect");
    }

    @Test
    void leaderElectionOutsideAPodNeedsTheLeaseNamespace(@TempDir Path dir) {
        Path before = RunCommand.serviceAccountNamespace;
        RunCommand.serviceAccountNamespace = dir.resolve("absent/namespace");
        try {
            CliRun run = CliRun.of("run", "--kubernetes", "--leader-elect");

            assertThat(run.exit()).isEqualTo(2);
            assertThat(run.err()).contains("--leader-elect needs --leader-election-namespace outside a pod");
        } finally {
            RunCommand.serviceAccountNamespace = before;
        }
    }

    @Test
    void theLeaseNamespaceIsTheFlagsElseThePodsOwn(@TempDir Path dir) throws Exception {
        Path file = Files.writeString(dir.resolve("namespace"), "monitoring\n");

        assertThat(RunCommand.leaseNamespace("other", file)).contains("other");
        assertThat(RunCommand.leaseNamespace(null, file)).contains("monitoring");
        assertThat(RunCommand.leaseNamespace(null, dir.resolve("absent"))).isEmpty();
    }

    @Test
    void refusesAnInstanceNameThatCannotNameTheLease(@TempDir Path dir) throws Exception {
        Path config = Files.writeString(dir.resolve("lookout.yaml"), "lookout:\n  instance: Team_A\n");

        CliRun run = CliRun.of("run", "--kubernetes", "--leader-elect", "--leader-election-namespace", "monitoring",
                "--config", config.toString());

        assertThat(run.exit()).isEqualTo(2);
        assertThat(run.err()).contains("lookout.instance Team_A cannot name the leader Lease (Team_A-leader)");
    }
}
