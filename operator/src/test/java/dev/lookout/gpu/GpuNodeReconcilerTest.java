package dev.lookout.gpu;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lookout.api.ObjectKey;
import dev.lookout.config.OperatorConfig;
import dev.lookout.kind.ReconcileResult;
import dev.lookout.platform.Workload;
import dev.lookout.platform.WorkloadState;
import dev.lookout.testing.DcgmFixture;
import dev.lookout.testing.FakeWorkloads;
import dev.lookout.testing.Manifests;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** GpuNode's reconciler against the workloads seam in memory: no engine, no exporter. */
class GpuNodeReconcilerTest {
    static final ObjectKey KEY = new ObjectKey("GpuNode", "default", "gpu-node-01");
    static final String NODE = """
            apiVersion: lookout.dev/v1alpha1
            kind: GpuNode
            metadata: {name: gpu-node-01}
            spec:
              host: local
              gpus: all
              labels: {node: gpu-node-01}
            """;

    @TempDir
    Path dir;

    final FakeWorkloads workloads = new FakeWorkloads();
    final List<String> readAt = new ArrayList<>();
    /** The captured payload without its 10 lines Prometheus refuses (what a counters list without that field gives). */
    String payload = DcgmFixture.a800x8Mig().lines().filter(l -> !l.startsWith("DCGM_FI_DEV_VGPU_PER_PROCESS_UTILIZATION{"))
            .collect(java.util.stream.Collectors.joining("\n", "", "\n"));
    final GpuNodeReconciler reconciler = new GpuNodeReconciler(workloads, OperatorConfig.defaults(), address -> {
        readAt.add(address);
        return ExporterMetrics.parse(payload);
    });

    GpuNode node(String yaml) {
        return (GpuNode) Manifests.load(dir, yaml).resources().get(0).resource();
    }

    @Test
    void itAsksForDcgmExporterWithTheGpusAndReportsTheGpusItReadsBack() {
        ReconcileResult result = reconciler.reconcile(node(NODE), KEY);

        Workload w = workloads.placed(KEY).workload();
        assertThat(workloads.placed(KEY).host()).isEqualTo("local");
        assertThat(w.name()).isEqualTo("lookout-dcgm-exporter-default_gpu-node-01");
        assertThat(w.image()).isEqualTo(GpuExporter.DEFAULT_IMAGE);
        assertThat(w.gpus()).isEqualTo(new Workload.GpuRequest(true, List.of()));
        assertThat(w.capabilities()).containsExactly("SYS_ADMIN");
        assertThat(w.ports()).containsExactly(9400);
        assertThat(w.env()).containsEntry("DCGM_EXPORTER_LISTEN", ":9400");
        assertThat(w.hostname()).isEqualTo("gpu-node-01");
        assertThat(w.labels()).containsExactlyEntriesOf(Map.of("node", "gpu-node-01"));
        assertThat(readAt).as("read where the platform says Lookout reaches it").containsExactly("10.9.0.1:9400");

        assertThat(result.blocked()).isNull();
        assertThat(result.requeueAfter()).isEqualTo(GpuNodeReconciler.RECHECK);
        GpuNodeStatus status = (GpuNodeStatus) result.status();
        assertThat(status.getGpus()).hasSize(8);
        assertThat(status.getGpus().get(0).model()).contains("A800");
        assertThat(status.getContainer().id()).isEqualTo("id-1");
        assertThat(result.statusFields().path("gpus")).hasSize(8);
        assertThat(result.statusFields().has("conditions")).as("the engine owns the conditions").isFalse();
    }

    @Test
    void aPayloadPrometheusWouldRefuseIsNotReadyAndSaysWhichFieldsToLeaveOut() {
        payload = DcgmFixture.a800x8Mig(); // as captured: 10 samples whose value is "ERROR - FAILED TO CONVERT TO STRING"
        ReconcileResult result = reconciler.reconcile(node(NODE), KEY);
        assertThat(result.blocked().reason()).isEqualTo("MetricsRejected");
        assertThat(result.blocked().message()).contains("serves 10 line(s) that Prometheus refuses", "up == 0",
                "Fields: DCGM_FI_DEV_VGPU_PER_PROCESS_UTILIZATION.", "spec.exporter.counters");
        assertThat(((GpuNodeStatus) result.status()).getGpus()).as("what it read is still shown").hasSize(8);
        assertThat(result.requeueAfter()).isEqualTo(GpuNodeReconciler.RECHECK);
    }

