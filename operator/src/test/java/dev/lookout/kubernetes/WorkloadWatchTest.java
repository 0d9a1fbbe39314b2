package dev.lookout.kubernetes;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lookout.api.ObjectKey;
import io.fabric8.kubernetes.api.model.apps.DaemonSetBuilder;
import org.junit.jupiter.api.Test;

/** Which resource a workload the cluster platform made belongs to: its controller owner reference of lookout.dev. */
class WorkloadWatchTest {
    @Test
    void theOwnerIsTheLookoutResourceThatControlsIt() {
        var owned = new DaemonSetBuilder().withNewMetadata().withName("lookout-dcgm-exporter-gpu").withNamespace("gpus")
                .addNewOwnerReference().withApiVersion("lookout.dev/v1alpha1").withKind("GpuNode").withName("gpu-node-01")
                .withUid("u1").withController(true).endOwnerReference().endMetadata().build();
        var foreign = new DaemonSetBuilder().withNewMetadata().withName("other").withNamespace("gpus")
                .addNewOwnerReference().withApiVersion("apps/v1").withKind("Deployment").withName("x").withUid("u2")
                .withController(true).endOwnerReference().endMetadata().build();
        var notControlling = new DaemonSetBuilder().withNewMetadata().withName("third").withNamespace("gpus")
                .addNewOwnerReference().withApiVersion("lookout.dev/v1alpha1").withKind("GpuNode").withName("gpu-node-01")
                .withUid("u1").withController(false).endOwnerReference().endMetadata().build();

        assertThat(WorkloadWatch.owner(owned)).contains(new ObjectKey("GpuNode", "gpus", "gpu-node-01"));
        assertThat(WorkloadWatch.owner(foreign)).isEmpty();
        assertThat(WorkloadWatch.owner(notControlling)).isEmpty();
    }
}
