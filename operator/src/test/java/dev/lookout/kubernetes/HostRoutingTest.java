package dev.lookout.kubernetes;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lookout.api.ObjectKey;
import dev.lookout.config.OperatorConfig;
import dev.lookout.platform.Workload;
import dev.lookout.platform.Workloads;
import dev.lookout.testing.FakeWorkloads;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * {@link HostRouting}: a host of lookout.yaml goes to the Docker platform, any other to the cluster, and an edit that
 * moves a resource across removes what it had on the other side, also when the earlier placement was made by an
 * earlier run of Lookout (a restart). The platforms are in-memory fakes: what is checked is which side is asked to
 * place or remove what; KubernetesPlatformRoutingTest shows the cluster side on fabric8's mock server.
 */
class HostRoutingTest {
    private static final ObjectKey GPU = new ObjectKey("GpuNode", "ml", "a100");
    private static final OperatorConfig CONFIG = OperatorConfig.defaults(); // one Docker host: "local"

    private static Workload exporter() {
        return new Workload("lookout-dcgm-exporter-ml_a100", "dcgm-exporter:4", List.of(), Map.of(), Map.of(), null,
                List.of(9400), null, List.of(), List.of());
    }

    @Test
    void anEditFromANodeToADockerHostRemovesTheClusterWorkloadEvenAfterARestart() {
        FakeWorkloads docker = new FakeWorkloads();
        FakeWorkloads cluster = new FakeWorkloads();
        HostRouting.workloads(CONFIG, docker, cluster).apply(GPU, "gpu-node-01", exporter());
        assertThat(cluster.placed(GPU)).isNotNull();

        // A new run of Lookout (nothing remembered) meets the resource edited to host "local".
        Workloads restarted = HostRouting.workloads(CONFIG, docker, cluster);
        restarted.apply(GPU, "local", exporter());
        restarted.apply(GPU, "local", exporter());

        assertThat(cluster.placed(GPU)).as("the DaemonSet of the earlier run").isNull();
        assertThat(cluster.changes()).containsExactly("create lookout-dcgm-exporter-ml_a100 on gpu-node-01",
                "remove lookout-dcgm-exporter-ml_a100 from gpu-node-01");
        assertThat(docker.placed(GPU).host()).isEqualTo("local");
    }

    @Test
    void andBackFromADockerHostToANodeRemovesTheContainer() {
        FakeWorkloads docker = new FakeWorkloads();
        FakeWorkloads cluster = new FakeWorkloads();
        HostRouting.workloads(CONFIG, docker, cluster).apply(GPU, "local", exporter());

        HostRouting.workloads(CONFIG, docker, cluster).apply(GPU, "gpu-node-01", exporter());

        assertThat(docker.placed(GPU)).isNull();
        assertThat(cluster.placed(GPU).host()).isEqualTo("gpu-node-01");
    }
}