    @Test
    void linesPrometheusLetsPassDoNotMakeItNotReady() {
        payload = payload + "DCGM_FI_DEV_GPU_TEMP{gpu=\"1\",UUID=\"GPU-9e5b8fec-61bf-5124-a0a9-079af1b65cc6\"} 33\n"
                + "DCGM_FI_DEV_GPU_TEMP{gpu=\"1\",UUID=\"GPU-9e5b8fec-61bf-5124-a0a9-079af1b65cc6\"} 34\n"; // a repeated series
        assertThat(reconciler.reconcile(node(NODE), KEY).blocked()).isNull();
    }

    @Test
    void aSecondReconcileChangesNothing() {
        reconciler.reconcile(node(NODE), KEY);
        ReconcileResult again = reconciler.reconcile(node(NODE), KEY);
        assertThat(workloads.changes()).containsExactly("create lookout-dcgm-exporter-default_gpu-node-01 on local");
        assertThat(again.blocked()).isNull();
    }

    @Test
    void aSpecChangeReplacesTheWorkloadAndIndexesBecomeDeviceIds() {
        reconciler.reconcile(node(NODE), KEY);
        reconciler.reconcile(node(Manifests.edit(NODE, "gpus: all", "gpus: [0, 1]")), KEY);
        assertThat(workloads.placed(KEY).workload().gpus()).isEqualTo(new Workload.GpuRequest(false, List.of("0", "1")));
        assertThat(workloads.changes()).hasSize(3); // create, remove, create
    }

    @Test
    void aPlatformWithoutGpusBlocksItWithTheRuntimesAndDoesNotLoop() {
        workloads.block("local", new WorkloadState.Blocked("NoGpuRuntime", "no nvidia runtime", null,
                new TreeMap<>(Map.of("runtimes", List.of("runc")))));
        ReconcileResult result = reconciler.reconcile(node(NODE), KEY);
        assertThat(result.blocked()).isEqualTo(new ReconcileResult.Blocked("NoGpuRuntime", "no nvidia runtime"));
        assertThat(result.requeueAfter()).as("looked at again when the engine changes, not in a loop").isNull();
        assertThat(((GpuNodeStatus) result.status()).getRuntimes()).containsExactly("runc");
        assertThat(readAt).isEmpty();
    }

    @Test
    void aMissingImageIsLookedForAgainWhenThePlatformSays() {
        workloads.block("local", new WorkloadState.Blocked("ImageNotFound", "image x is not on Docker host local", Duration.ofMinutes(1)));
        ReconcileResult result = reconciler.reconcile(node(NODE), KEY);
        assertThat(result.blocked().reason()).isEqualTo("ImageNotFound");
        assertThat(result.requeueAfter()).isEqualTo(Duration.ofMinutes(1));
    }

    @Test
    void anExporterThatDoesNotRunYetIsNotReadAndAskedAgainSoon() {
        workloads.starting(true);
        ReconcileResult result = reconciler.reconcile(node(NODE), KEY);
        assertThat(result.blocked().reason()).isEqualTo("ExporterNotRunning");
        assertThat(result.requeueAfter()).isEqualTo(GpuNodeReconciler.STARTING);
        assertThat(readAt).isEmpty();
    }

    @Test
    void metricsThatAreNotDcgmsAreNotReady() {
        GpuNodeReconciler wrong = new GpuNodeReconciler(workloads, OperatorConfig.defaults(),
                address -> ExporterMetrics.parse("up 1\n"));
        ReconcileResult result = wrong.reconcile(node(NODE), KEY);
        assertThat(result.blocked().reason()).isEqualTo("MetricsNotFlowing");
        assertThat(result.blocked().message()).contains("lookout-dcgm-exporter-default_gpu-node-01", "host local", "DCGM_FI_");
        assertThat(result.requeueAfter()).isEqualTo(GpuNodeReconciler.STARTING);
    }

    @Test
    void cleanupRemovesTheWorkload() {
        reconciler.reconcile(node(NODE), KEY);
        reconciler.cleanup(KEY);
        assertThat(workloads.placed(KEY)).isNull();
        assertThat(workloads.changes()).last().isEqualTo("remove lookout-dcgm-exporter-default_gpu-node-01 from local");
    }

    @Test
    void aDryRunPlatformIsNotReadBack() {
        dev.lookout.platform.Workloads planned = new dev.lookout.platform.Workloads() {
            @Override
            public WorkloadState apply(ObjectKey owner, String host, Workload desired) {
                return new WorkloadState.Planned(List.of(), List.of());
            }

            @Override
            public void remove(ObjectKey owner) {
            }
        };
        GpuNodeReconciler dry = new GpuNodeReconciler(planned, OperatorConfig.defaults(), address -> {
                    throw new AssertionError("a plan reads nothing");
                });
        assertThat(dry.reconcile(node(NODE), KEY).blocked()).isNull();
    }
}
